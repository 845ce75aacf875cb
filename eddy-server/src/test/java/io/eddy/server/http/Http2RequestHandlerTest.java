package io.eddy.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2RequestHandler} on an {@link EmbeddedChannel}, talking to Netty's own HTTP/2 client
 * handler on another: requests gathered from several DATA frames, the size limit, resets, and the
 * connection's count of exchanges in flight. Buffers are leak-checked (paranoid) by the test suite.
 */
class Http2RequestHandlerTest {
    private static final int MAX_BODY = 1024;

    /** Endpoints run when {@link #pump} runs the queued tasks, as virtual threads would, later. */
    private final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
    /** Echoes the request body's length. */
    private final Endpoint echo = endpoint("/echo", ex -> {
        String text = "{\"bytes\":" + ex.body().readableBytes() + "}";
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, text.length());
        ex.respond(r);
    });

    /** Streams of whole-event writers, by path: each writes one {@link #EVENT_BYTES} event when it can send it whole. */
    private static final int EVENT_BYTES = 15_000;
    private final List<StreamingResponseWriter> eventWriters = new ArrayList<>();
    private final Endpoint events = endpoint("/events", ex -> {
        StreamingResponseWriter w = ex.startStreaming(new io.netty.handler.codec.http.DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        eventWriters.add(w);
        boolean[] sent = {false};
        w.onReady(() -> {
            if (!sent[0] && w.canSendWhole(EVENT_BYTES)) {
                sent[0] = true;
                byte[] event = new byte[EVENT_BYTES];
                java.util.Arrays.fill(event, (byte) 'e');
                event[EVENT_BYTES - 2] = '\r';
                event[EVENT_BYTES - 1] = '\n';
                w.writeShared(new byte[][] {event}, 1);
            }
        });
    });
    /**
     * A stream whose producer writes {@link #bursts} (each one {@code writeShared} call, in one write round)
     * and then does {@link #afterBursts} with its writer.
     */
    private final List<byte[][]> bursts = new ArrayList<>();
    private java.util.function.Consumer<StreamingResponseWriter> afterBursts = w -> { };
    private final List<StreamingResponseWriter> burstWriters = new ArrayList<>();
    private final Endpoint burst = endpoint("/burst", ex -> {
        StreamingResponseWriter w = ex.startStreaming(new io.netty.handler.codec.http.DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        burstWriters.add(w);
        w.onReady(() -> {
            for (byte[][] b : bursts) w.writeShared(b, b.length);
            bursts.clear();
            afterBursts.accept(w);
        });
    });
    /** The size of every DATA frame the client received, by stream. */
    private final Map<Integer, List<Integer>> dataFrames = new HashMap<>();
    /** Streams whose last DATA frame carried END_STREAM. */
    private final java.util.Set<Integer> ended = new java.util.HashSet<>();

    private EmbeddedChannel server;
    private EmbeddedChannel client;
    private Http2ConnectionHandler clientHandler;
    private final Map<Integer, Http2Headers> responseHeaders = new HashMap<>();
    private final Map<Integer, StringBuilder> responseBodies = new HashMap<>();
    private final Map<Integer, Long> resets = new HashMap<>();

    interface Serve {
        void serve(Exchange ex) throws Exception;
    }

    private static Endpoint endpoint(String path, Serve serve) {
        return new Endpoint() {
            @Override public HttpMethod method() { return HttpMethod.POST; }
            @Override public String path() { return path; }
            @Override public void serve(Exchange exchange) throws Exception { serve.serve(exchange); }
        };
    }

    @BeforeEach
    void connect() throws Exception {
        ExchangeRunner runner = new ExchangeRunner(new Router(List.of(echo, events, burst)), new Authenticator("secret"),
                tasks::add, MAX_BODY);
        server = new EmbeddedChannel(Http2RequestHandler.create(runner, Http2Settings.defaultSettings(), 1000, MAX_BODY));
        clientHandler = new Http2ConnectionHandlerBuilder().server(false).frameListener(new Http2EventAdapter() {
            @Override
            public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                      boolean endStream) {
                responseHeaders.put(streamId, headers);
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int dependency,
                                      short weight, boolean exclusive, int padding, boolean endStream) {
                responseHeaders.put(streamId, headers);
            }

            @Override
            public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
                responseBodies.computeIfAbsent(streamId, k -> new StringBuilder()).append(data.toString(StandardCharsets.UTF_8));
                dataFrames.computeIfAbsent(streamId, k -> new ArrayList<>()).add(data.readableBytes());
                if (endOfStream) ended.add(streamId);
                return data.readableBytes() + padding;
            }

            @Override
            public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
                resets.put(streamId, errorCode);
            }
        }).build();
        client = new EmbeddedChannel(clientHandler);
        pump();
    }

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    /** Moves bytes both ways until neither side has anything more to say. */
    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = false;
            client.runPendingTasks();
            server.runPendingTasks();
            for (Object o; (o = client.readOutbound()) != null; moved = true) server.writeInbound(tracked((ByteBuf) o));
            for (Object o; (o = server.readOutbound()) != null; moved = true) client.writeInbound(o);
            while (!tasks.isEmpty()) {
                tasks.removeFirst().run();
                moved = true;
            }
        }
    }

    /** A copy in a pooled (so leak-tracked) buffer: what the server keeps of a request is checked. */
    private static ByteBuf tracked(ByteBuf b) {
        ByteBuf copy = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(b.readableBytes());
        copy.writeBytes(b);
        b.release();
        return copy;
    }

    private void headers(int streamId, String path, boolean endStream) {
        Http2Headers h = new DefaultHttp2Headers().method("POST").path(path).scheme("http").authority("test")
                .add("authorization", "Bearer secret");
        ChannelHandlerContext ctx = client.pipeline().firstContext();
        clientHandler.encoder().writeHeaders(ctx, streamId, h, 0, endStream, ctx.newPromise());
        clientHandler.flush(ctx);
    }

    private void data(int streamId, String text, boolean endStream) {
        ChannelHandlerContext ctx = client.pipeline().firstContext();
        clientHandler.encoder().writeData(ctx, streamId, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), 0, endStream,
                ctx.newPromise());
        clientHandler.flush(ctx);
    }

    private void reset(int streamId) {
        ChannelHandlerContext ctx = client.pipeline().firstContext();
        clientHandler.resetStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
        clientHandler.flush(ctx);
    }

    private int inFlight() {
        return Connection.of(server).activeExchanges();
    }

    @Test
    void aRequestGatheredFromSeveralDataFramesIsAnsweredOnItsStream() {
        headers(3, "/echo", false);
        data(3, "a".repeat(100), false);
        data(3, "b".repeat(200), false);
        data(3, "c".repeat(50), true);
        pump();
        assertThat(responseHeaders.get(3).status().toString()).isEqualTo("200");
        assertThat(responseBodies.get(3).toString()).isEqualTo("{\"bytes\":350}");
        assertThat(responseHeaders.get(3).get("content-type").toString()).isEqualTo("application/json");
        assertThat(inFlight()).isZero();

        // Streams are independent: two at once, answered each on its own.
        headers(5, "/echo", false);
        headers(7, "/echo", true);
        data(5, "xyz", true);
        pump();
        assertThat(responseBodies.get(5).toString()).isEqualTo("{\"bytes\":3}");
        assertThat(responseBodies.get(7).toString()).isEqualTo("{\"bytes\":0}");
        assertThat(inFlight()).isZero();
    }

    /**
     * Five streams of one write round, each event (one DATA frame) fitting the connection's flow-control
     * window alone but not all together: the fifth waits for window instead of having its frame cut, so
     * every frame is one whole event (what the JVM driver, parsing one event per read, needs).
     */
    @Test
    void eventsPromisedWholeDoNotTogetherOverrunTheConnectionWindow() throws Exception {
        List<Integer> streams = List.of(3, 5, 7, 9, 11);
        assertThat(streams.size() * EVENT_BYTES).isGreaterThan(Http2CodecUtil.DEFAULT_WINDOW_SIZE);
        streams.forEach(id -> headers(id, "/events", true));
        pump(); // every stream's head sent
        assertThat(dataFrames).isEmpty();
        // (EmbeddedChannel runs pending tasks inside a write, so the rounds are asked for only now,
        // all together: one round in which every writer checks the window before any frame is sent.)
        eventWriters.forEach(StreamingResponseWriter::requestWrite);
        pump();
        for (int i = 0; i < 20 && dataFrames.values().stream().mapToInt(List::size).sum() < streams.size(); i++) {
            Thread.sleep(Http2StreamWire.WINDOW_RETRY_MILLIS + 5);
            server.runScheduledPendingTasks();
            pump();
        }
        assertThat(eventWriters).hasSize(streams.size());
        assertThat(dataFrames).containsOnlyKeys(streams.toArray(Integer[]::new));
        assertThat(dataFrames.values()).allSatisfy(sizes -> assertThat(sizes).containsExactly(EVENT_BYTES));
        eventWriters.forEach(StreamingResponseWriter::finish);
        pump();
    }

    @Test
    void aBodyOverTheLimitIs413AtOnceAndTheStreamIsThenReset() {
        headers(3, "/echo", false);
        data(3, "x".repeat(MAX_BODY - 10), false);
        pump();
        assertThat(responseHeaders).doesNotContainKey(3);
        data(3, "x".repeat(20), false); // over the limit, the client still sending
        pump();
        assertThat(responseHeaders.get(3).status().toString()).isEqualTo("413");
        assertThat(responseBodies.get(3).toString()).contains("request_size_exceeded");
        assertThat(resets).containsEntry(3, Http2Error.NO_ERROR.code());
        assertThat(inFlight()).isZero();
        // The connection carries on.
        headers(5, "/echo", true);
        pump();
        assertThat(responseBodies.get(5).toString()).isEqualTo("{\"bytes\":0}");
    }

    @Test
    void aResetEndsTheExchangeAndReleasesAPartlyReceivedBody() {
        headers(3, "/echo", false);
        data(3, "partial", false);
        pump();
        reset(3);
        pump();
        assertThat(responseHeaders).doesNotContainKey(3);
        assertThat(inFlight()).isZero();

        // An exchange in flight (its endpoint not run yet) whose stream the client resets.
        headers(5, "/echo", true);
        client.runPendingTasks();
        for (Object o; (o = client.readOutbound()) != null; ) server.writeInbound(tracked((ByteBuf) o));
        assertThat(tasks).hasSize(1);
        assertThat(inFlight()).isEqualTo(1);
        Runnable endpoint = tasks.removeFirst();
        reset(5);
        pump();
        assertThat(inFlight()).as("a reset ends an exchange in flight").isZero();
        // The endpoint's late answer goes nowhere and leaks nothing.
        endpoint.run();
        pump();
        assertThat(responseHeaders).doesNotContainKey(5);
        assertThat(inFlight()).isZero();
    }

    @Test
    void unfinishedBodiesTogetherAreBoundedPerConnection() {
        // Each under the limit, none ended: four fit the connection's budget (4 x the limit), the fifth is refused.
        for (int stream = 3; stream <= 11; stream += 2) {
            headers(stream, "/echo", false);
            data(stream, "x".repeat(MAX_BODY - 24), false);
        }
        pump();
        assertThat(resets).containsOnlyKeys(11).containsEntry(11, Http2Error.REFUSED_STREAM.code());
        // Ending one frees its share: a new stream fits again, and the others complete.
        data(3, "", true);
        pump();
        assertThat(responseBodies.get(3).toString()).isEqualTo("{\"bytes\":" + (MAX_BODY - 24) + "}");
        headers(13, "/echo", false);
        data(13, "y".repeat(MAX_BODY - 24), true);
        for (int stream = 5; stream <= 9; stream += 2) data(stream, "", true);
        pump();
        for (int stream : new int[] {5, 7, 9, 13}) {
            assertThat(responseHeaders.get(stream).status().toString()).as("stream %d", stream).isEqualTo("200");
        }
        assertThat(inFlight()).isZero();
    }

    @Test
    void unauthenticatedAndUnknownRequestsAreAnsweredWithoutReachingAnEndpoint() {
        Http2Headers h = new DefaultHttp2Headers().method("POST").path("/echo").scheme("http").authority("test");
        ChannelHandlerContext ctx = client.pipeline().firstContext();
        clientHandler.encoder().writeHeaders(ctx, 3, h, 0, true, ctx.newPromise());
        clientHandler.flush(ctx);
        headers(5, "/nowhere", true);
        pump();
        assertThat(responseHeaders.get(3).status().toString()).isEqualTo("401");
        assertThat(responseHeaders.get(5).status().toString()).isEqualTo("404");
        assertThat(inFlight()).isZero();
    }

    /** {@code n} bytes of {@code c}, ending in CRLF like an event. */
    private static byte[] event(char c, int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) c);
        b[n - 2] = '\r';
        b[n - 1] = '\n';
        return b;
    }

    private static String text(byte[]... events) {
        StringBuilder sb = new StringBuilder();
        for (byte[] e : events) sb.append(new String(e, StandardCharsets.US_ASCII));
        return sb.toString();
    }

    /** Starts a /burst stream and returns its id, with the head sent and nothing else yet. */
    private int startBurst(int id) {
        headers(id, "/burst", true);
        pump();
        assertThat(responseHeaders.get(id).status().toString()).isEqualTo("200");
        return id;
    }

    private void runBurst() {
        // (EmbeddedChannel runs tasks inside writes, so the round is asked for here, after the head.)
        burstWriters.forEach(StreamingResponseWriter::requestWrite);
        pump();
    }

    private Http2RequestHandler serverHandler() {
        return server.pipeline().get(Http2RequestHandler.class);
    }

    /**
     * Events written in a round are framed straight into the round's buffer: whole events packed into as
     * few DATA frames as the peer's frame size allows, in order, and both flow-control windows the flow
     * controller keeps are debited by exactly the bytes sent.
     */
    @Test
    void aRoundsEventsArePackedIntoWholeEventFramesAndTheWindowsDebitedExactly() {
        int id = startBurst(3);
        byte[] a = event('a', 7000), b = event('b', 7000), c = event('c', 7000), d = event('d', 100);
        bursts.add(new byte[][] {a, b, c, d});
        runBurst();
        assertThat(dataFrames.get(id)).containsExactly(14_000, 7_100);
        assertThat(responseBodies.get(id).toString()).isEqualTo(text(a, b, c, d));
        // 21,100 bytes is under half the client's window: it has sent no WINDOW_UPDATE yet.
        Http2RequestHandler h = serverHandler();
        int sent = 21_100;
        assertThat(h.flow().windowSize(h.connection().stream(id))).isEqualTo(Http2CodecUtil.DEFAULT_WINDOW_SIZE - sent);
        assertThat(h.flow().windowSize(h.connection().connectionStream())).isEqualTo(Http2CodecUtil.DEFAULT_WINDOW_SIZE - sent);
        burstWriters.forEach(StreamingResponseWriter::finish);
        pump();
        assertThat(ended).contains(id);
    }

    /**
     * What the windows do not hold, and an event larger than a frame, go through Netty's encoder (which
     * waits for WINDOW_UPDATE and cuts frames); a later small event of the same stream must then not
     * overtake them, and the end and a reset come after the stream's DATA.
     */
    @Test
    void eventsTheWindowsDoNotHoldKeepTheirOrderAndTheEndOrResetComesAfterThem() throws Exception {
        // A connection window far larger than the stream's, as drivers grant: only the stream's holds back.
        clientHandler.connection().local().flowController()
                .incrementWindowSize(clientHandler.connection().connectionStream(), 1 << 20);
        client.flush();
        pump();
        int id = startBurst(3);
        byte[][] big = new byte[7][];
        for (int i = 0; i < big.length; i++) big[i] = event((char) ('a' + i), 10_000); // 70,000 > the 65,535 window
        byte[] huge = event('h', 20_000); // over the 16,384 frame size
        byte[] small = event('s', 50);
        bursts.add(big);
        bursts.add(new byte[][] {huge});
        bursts.add(new byte[][] {small});
        afterBursts = StreamingResponseWriter::finish;
        runBurst();
        byte[][] all = java.util.Arrays.copyOf(big, big.length + 2);
        all[big.length] = huge;
        all[big.length + 1] = small;
        assertThat(responseBodies.get(id).toString()).isEqualTo(text(all));
        assertThat(dataFrames.get(id)).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE));
        assertThat(ended).contains(id);

        // A reset written right after events of the same round: the client gets the DATA, then the reset.
        burstWriters.clear();
        int second = startBurst(5);
        byte[] last = event('z', 300);
        bursts.add(new byte[][] {last});
        afterBursts = w -> ((HttpStreamingResponseWriter) w).abort();
        runBurst();
        assertThat(responseBodies.get(second).toString()).isEqualTo(text(last));
        assertThat(resets).containsEntry(second, Http2Error.CANCEL.code());
    }
}
