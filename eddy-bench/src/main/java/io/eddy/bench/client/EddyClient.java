package io.eddy.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.bench.workload.Doc;
import io.eddy.bench.workload.WriteTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Eddy over the Fauna protocol: {@code /query/1} requests spread round-robin over a few HTTP/2
 * connections, each carrying many concurrent requests. Writes are sent as the drivers send them: an FQL
 * template with the document as one tagged {@code value} ({@code {"fql":["Doc.create(", {"value":…},
 * ")"]}}).
 */
public final class EddyClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Net net;
    private final String host;
    private final int port;
    private final String secret;
    private final List<H2Connection> connections = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    public EddyClient(Net net, String host, int port, String secret, int connections) throws InterruptedException {
        this.net = net;
        this.host = host;
        this.port = port;
        this.secret = secret;
        for (int i = 0; i < connections; i++) {
            this.connections.add(H2Connection.connect(net, net.queryGroup(), host, port, secret));
        }
    }

    /** A new connection to the same server (for stream pools), not used for queries. */
    public H2Connection newConnection() throws InterruptedException {
        return H2Connection.connect(net, host, port, secret);
    }

    private H2Connection pick() {
        return connections.get(Math.floorMod(next.getAndIncrement(), connections.size()));
    }

    /** POSTs a raw body to {@code path} on one of the query connections. */
    public CompletableFuture<H2Connection.Response> post(String path, byte[] body) {
        return pick().post(path, body);
    }

    /** Runs {@code fql} (a plain FQL string) and returns the parsed response; throws unless HTTP 200. */
    public JsonNode query(String fql) throws IOException {
        String body = JSON.writeValueAsString(java.util.Map.of("query", fql));
        H2Connection.Response r = await(post("/query/1", body.getBytes(StandardCharsets.UTF_8)), 300);
        if (r.status() != 200) throw new IOException("query failed (" + r.status() + "): " + abbreviate(r.text()) + "\nquery: " + abbreviate(fql));
        return JSON.readTree(r.body());
    }

    /** Stream tokens of the event sources {@code sources} (FQL expressions), fetched {@code batch} per query. */
    public List<String> tokens(List<String> sources, int batch) throws IOException {
        List<String> out = new ArrayList<>(sources.size());
        for (int from = 0; from < sources.size(); from += batch) {
            List<String> part = sources.subList(from, Math.min(sources.size(), from + batch));
            JsonNode data = query("[" + String.join(", ", part) + "]").get("data");
            for (JsonNode t : data) out.add(t.get("@stream").asText());
        }
        return out;
    }

    /** The body of a create of {@code doc} in {@code coll}, or of an update of {@code doc.targetId()}. */
    public static byte[] writeBody(String coll, Doc doc, String payload) {
        StringBuilder v = new StringBuilder(payload.length() + 200);
        v.append('{');
        boolean first = true;
        if (doc.targetId() == null) {
            v.append("\"owner\":\"").append(doc.owner()).append('"');
            first = false;
        }
        if (doc.status() != null) {
            if (!first) v.append(',');
            v.append("\"status\":\"").append(doc.status()).append('"');
            first = false;
        }
        if (!first) v.append(',');
        v.append("\"score\":{\"@int\":\"").append(doc.score()).append("\"}");
        if (doc.targetId() == null) v.append(",\"payload\":\"").append(payload).append('"');
        v.append(",\"sent_ns\":{\"@long\":\"").append(doc.sentNs()).append("\"}}");
        String head = doc.targetId() == null ? coll + ".create(" : coll + ".byId(\\\"" + doc.targetId() + "\\\")!.update(";
        return ("{\"query\":{\"fql\":[\"" + head + "\",{\"value\":" + v + "},\")\"]}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes into {@code coll} as a {@link WriteTarget}: each write is one {@code /query/1} transaction. */
    public WriteTarget writer(String coll, String payload) {
        return doc -> post("/query/1", writeBody(coll, doc, payload)).thenApply(r -> {
            if (r.status() != 200) throw new IllegalStateException("write failed (" + r.status() + "): " + abbreviate(r.text()));
            return r;
        });
    }

    public static <T> T await(CompletableFuture<T> f, int seconds) throws IOException {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no response in " + seconds + " s", e);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    @Override
    public void close() {
        for (H2Connection c : connections) c.close();
    }
}
