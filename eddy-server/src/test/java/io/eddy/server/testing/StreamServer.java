package io.eddy.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.server.EddyHttpServer;
import io.eddy.server.ServerConfig;
import io.eddy.server.endpoint.StreamHttpResponse;
import io.eddy.stream.EventStreams;
import io.eddy.stream.StreamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The real thing on a free port: a RocksDB store in a temp folder, the FQL engine, the stream engine
 * and the HTTP server, with JDK {@link HttpClient} helpers for queries, streams and feeds (the JVM
 * driver's transport, over HTTP/1.1 or the h2c upgrade).
 */
public final class StreamServer implements AutoCloseable {
    public static final String SECRET = "secret";

    public final Store store;
    public final FqlEngine engine;
    public final EventStreams streams;
    public final EddyHttpServer server;
    public final int port;

    public StreamServer(Path dir, StreamConfig streamConfig) throws IOException {
        this(dir, streamConfig, Function.identity());
    }

    public StreamServer(Path dir, StreamConfig streamConfig, Function<ServerConfig, ServerConfig> tweak) throws IOException {
        store = Store.open(StoreConfig.defaults(dir));
        engine = new FqlEngine(store, new EngineConfig(new byte[32], Clock.systemUTC()));
        streams = new EventStreams(store, engine, streamConfig, Clock.systemUTC(), StreamHttpResponse.encoder(),
                io.eddy.server.http.WriteRoundBatching.INSTANCE);
        server = new EddyHttpServer(tweak.apply(ServerConfig.defaults(SECRET).withPort(0)), engine, streams);
        port = server.start();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Runs FQL over {@code /query/1} (tagged, as the drivers ask) and returns the whole body; fails on non-200. */
    public JsonNode query(HttpClient client, String fql) {
        String body = WireAssertions.JSON.createObjectNode().put("query", fql).toString();
        HttpResponse<String> r = send(client, HttpRequest.newBuilder(uri("/query/1"))
                .header("Authorization", "Bearer " + SECRET)
                .header("X-Format", "tagged")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new AssertionError("query failed (" + r.statusCode() + "): " + fql + "\n" + r.body());
        }
        return WireAssertions.parse(r.body());
    }

    /** Runs FQL over {@code /query/1} with the given secret; returns the response whatever its status. */
    public HttpResponse<String> queryAs(HttpClient client, String secret, String fql) {
        String body = WireAssertions.JSON.createObjectNode().put("query", fql).toString();
        return send(client, HttpRequest.newBuilder(uri("/query/1"))
                .header("Authorization", "Bearer " + secret)
                .header("X-Format", "tagged")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A token from a query whose result is an event source. */
    public String token(HttpClient client, String fql) {
        return query(client, fql).get("data").get("@stream").asText();
    }

    /** POSTs a JSON body with the root secret; the JVM driver's headers. */
    public HttpRequest.Builder post(String path, String json) {
        return post(path, json, SECRET);
    }

    /** POSTs a JSON body with {@code secret}; the JVM driver's headers. */
    public HttpRequest.Builder post(String path, String json, String secret) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + secret)
                .header("X-Format", "tagged")
                .header("X-Driver", "Java")
                .header("Content-Type", "application/json;charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Opens a stream; the returned handle records each buffer delivery as the JVM driver sees it.
     * The response completes with the head; the body is then read as a publisher of buffer lists,
     * the form fauna-jvm's {@code FaunaStream} consumes.
     */
    public OpenStream openStream(HttpClient client, String json) {
        return openStream(client, json, Long.MAX_VALUE);
    }

    /**
     * Like {@link #openStream(HttpClient, String)}, but the body subscriber asks for only
     * {@code demand} deliveries until {@link OpenStream#readOn()}: a client that stops reading.
     */
    public OpenStream openStream(HttpClient client, String json, long demand) {
        return openStream(client, post("/stream/1", json).build(), demand);
    }

    /** Opens a stream with a request of the caller's making (e.g. without the JVM driver's headers). */
    public OpenStream openStream(HttpClient client, HttpRequest request, long demand) {
        Recorder recorder = new Recorder(demand);
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> response = client.sendAsync(
                request, HttpResponse.BodyHandlers.ofPublisher());
        response.thenAccept(r -> r.body().subscribe(recorder));
        return new OpenStream(response, recorder);
    }

    @Override
    public void close() {
        server.close();
        streams.close();
        store.close();
    }

    /**
     * A body subscriber that requests everything and records each {@code onNext} delivery (the list
     * of buffers the JDK hands over in one go) as one string: what fauna-jvm's {@code FaunaStream}
     * parses as one event.
     */
    static final class Recorder implements Flow.Subscriber<List<ByteBuffer>> {
        final BlockingQueue<String> deliveries = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        final long initialDemand;
        volatile Flow.Subscription subscription;

        Recorder(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(initialDemand);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            StringBuilder sb = new StringBuilder();
            for (ByteBuffer b : item) {
                sb.append(StandardCharsets.UTF_8.decode(b));
            }
            if (!sb.isEmpty()) {
                deliveries.add(sb.toString());
            }
        }

        @Override
        public void onError(Throwable t) {
            completed.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }
    }

    /** An open stream: its response, and its events as they arrive. */
    public static final class OpenStream implements AutoCloseable {
        public final CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> response;
        private final Recorder recorder;
        private final StringBuilder pending = new StringBuilder();
        /** Every delivery seen so far, as delivered. */
        public final List<String> deliveries = new ArrayList<>();

        OpenStream(CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> response, Recorder recorder) {
            this.response = response;
            this.recorder = recorder;
        }

        public HttpResponse<?> awaitHead() throws Exception {
            return response.get(10, TimeUnit.SECONDS);
        }

        /** The next event (a parsed line), waiting up to {@code timeout}; null if none came. */
        public JsonNode next(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int nl = pending.indexOf("\n");
                if (nl >= 0) {
                    String line = pending.substring(0, nl);
                    pending.delete(0, nl + 1);
                    if (!line.endsWith("\r")) {
                        throw new AssertionError("event line not ended by \\r\\n: " + line);
                    }
                    line = line.substring(0, line.length() - 1);
                    if (line.isEmpty()) {
                        throw new AssertionError("blank line in the stream");
                    }
                    return WireAssertions.parse(line);
                }
                long left = deadline - System.nanoTime();
                String d = left <= 0 ? null : recorder.deliveries.poll(left, TimeUnit.NANOSECONDS);
                if (d == null) {
                    return null;
                }
                deliveries.add(d);
                pending.append(d);
            }
        }

        public JsonNode next() throws InterruptedException {
            JsonNode e = next(Duration.ofSeconds(20));
            if (e == null) {
                throw new AssertionError("no event within 20s; deliveries so far: " + deliveries);
            }
            return e;
        }

        /** Events until none arrives for {@code quiet}. */
        public List<JsonNode> drain(Duration quiet) throws InterruptedException {
            List<JsonNode> out = new ArrayList<>();
            JsonNode e;
            while ((e = next(quiet)) != null) {
                out.add(e);
            }
            return out;
        }

        /** Lifts the demand limit of {@link StreamServer#openStream(HttpClient, String, long)}. */
        public void readOn() throws Exception {
            awaitHead();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (recorder.subscription == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            recorder.subscription.request(Long.MAX_VALUE);
        }

        /** Completes when the server ends the response. */
        public CompletableFuture<Void> completed() {
            return recorder.completed;
        }

        /** Cancels the body: the JDK resets the HTTP/2 stream, or closes the HTTP/1.1 connection. */
        @Override
        public void close() {
            Flow.Subscription s = recorder.subscription;
            if (s != null) {
                s.cancel();
            }
            response.cancel(true);
        }
    }
}
