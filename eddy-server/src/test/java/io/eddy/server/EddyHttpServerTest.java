package io.eddy.server;

import static io.eddy.server.testing.WireAssertions.assertDriverCompatible;
import static io.eddy.server.testing.WireAssertions.assertNoRawNumbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryService;
import io.eddy.server.http.Endpoint;
import io.eddy.server.http.Exchange;
import io.eddy.server.http.JsonResponses;
import io.eddy.server.http.StreamingResponseWriter;
import io.eddy.server.testing.Http2PriorKnowledgeClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.eddy.server.testing.StubQueryService;
import io.eddy.server.testing.WireAssertions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real sockets: the JDK client over HTTP/1.1 and h2c upgrade, Netty's client over HTTP/2 prior knowledge. */
@Timeout(60)
class EddyHttpServerTest {
    private static final String SECRET = "secret";
    private static final String TAGGED_QUERY = "{\"query\":{\"fql\":[\"Product.create({n: \",{\"value\":{\"@int\":\"3\"}},\"})\"]}}";

    private static final AtomicInteger executed = new AtomicInteger();
    private static EddyHttpServer server;
    private static HttpClient http1;
    private static HttpClient http2;

    /** Echoes the query text and arguments; "sleep:<ms>" sleeps first; "doc" returns a document page. */
    static QueryService service() {
        QueryService echo = StubQueryService.echo();
        return request -> {
            executed.incrementAndGet();
            String text = StubQueryService.text(request.query());
            if (text.startsWith("sleep:")) {
                try {
                    Thread.sleep(Long.parseLong(text.substring(6).trim()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (text.equals("doc")) {
                ObjectValue fields = new ObjectValue(Map.of("n", new IntValue(3), "big", new LongValue(1L << 40)));
                return StubQueryService.success(new ObjectValue(Map.of(
                        "doc", new DocumentValue("Product", "401", 1728485357620000L, fields),
                        "list", ArrayValue.of(new IntValue(1)))));
            }
            return echo.execute(request);
        };
    }

    @BeforeAll
    static void start() throws IOException {
        server = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0).withMaxRequestBytes(64 * 1024), service());
        server.start();
        http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        http2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // the JVM driver's client
    }

    @AfterAll
    static void stop() {
        http1.close();
        http2.close();
        server.close();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpRequest.Builder query(String body) {
        return HttpRequest.newBuilder(uri("/query/1"))
                .header("Authorization", "Bearer " + SECRET)
                .header("X-Format", "tagged")
                .header("Content-Type", "application/json;charset=utf-8")
                .header("Accept-Encoding", "gzip")
                .header("X-Last-Txn-Ts", "-1")
                .header("X-Max-Contention-Retries", "3")
                .header("X-Driver", "Java")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void http11Query() throws Exception {
        HttpResponse<String> r = send(http1, query(TAGGED_QUERY).header("X-Query-Tags", "a=b").build());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json;charset=utf-8");
        assertThat(r.headers().firstValue("content-encoding")).isEmpty();
        JsonNode body = WireAssertions.parse(r.body());
        assertDriverCompatible(body);
        assertThat(body.get("data").get("query").asText()).isEqualTo("Product.create({n: ?})");
        assertThat(body.get("query_tags").asText()).isEqualTo("a=b");
        assertThat(body.get("txn_ts").asLong()).isEqualTo(StubQueryService.TXN_TS);
    }

    @Test
    void defaultJdkClientUpgradesToHttp2() throws Exception {
        try (HttpClient fresh = HttpClient.newHttpClient()) {
            // the first request, a POST with a body, is the one that carries "Upgrade: h2c"
            HttpResponse<String> r = send(fresh, query(TAGGED_QUERY).header("X-Query-Tags", "first=1").build());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = WireAssertions.parse(r.body());
            assertDriverCompatible(body);
            assertThat(body.get("query_tags").asText()).isEqualTo("first=1");
            assertThat(body.get("data").get("query").asText()).isEqualTo("Product.create({n: ?})");
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = send(http2, query(TAGGED_QUERY).build());
            assertThat(r.version()).as("request %d", i).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertDriverCompatible(WireAssertions.parse(r.body()));
        }
        HttpResponse<String> ping = send(http2, HttpRequest.newBuilder(uri("/ping")).build());
        assertThat(ping.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(ping.body()).isEqualTo("{\"ping\":\"pong\"}");
    }

    @Test
    void taggedDataHasNoRawNumbersOverTheWire() throws Exception {
        HttpResponse<String> r = send(http2, query("{\"query\":\"doc\"}").build());
        JsonNode body = WireAssertions.parse(r.body());
        assertDriverCompatible(body);
        assertNoRawNumbers(body.get("data"));
        assertThat(body.get("data").get("doc").get("@doc").get("big").toString()).isEqualTo("{\"@long\":\"1099511627776\"}");
    }

    @Test
    void errorsOverBothProtocols() throws Exception {
        for (HttpClient client : List.of(http1, http2)) {
            HttpResponse<String> unauth = send(client, HttpRequest.newBuilder(uri("/query/1"))
                    .POST(HttpRequest.BodyPublishers.ofString(TAGGED_QUERY)).build());
            assertThat(unauth.statusCode()).isEqualTo(401);
            assertThat(unauth.headers().firstValue("www-authenticate")).hasValue("Bearer");
            assertThat(WireAssertions.parse(unauth.body()).get("error").get("message").asText()).isEqualTo("Access token required");

            HttpResponse<String> bad = send(client, query("{\"query\":{\"fql\":[{\"value\":1}]}}").build());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(WireAssertions.parse(bad.body()).get("error").get("code").asText()).isEqualTo("invalid_request");

            HttpResponse<String> notFound = send(client, HttpRequest.newBuilder(uri("/nothing")).build());
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(send(client, query(TAGGED_QUERY).uri(uri("//query/1")).build()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void oversizedBodiesAre413OverBothProtocols() throws Exception {
        String big = "{\"query\":\"" + "x".repeat(100 * 1024) + "\"}";
        for (HttpClient client : List.of(http1, http2)) {
            HttpResponse<String> r = send(client, query(big).build());
            assertThat(r.statusCode()).isEqualTo(413);
            JsonNode body = WireAssertions.parse(r.body());
            assertThat(body.get("error").get("code").asText()).isEqualTo("request_size_exceeded");
            assertDriverCompatible(body);
            // and the server (and client) carry on
            assertThat(send(client, query(TAGGED_QUERY).build()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void oversizedUpgradeRequestIs413AndTheNextOneUpgrades() throws Exception {
        try (HttpClient fresh = HttpClient.newHttpClient()) {
            HttpResponse<String> r = send(fresh, query("{\"query\":\"" + "z".repeat(100 * 1024) + "\"}").build());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(WireAssertions.parse(r.body()).get("error").get("code").asText()).isEqualTo("request_size_exceeded");
            HttpResponse<String> next = send(fresh, query(TAGGED_QUERY).build());
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void http2PriorKnowledge() throws Exception {
        try (Http2PriorKnowledgeClient client = new Http2PriorKnowledgeClient("127.0.0.1", server.port())) {
            Http2PriorKnowledgeClient.Response r = client.post("/query/1", TAGGED_QUERY,
                    Map.of("authorization", "Bearer " + SECRET, "x-format", "tagged")).get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            JsonNode body = WireAssertions.parse(r.body());
            assertDriverCompatible(body);
            assertThat(body.get("data").get("query").asText()).isEqualTo("Product.create({n: ?})");

            Http2PriorKnowledgeClient.Response unauth = client.post("/query/1", TAGGED_QUERY, Map.of()).get(10, TimeUnit.SECONDS);
            assertThat(unauth.status()).isEqualTo(401);
            Http2PriorKnowledgeClient.Response ping = client.get("/ping").get(10, TimeUnit.SECONDS);
            assertThat(ping.body()).isEqualTo("{\"ping\":\"pong\"}");
            // a body without content-length over the size limit
            Http2PriorKnowledgeClient.Response big = client.post("/query/1", "{\"query\":\"" + "y".repeat(100_000) + "\"}",
                    Map.of("authorization", "Bearer " + SECRET)).get(10, TimeUnit.SECONDS);
            assertThat(big.status()).isEqualTo(413);
            assertThat(client.post("/query/1", TAGGED_QUERY, Map.of("authorization", "Bearer " + SECRET))
                    .get(10, TimeUnit.SECONDS).status()).as("connection still usable").isEqualTo(200);
        }
    }

    @Test
    void manyParallelRequestsOverEveryProtocol() throws Exception {
        int n = 150;
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"query\":\"sleep:20\",\"arguments\":{\"i\":{\"@int\":\"" + i + "\"}}}";
            HttpClient client = i % 2 == 0 ? http1 : http2;
            futures.add(client.sendAsync(query(body).build(), HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body));
        }
        try (Http2PriorKnowledgeClient h2 = new Http2PriorKnowledgeClient("127.0.0.1", server.port())) {
            List<CompletableFuture<Http2PriorKnowledgeClient.Response>> h2futures = IntStream.range(0, 50)
                    .mapToObj(i -> h2.post("/query/1",
                            "{\"query\":\"sleep:20\",\"arguments\":{\"i\":{\"@int\":\"" + (1000 + i) + "\"}}}",
                            Map.of("authorization", "Bearer " + SECRET, "x-format", "tagged")))
                    .toList();
            for (int i = 0; i < n; i++) {
                JsonNode body = WireAssertions.parse(futures.get(i).get(30, TimeUnit.SECONDS));
                assertThat(body.get("data").get("args").get("i").get("@int").asInt()).isEqualTo(i);
            }
            for (int i = 0; i < 50; i++) {
                Http2PriorKnowledgeClient.Response r = h2futures.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(WireAssertions.parse(r.body()).get("data").get("args").get("i").get("@int").asInt()).isEqualTo(1000 + i);
            }
        }
    }

    @Test
    void malformedHttpGets400AndTheServerCarriesOn() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("HTTP/1.1 400 Bad Request").contains("\"code\":\"invalid_request\"");
        }
        assertThat(send(http1, query(TAGGED_QUERY).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void startTwiceAndBindConflicts() throws Exception {
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        try (EddyHttpServer other = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(server.port()), service())) {
            assertThatThrownBy(other::start).isInstanceOf(IOException.class).hasMessageContaining("cannot listen on");
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        try (EddyHttpServer s = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0)
                .withIdleTimeout(Duration.ofSeconds(1)), service())) {
            int port = s.start();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(800));
            }
        }
    }

    @Test
    void aQuietEventStreamOutlivesTheIdleTimeout() throws Exception {
        // The guard watches reads only; a stream that writes nothing for longer than the timeout is an
        // exchange in flight, and the connection must stay.
        Endpoint quiet = new Endpoint() {
            @Override public HttpMethod method() { return HttpMethod.POST; }
            @Override public String path() { return "/stream/1"; }
            @Override public void serve(Exchange exchange) throws Exception {
                StreamingResponseWriter w = exchange.startStreaming(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
                w.write(Unpooled.copiedBuffer("{\"type\":\"status\"}\r\n", StandardCharsets.UTF_8));
                Thread.sleep(2500);
                w.write(Unpooled.copiedBuffer("{\"type\":\"add\"}\r\n", StandardCharsets.UTF_8));
                w.finish();
            }
        };
        try (EddyHttpServer s = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0)
                .withIdleTimeout(Duration.ofSeconds(1)), List.of(quiet));
             HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            int port = s.start();
            HttpResponse<java.util.stream.Stream<String>> r = c.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/stream/1"))
                    .header("Authorization", "Bearer " + SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(r.body().toList()).containsExactly("{\"type\":\"status\"}", "{\"type\":\"add\"}");
        }
    }

    @Test
    void closeLetsRequestsInFlightFinish() throws Exception {
        EddyHttpServer s = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0)
                .withShutdownGracePeriod(Duration.ofSeconds(10)), service());
        int port = s.start();
        URI u = URI.create("http://127.0.0.1:" + port + "/query/1");
        try (HttpClient c1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Http2PriorKnowledgeClient h2 = new Http2PriorKnowledgeClient("127.0.0.1", port)) {
            int before = executed.get();
            CompletableFuture<HttpResponse<String>> slow1 = c1.sendAsync(query("{\"query\":\"sleep:700\"}").uri(u).build(),
                    HttpResponse.BodyHandlers.ofString());
            CompletableFuture<Http2PriorKnowledgeClient.Response> slow2 = h2.post("/query/1", "{\"query\":\"sleep:700\"}",
                    Map.of("authorization", "Bearer " + SECRET));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (executed.get() < before + 2 && System.nanoTime() < waitUntil) {
                Thread.sleep(10);
            }
            assertThat(executed.get()).as("both requests running").isGreaterThanOrEqualTo(before + 2);
            long t0 = System.nanoTime();
            s.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
            assertThat(slow1.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(slow2.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        s.close(); // idempotent
    }

    @Test
    void closeIsBoundedByTheGracePeriod() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        EddyHttpServer s = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0)
                .withShutdownGracePeriod(Duration.ofMillis(300)), r -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return StubQueryService.success(new StringValue("late"));
                });
        int port = s.start();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            String body = "{\"query\":\"x\"}";
            socket.getOutputStream().write(("POST /query/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(200);
            long t0 = System.nanoTime();
            s.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void streamingResponsesOverEveryProtocol() throws Exception {
        Endpoint stream = new Endpoint() {
            @Override public HttpMethod method() { return HttpMethod.POST; }
            @Override public String path() { return "/stream/1"; }
            @Override public void serve(Exchange exchange) throws Exception {
                io.netty.handler.codec.http.HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);
                StreamingResponseWriter w = exchange.startStreaming(head);
                for (String type : List.of("status", "add", "update")) {
                    w.write(Unpooled.copiedBuffer("{\"type\":\"" + type + "\"}\r\n", StandardCharsets.UTF_8));
                    Thread.sleep(20);
                }
                w.finish();
            }
        };
        try (EddyHttpServer s = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0), List.of(stream));
             HttpClient fresh1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpClient fresh2 = HttpClient.newHttpClient()) {
            int port = s.start();
            for (HttpClient c : List.of(fresh1, fresh2, fresh2)) {
                HttpResponse<java.util.stream.Stream<String>> r = c.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/stream/1"))
                        .header("Authorization", "Bearer " + SECRET)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"t\"}")).build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body().toList()).containsExactly("{\"type\":\"status\"}", "{\"type\":\"add\"}", "{\"type\":\"update\"}");
            }
        }
    }

    @Test
    void configValidation() {
        ServerConfig d = ServerConfig.defaults("s");
        assertThat(d.maxRequestBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(d.toString()).doesNotContain("=s,").contains("rootSecret=***");
        assertThatThrownBy(() -> d.withPort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxRequestBytes(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withShutdownGracePeriod(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withIoThreads(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.defaults("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.defaults("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withIdleTimeout(Duration.ZERO).idleTimeout()).isZero();
    }

    @Test
    void failureOutcomesOverTheWire() throws Exception {
        try (EddyHttpServer s = new EddyHttpServer(ServerConfig.defaults(SECRET).withPort(0), r ->
                new QueryOutcome.Failure(400, "abort", "Query aborted.", "", new IntValue(42), 1, null, 2))) {
            int port = s.start();
            HttpResponse<String> r = send(http2, query(TAGGED_QUERY).uri(URI.create("http://127.0.0.1:" + port + "/query/1")).build());
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode body = WireAssertions.parse(r.body());
            assertDriverCompatible(body);
            assertThat(body.get("error").get("abort").toString()).isEqualTo("{\"@int\":\"42\"}");
        }
    }
}
