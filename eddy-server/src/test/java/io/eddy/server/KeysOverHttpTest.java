package io.eddy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.server.testing.StreamServer;
import io.eddy.server.testing.StreamServer.OpenStream;
import io.eddy.server.testing.WireAssertions;
import io.eddy.stream.StreamConfig;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys over the wire: a key's secret authenticates queries, streams and feeds with its role; deleting
 * the key refuses its secret at once and ends the streams it opened with {@code permission_loss},
 * after every event committed before the deletion. Streams opened with other secrets go on.
 */
@Timeout(60)
class KeysOverHttpTest {
    @TempDir static Path dir;
    static StreamServer s;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        s = new StreamServer(dir, StreamConfig.defaults());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        s.close();
    }

    private static JsonNode createKey(String role) {
        return s.query(http, "Key.create({ role: '" + role + "' })").get("data").get("@doc");
    }

    private static String tokenAs(String secret, String fql) {
        HttpResponse<String> r = s.queryAs(http, secret, fql);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return WireAssertions.parse(r.body()).get("data").get("@stream").asText();
    }

    @Test
    void keySecretsCarryTheirRole() {
        JsonNode key = createKey("server-readonly");
        assertThat(key.get("coll").get("@mod").asText()).isEqualTo("Key");
        String secret = key.get("secret").asText();
        s.query(http, "Collection.create({ name: 'Ro' })");
        assertThat(s.queryAs(http, secret, "Ro.all().count()").statusCode()).isEqualTo(200);
        HttpResponse<String> write = s.queryAs(http, secret, "Ro.create({ a: 1 })");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(WireAssertions.parse(write.body()).get("error").get("code").asText()).isEqualTo("permission_denied");
        HttpResponse<String> keys = s.queryAs(http, secret, "Key.all()");
        assertThat(keys.statusCode()).isEqualTo(403);
        assertThat(s.queryAs(http, secret + "x", "1").statusCode()).isEqualTo(401);
        assertThat(s.queryAs(http, StreamServer.SECRET + ":server-readonly", "Ro.create({ a: 1 })").statusCode()).isEqualTo(403);
    }

    @Test
    void deletingAKeyEndsItsStreamsWithPermissionLoss() throws Exception {
        String secret = createKey("server").get("secret").asText();
        String keyId = createKeyIdOf(secret);
        s.query(http, "Collection.create({ name: 'Watched' })");
        String token = tokenAs(secret, "Watched.all().toStream()");
        String body = WireAssertions.JSON.createObjectNode().put("token", token).toString();

        OpenStream byKey = s.openStream(http, s.post("/stream/1", body, secret).build(), Long.MAX_VALUE);
        OpenStream byRoot = s.openStream(http, body);
        assertThat(byKey.awaitHead().statusCode()).isEqualTo(200);
        assertThat(byRoot.awaitHead().statusCode()).isEqualTo(200);
        assertThat(byKey.next().get("type").asText()).isEqualTo("status");
        assertThat(byRoot.next().get("type").asText()).isEqualTo("status");
        awaitSubscriptions(2);

        s.query(http, "Watched.create({ n: 1 })");
        assertThat(byKey.next().get("type").asText()).isEqualTo("add");
        assertThat(byRoot.next().get("type").asText()).isEqualTo("add");

        // One transaction: a write the key's stream may see, then the key's deletion.
        s.query(http, "Watched.create({ n: 2 }); Key.byId('" + keyId + "')!.delete()");
        JsonNode add = byKey.next();
        assertThat(add.get("type").asText()).isEqualTo("add");
        JsonNode loss = byKey.next();
        assertThat(loss.get("type").asText()).isEqualTo("error");
        assertThat(loss.get("error").get("code").asText()).isEqualTo("permission_loss");
        assertThat(loss.get("error").get("message").asText()).isEqualTo("Stream authentication is no longer valid.");
        byKey.completed().get(10, TimeUnit.SECONDS);

        // The root secret's stream goes on.
        assertThat(byRoot.next().get("type").asText()).isEqualTo("add");
        s.query(http, "Watched.create({ n: 3 })");
        assertThat(byRoot.next().get("type").asText()).isEqualTo("add");
        byRoot.close();

        // The deleted key's secret is refused everywhere.
        assertThat(s.queryAs(http, secret, "1").statusCode()).isEqualTo(401);
        HttpResponse<String> feed = StreamServer.send(http, s.post("/feed/1", body, secret).build());
        assertThat(feed.statusCode()).isEqualTo(401);
        HttpResponse<String> stream = StreamServer.send(http, s.post("/stream/1", body, secret).build());
        assertThat(stream.statusCode()).isEqualTo(401);
    }

    @Test
    void aDeletedKeysSecretCannotOpenAStream() throws Exception {
        String secret = createKey("admin").get("secret").asText();
        s.query(http, "Collection.create({ name: 'Late' })");
        String token = tokenAs(secret, "Late.all().toStream()");
        s.query(http, "Key.byId('" + createKeyIdOf(secret) + "')!.delete()");
        String body = WireAssertions.JSON.createObjectNode().put("token", token).toString();
        assertThat(StreamServer.send(http, s.post("/stream/1", body, secret).build()).statusCode()).isEqualTo(401);
    }

    private static String createKeyIdOf(String secret) {
        return s.engine.keys().authenticate(secret).keyId();
    }

    private static void awaitSubscriptions(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.streams.dispatcher().subscriptionCount() < expected && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(s.streams.dispatcher().subscriptionCount()).isGreaterThanOrEqualTo(expected);
    }
}
