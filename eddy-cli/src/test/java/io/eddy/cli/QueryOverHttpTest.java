package io.eddy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.server.EddyHttpServer;
import io.eddy.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real server (store, engine, HTTP) on a free port with a temp data folder, driven by the JDK
 * HttpClient the way the JVM driver drives it: over HTTP/1.1, and over HTTP/2 through the h2c upgrade.
 */
class QueryOverHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private Store store;
    private EddyHttpServer server;
    private HttpClient client;
    private URI base;

    private void start(HttpClient.Version version) throws Exception {
        store = Store.open(StoreConfig.defaults(dir.resolve("db")));
        FqlEngine engine = new FqlEngine(store, new EngineConfig(EngineConfig.loadOrCreateKey(dir), Clock.systemUTC()));
        server = new EddyHttpServer(ServerConfig.defaults("secret").withPort(0), engine);
        int port = server.start();
        base = URI.create("http://127.0.0.1:" + port);
        client = HttpClient.newBuilder().version(version).build();
    }

    @AfterEach void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    private HttpResponse<String> post(String fql) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("query", java.util.Map.of("fql", List.of(fql))));
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/query/1"))
                .header("Authorization", "Bearer secret")
                .header("X-Format", "tagged")
                .header("X-Driver", "Java")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String fql) throws Exception {
        HttpResponse<String> r = post(fql);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void seedQueriesPaginationAndErrors(HttpClient.Version version) throws Exception {
        start(version);
        ok("Collection.create({ name: \"Product\", indexes: { byType: { terms: [{ field: \".type\" }], values: [{ field: \".name\" }, { field: \".price\" }] } } })");
        HttpResponse<String> created = post("Product.create({ name: \"Music as History\", type: \"book\", price: 16_89, stock: 20 })");
        assertThat(created.version()).isEqualTo(version);
        JsonNode doc = JSON.readTree(created.body()).get("data").get("@doc");
        assertThat(doc.get("price").get("@int").asText()).isEqualTo("1689");
        assertThat(doc.get("coll").get("@mod").asText()).isEqualTo("Product");

        ok("let p = Product.byType('book').where(.name == \"Music as History\").first()!\np.update({ stock: p.stock + 10 })");
        JsonNode projected = ok("Product.byType('book').where(.price < 100_00) { name, price }").get("data").get("@set").get("data").get(0);
        assertThat(projected.get("name").asText()).isEqualTo("Music as History");
        assertThat(projected.has("stock")).isFalse();

        ok("Set.sequence(0, 120).forEach(i => Product.create({ name: \"p\" + i.toString(), type: \"bulk\", price: i }))");
        Set<String> ids = new HashSet<>();
        JsonNode page = ok("Product.byType('bulk')").get("data").get("@set");
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            sizes.add(page.get("data").size());
            page.get("data").forEach(d -> ids.add(d.get("@doc").get("id").asText()));
            if (!page.has("after")) break;
            page = ok("Set.paginate(\"" + page.get("after").asText() + "\")").get("data");
        }
        assertThat(ids).hasSize(120);
        assertThat(sizes.getFirst()).isEqualTo(16);

        HttpResponse<String> syntax = post("Product.all(");
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(syntax.body()).get("error").get("code").asText()).isEqualTo("invalid_query");
        assertThat(JSON.readTree(syntax.body()).get("summary").asText()).contains("at *query*:1:");
        HttpResponse<String> abort = post("abort(42)");
        assertThat(abort.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(abort.body()).get("error").get("abort").get("@int").asText()).isEqualTo("42");
        HttpResponse<String> missing = post("Product.byId(\"1\")!");
        assertThat(JSON.readTree(missing.body()).get("error").get("code").asText()).isEqualTo("document_not_found");
        assertThat(ok("1 + 1").get("data").get("@int").asText()).isEqualTo("2");
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void acknowledgedWritesSurviveARestart(HttpClient.Version version) throws Exception {
        start(version);
        ok("Collection.create({ name: \"Item\", indexes: { byKind: { terms: [{ field: \".kind\" }] } } })");
        ok("Set.sequence(0, 40).forEach(i => Item.create({ n: i, kind: if (i % 2 == 0) 'even' else 'odd' }))");
        server.close();
        store.close();
        server = null;
        store = null;
        start(version);
        assertThat(ok("Item.all().count()").get("data").get("@int").asText()).isEqualTo("40");
        assertThat(ok("Item.byKind('odd').count()").get("data").get("@int").asText()).isEqualTo("20");
    }
}
