package io.eddy.server.http;

import static io.eddy.server.testing.WireAssertions.assertDriverCompatible;
import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.IntValue;
import io.eddy.server.EddyHttpServer;
import io.eddy.server.endpoint.PingEndpoint;
import io.eddy.server.endpoint.QueryEndpoint;
import io.eddy.server.http.HttpHarness.Response;
import io.eddy.server.testing.StubQueryService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestDispatcherTest {
    private static final String QUERY = "{\"query\":{\"fql\":[\"1 + \",{\"value\":{\"@int\":\"1\"}}]}}";

    private final StubQueryService service = StubQueryService.returning(new IntValue(2));
    private HttpHarness h = new HttpHarness(EddyHttpServer.defaultEndpoints(service));

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void queryRoundTrip() {
        Response r = h.call("POST", "/query/1", QUERY, "X-Format: tagged", "X-Query-Tags: app=test");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json;charset=utf-8");
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isNull();
        assertThat(r.json().get("data").toString()).isEqualTo("{\"@int\":\"2\"}");
        assertThat(r.json().get("query_tags").asText()).isEqualTo("app=test");
        assertDriverCompatible(r.json());
        assertThat(service.requests).hasSize(1);
        assertThat(h.server.isOpen()).as("keep-alive").isTrue();
    }

    @Test
    void compressionIsNeverApplied() {
        Response r = h.call("POST", "/query/1", QUERY, "Accept-Encoding: gzip, deflate");
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_ENCODING)).isNull();
        assertThat(r.json().get("data").asInt()).isEqualTo(2);
    }

    @Test
    void doubleSlashesAndQueryStringsAreNormalised() {
        assertThat(h.call("POST", "//query/1", QUERY).status()).isEqualTo(200);
        assertThat(h.call("POST", "/query//1?x=y", QUERY).status()).isEqualTo(200);
        assertThat(h.call("GET", "//ping", null, "Authorization: none").status()).isEqualTo(200);
    }

    @Test
    void pingNeedsNoAuth() {
        Response r = h.call("GET", "/ping", null, "Authorization: Bearer wrong");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ping\":\"pong\"}");
    }

    @Test
    void unknownPathsAndMethods() {
        Response nf = h.call("POST", "/query/2", QUERY);
        assertThat(nf.status()).isEqualTo(404);
        assertThat(nf.errorCode()).isEqualTo("not_found");
        assertThat(nf.errorMessage()).isEqualTo("No endpoint at path '/query/2'");
        assertDriverCompatible(nf.json());

        Response m = h.call("GET", "/query/1", null);
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.errorCode()).isEqualTo("method_not_allowed");
        assertThat(m.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
        assertThat(h.call("POST", "/ping", "{}").status()).isEqualTo(405);
        assertThat(h.call("GET", "/stream/1", null).status()).isEqualTo(404);
    }

    @Test
    void authentication() {
        Response missing = h.call("POST", "/query/1", QUERY, "Authorization:", "X-Query-Tags: a=b");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorCode()).isEqualTo("unauthorized");
        assertThat(missing.errorMessage()).isEqualTo("Access token required");
        assertThat(missing.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        assertThat(missing.json().get("query_tags").asText()).as("tags echoed on 401").isEqualTo("a=b");

        Response wrong = h.call("POST", "/query/1", QUERY, "Authorization: Bearer nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorMessage()).isEqualTo("Invalid token, unable to authenticate request");

        assertThat(h.call("POST", "/query/1", QUERY, "Authorization: Bearer secret:admin").status()).isEqualTo(200);
        assertThat(h.call("POST", "/query/1", QUERY, "authorization: bearer secret:server").status()).isEqualTo(200);
        assertThat(h.call("POST", "/query/1", QUERY, "Authorization: Bearer secret:db:admin").status()).isEqualTo(401);
        assertThat(h.call("POST", "/query/1", QUERY, "Authorization: Basic c2VjcmV0Og==").status()).isEqualTo(401);
        assertThat(service.requests).hasSize(2);
    }

    @Test
    void badHeadersAndBodiesAre400WithTags() {
        Response r = h.call("POST", "/query/1", QUERY, "X-Query-Timeout-Ms: 0", "X-Query-Tags: k=v");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("invalid_request");
        assertThat(r.errorMessage()).isEqualTo("Invalid header 'x-query-timeout-ms': Must be greater than 0.");
        assertThat(r.json().get("query_tags").asText()).isEqualTo("k=v");
        assertDriverCompatible(r.json());

        Response tags = h.call("POST", "/query/1", QUERY, "X-Query-Tags: k=v!");
        assertThat(tags.status()).isEqualTo(400);
        assertThat(tags.json().has("query_tags")).as("invalid tags are not echoed").isFalse();

        assertThat(h.call("POST", "/query/1", null).errorMessage()).isEqualTo("No request body provided");
        assertThat(h.call("POST", "/query/1", "{\"query\":1}").errorMessage())
                .startsWith("Invalid request body: `query` must be");
        assertThat(service.requests).isEmpty();
        assertThat(h.server.isOpen()).isTrue();
    }

    @Test
    void oversizedBodyWithContentLengthIs413AndTheConnectionCarriesOn() {
        h.close();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(service), 1024, Runnable::run);
        String big = "{\"query\":\"" + "x".repeat(2000) + "\"}";
        Response r = h.call("POST", "/query/1", big, "X-Query-Tags: big=yes");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("request_size_exceeded");
        assertThat(r.errorMessage()).isEqualTo("Request body exceeds the maximum size of 1024 bytes");
        assertThat(r.json().get("query_tags").asText()).isEqualTo("big=yes");
        assertThat(h.server.isOpen()).isTrue();
        // the rest of the big body was skipped: the next request works
        assertThat(h.call("POST", "/query/1", QUERY).status()).isEqualTo(200);
    }

    @Test
    void oversizedChunkedBodyIs413AndCloses() {
        h.close();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(service), 1024, Runnable::run);
        String chunk = "x".repeat(800);
        h.sendRaw("POST /query/1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer secret\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
        List<Response> rs = h.responses();
        assertThat(rs).hasSize(1);
        assertThat(rs.getFirst().status()).isEqualTo(413);
        assertThat(rs.getFirst().headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(h.server.isOpen()).isFalse();
    }

    @Test
    void expectContinueWithTooLargeBodyIsJson413() {
        h.close();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(service), 1024, Runnable::run);
        h.sendRaw("POST /query/1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer secret\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
        List<Response> rs = h.responses();
        assertThat(rs).hasSize(1);
        assertThat(rs.getFirst().status()).isEqualTo(413);
        assertThat(rs.getFirst().errorCode()).isEqualTo("request_size_exceeded");
    }

    @Test
    void malformedHttpIs400AndCloses() {
        h.sendRaw("POST /query/1 HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n");
        List<Response> rs = h.responses();
        assertThat(rs).hasSize(1);
        assertThat(rs.getFirst().status()).isEqualTo(400);
        assertThat(rs.getFirst().errorCode()).isEqualTo("invalid_request");
        assertThat(rs.getFirst().errorMessage()).startsWith("Malformed HTTP request: ");
        assertThat(h.server.isOpen()).isFalse();
    }

    @Test
    void headerBlockTooLargeIs400() {
        h.sendRaw("GET /ping HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
        List<Response> rs = h.responses();
        assertThat(rs).hasSize(1);
        assertThat(rs.getFirst().status()).isEqualTo(400);
        assertThat(rs.getFirst().errorMessage()).contains("HTTP header is larger than");
    }

    @Test
    void connectionCloseAndHttp10() {
        Response r = h.call("POST", "/query/1", QUERY, "Connection: close");
        assertThat(r.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(h.server.isOpen()).isFalse();

        h.close();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(service));
        h.sendRaw("GET /ping HTTP/1.0\r\n\r\n");
        assertThat(h.responses().getFirst().status()).isEqualTo(200);
        assertThat(h.server.isOpen()).as("HTTP/1.0 without keep-alive closes").isFalse();

        h.close();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(service));
        h.sendRaw("GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Response ka = h.responses().getFirst();
        assertThat(ka.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("keep-alive");
        assertThat(h.server.isOpen()).isTrue();
    }

    /** An executor whose tasks the test runs by hand, in any order. */
    private static final class ManualExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        h.close();
        ManualExecutor executor = new ManualExecutor();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(StubQueryService.echo()), 1 << 20, executor);
        String one = request("/query/1", "{\"query\":\"first\"}");
        String two = request("/query/1", "{\"query\":\"second\"}");
        String three = "GET /ping HTTP/1.1\r\nHost: t\r\n\r\n";
        h.sendRaw(one + two + three);
        assertThat(executor.tasks).as("one exchange at a time").hasSize(1);
        assertThat(h.server.config().isAutoRead()).as("reading paused while requests wait").isFalse();
        while (!executor.tasks.isEmpty()) {
            Runnable next = executor.tasks.removeFirst();
            next.run();
        }
        List<Response> rs = h.responses();
        assertThat(rs).extracting(Response::status).containsExactly(200, 200, 200);
        assertThat(rs.get(0).json().get("data").get("query").asText()).isEqualTo("first");
        assertThat(rs.get(1).json().get("data").get("query").asText()).isEqualTo("second");
        assertThat(rs.get(2).body()).contains("pong");
        assertThat(h.server.config().isAutoRead()).isTrue();
    }

    @Test
    void pipelinedRequestsWaitingWhenTheConnectionClosesAreReleased() {
        h.close();
        ManualExecutor executor = new ManualExecutor();
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(service), 1 << 20, executor);
        h.sendRaw(request("/query/1", QUERY) + request("/query/1", QUERY) + request("/query/1", QUERY));
        h.server.close();
        executor.tasks.forEach(Runnable::run); // the first exchange completes into a closed channel
        assertThat(h.responses()).isEmpty();
    }

    private static String request(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer secret\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static Endpoint endpoint(HttpMethod method, String path, ThrowingServe serve) {
        return endpoint(method, path, ex -> false, serve);
    }

    private static Endpoint endpoint(HttpMethod method, String path, ThrowingInline inline, ThrowingServe serve) {
        return new Endpoint() {
            @Override public HttpMethod method() { return method; }
            @Override public String path() { return path; }
            @Override public boolean serveInline(Exchange exchange) throws Exception { return inline.serve(exchange); }
            @Override public void serve(Exchange exchange) throws Exception { serve.serve(exchange); }
        };
    }

    private interface ThrowingServe {
        void serve(Exchange exchange) throws Exception;
    }

    @Test
    void unexpectedExceptionsAre500AndTheServerCarriesOn() {
        h.close();
        h = new HttpHarness(List.of(
                endpoint(HttpMethod.POST, "/boom", ex -> { throw new IllegalStateException("bug"); }),
                endpoint(HttpMethod.POST, "/silent", ex -> { }),
                endpoint(HttpMethod.POST, "/twice", ex -> {
                    ex.respond(JsonResponses.error(ex.alloc(), ProtocolException.noBody()));
                    ex.respond(JsonResponses.error(ex.alloc(), ProtocolException.noBody()));
                }),
                endpoint(HttpMethod.POST, "/protocol", ex -> { throw ProtocolException.invalidBody("nope"); }),
                new PingEndpoint()));
        Response boom = h.call("POST", "/boom", "{}");
        assertThat(boom.status()).isEqualTo(500);
        assertThat(boom.errorCode()).isEqualTo("internal_error");
        assertThat(boom.errorMessage()).isEqualTo("Internal server error");
        assertThat(h.call("POST", "/silent", "{}").status()).isEqualTo(500);
        assertThat(h.call("POST", "/twice", "{}").status()).as("first answer wins").isEqualTo(400);
        assertThat(h.call("POST", "/protocol", "{}").errorMessage()).isEqualTo("Invalid request body: nope");
        assertThat(h.call("GET", "/ping", null).status()).isEqualTo(200);
    }

    @Test
    void answersPromisedForLaterAreWrittenWhenTheyComplete() {
        h.close();
        CompletableFuture<FullHttpResponse> later = new CompletableFuture<>();
        CompletableFuture<FullHttpResponse> failing = new CompletableFuture<>();
        h = new HttpHarness(List.of(
                endpoint(HttpMethod.POST, "/later", ex -> ex.respondLater(later,
                        () -> JsonResponses.error(ex.alloc(), ProtocolException.internal()))),
                endpoint(HttpMethod.POST, "/failing", ex -> ex.respondLater(failing,
                        () -> JsonResponses.error(ex.alloc(), ProtocolException.internal()))),
                endpoint(HttpMethod.POST, "/now", ex -> ex.respondLater(CompletableFuture.completedFuture(ok()),
                        () -> JsonResponses.error(ex.alloc(), ProtocolException.internal())))));
        h.send("POST", "/later", "{}");
        assertThat(h.responses()).as("nothing yet, and not a 500 for returning without an answer").isEmpty();
        later.complete(ok());
        assertThat(h.responses()).extracting(Response::status).containsExactly(200);
        assertThat(h.call("POST", "/now", "{}").status()).as("a completed promise answers at once").isEqualTo(200);

        h.send("POST", "/failing", "{}");
        failing.completeExceptionally(new IllegalStateException("bug"));
        List<Response> rs = h.responses();
        assertThat(rs).extracting(Response::status).containsExactly(500);
        assertThat(rs.getFirst().errorCode()).isEqualTo("internal_error");
    }

    private interface ThrowingInline {
        boolean serve(Exchange exchange) throws Exception;
    }

    @Test
    void endpointsMayAnswerOnTheEventLoopOrPassTheRequestOnToAVirtualThread() {
        h.close();
        ManualExecutor executor = new ManualExecutor();
        ThrowingServe answerOk = ex -> ex.respond(ok());
        h = new HttpHarness(List.of(
                endpoint(HttpMethod.POST, "/quick", ex -> {
                    ex.respond(ok());
                    return true;
                }, ex -> { throw new AssertionError("served inline already"); }),
                endpoint(HttpMethod.POST, "/slow", ex -> false, answerOk),
                endpoint(HttpMethod.POST, "/liar", ex -> true, answerOk),
                endpoint(HttpMethod.POST, "/protocol", ex -> { throw ProtocolException.invalidBody("nope"); }, answerOk)),
                1 << 20, executor);
        assertThat(h.call("POST", "/quick", "{}").status()).isEqualTo(200);
        assertThat(executor.tasks).as("answered on the event loop").isEmpty();

        h.send("POST", "/slow", "{}");
        assertThat(h.responses()).isEmpty();
        assertThat(executor.tasks).hasSize(1);
        executor.tasks.removeFirst().run();
        assertThat(h.responses()).extracting(Response::status).containsExactly(200);

        assertThat(h.call("POST", "/protocol", "{}").errorMessage()).isEqualTo("Invalid request body: nope");
        Response liar = h.call("POST", "/liar", "{}");
        assertThat(liar.status()).as("claimed to answer inline but did not").isEqualTo(500);
        assertThat(executor.tasks).isEmpty();
    }

    private static FullHttpResponse ok() {
        FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
        ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
        return ok;
    }

    @Test
    void queryServiceExceptionIs500WithTags() {
        h.close();
        h = new HttpHarness(List.of(new QueryEndpoint(r -> { throw new RuntimeException("engine bug"); })));
        Response r = h.call("POST", "/query/1", QUERY, "X-Query-Tags: t=1");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.errorCode()).isEqualTo("internal_error");
        assertThat(r.json().get("query_tags").asText()).isEqualTo("t=1");
        assertDriverCompatible(r.json());
    }

    @Test
    void streamingWritesOneChunkPerEvent() {
        h.close();
        List<StreamingResponseWriter> writers = Collections.synchronizedList(new ArrayList<>());
        h = new HttpHarness(List.of(endpoint(HttpMethod.POST, "/stream/1", ex -> {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);
            writers.add(ex.startStreaming(head));
        })));
        h.send("POST", "/stream/1", "{\"token\":\"t\"}");
        StreamingResponseWriter w = writers.getFirst();
        assertThat(w.isOpen()).isTrue();
        w.write(Unpooled.copiedBuffer("{\"type\":\"status\"}\r\n", StandardCharsets.UTF_8));
        w.write(Unpooled.copiedBuffer("{\"type\":\"add\"}\r\n", StandardCharsets.UTF_8));
        w.finish();
        assertThat(w.isOpen()).isFalse();

        // Decode on the server side only as far as HTTP objects: one head, one content per event, last.
        List<String> chunks = new ArrayList<>();
        Object out;
        while ((out = h.server.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) out;
            chunks.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        String wire = String.join("", chunks);
        assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").contains("transfer-encoding: chunked");
        assertThat(wire).contains("13\r\n{\"type\":\"status\"}\r\n\r\n").contains("10\r\n{\"type\":\"add\"}\r\n\r\n").endsWith("0\r\n\r\n");
        // and the connection serves the next request
        assertThat(h.call("POST", "/query/2", "{}").status()).isEqualTo(404);
    }

    @Test
    void streamingObjectsAreSeparateWrites() {
        // Checks the writer at the HTTP-object level, as the HTTP/2 codec would see it.
        h.close();
        List<StreamingResponseWriter> writers = new ArrayList<>();
        var server = new io.netty.channel.embedded.EmbeddedChannel(new BoundedAggregator(1 << 20),
                new RequestDispatcher(new Router(List.of(endpoint(HttpMethod.POST, "/s", ex ->
                        writers.add(ex.startStreaming(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)))))),
                        new Authenticator("secret"), Runnable::run, 1 << 20));
        var req = new io.netty.handler.codec.http.DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/s");
        req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer secret");
        server.writeInbound(req);
        writers.getFirst().write(Unpooled.copiedBuffer("a\r\n", StandardCharsets.UTF_8));
        writers.getFirst().write(Unpooled.copiedBuffer("b\r\n", StandardCharsets.UTF_8));
        writers.getFirst().finish();
        List<Object> objects = new ArrayList<>();
        Object o;
        while ((o = server.readOutbound()) != null) {
            objects.add(o);
        }
        try {
            assertThat(objects).hasSize(4);
            assertThat(objects.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(DefaultFullHttpResponse.class);
            assertThat(((HttpContent) objects.get(1)).content().toString(StandardCharsets.UTF_8)).isEqualTo("a\r\n");
            assertThat(((HttpContent) objects.get(2)).content().toString(StandardCharsets.UTF_8)).isEqualTo("b\r\n");
            assertThat(objects.get(3)).isInstanceOf(LastHttpContent.class);
        } finally {
            objects.forEach(ReferenceCountUtil::release);
            server.finishAndReleaseAll();
        }
    }
}
