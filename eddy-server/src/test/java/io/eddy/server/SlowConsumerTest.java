package io.eddy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.server.testing.StreamServer;
import io.eddy.server.testing.WireAssertions;
import io.eddy.stream.StreamConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading must not make the server buffer without bound. While the client reads
 * nothing, the server writes only until the socket and Netty's outbound buffer are full (the channel
 * turns unwritable), then leaves events in the subscription's bounded queue; when that overflows the
 * stream ends with {@code stream_overflow}, and a new stream from the last cursor the client got
 * recovers every event.
 */
@Timeout(180)
class SlowConsumerTest {
    private static final int QUEUE = 64;
    private static final int TXNS = 10;
    private static final int PER_TXN = 1000;
    private static final int TOTAL = TXNS * PER_TXN;
    private static final String PAD = "x".repeat(2000);

    @TempDir Path dir;

    @Test
    void aClientThatStopsReadingOverflowsBoundedlyAndResumesWithoutLoss() throws Exception {
        try (StreamServer s = new StreamServer(dir, new StreamConfig(QUEUE, 65_536, Duration.ofMinutes(5), 0, 1024));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Socket socket = new Socket()) {
            s.query(http, "Collection.create({ name: 'Item' })");
            String token = s.token(http, "Item.all().toStream()");

            // A small receive window so the kernel cannot soak up the stream for the server.
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", s.port), 5000);
            socket.setSoTimeout(30_000);
            String body = "{\"token\":\"" + token + "\"}";
            OutputStream out = socket.getOutputStream();
            out.write(("POST /stream/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nX-Driver: Java\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("transfer-encoding: chunked");
            assertThat(WireAssertions.parse(readChunk(in)).get("type").asText()).isEqualTo("status");
            assertThat(s.streams.dispatcher().subscriptionCount()).isEqualTo(1);

            // Thousands of ~2 KB events while the client reads nothing.
            for (int t = 0; t < TXNS; t++) {
                s.query(http, "Set.sequence(0, " + PER_TXN + ").forEach(i => Item.create({ n: i + " + (t * PER_TXN)
                        + ", pad: '" + PAD + "' }))");
            }
            // The overflow ends the subscription on the server while the client still reads nothing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.streams.dispatcher().subscriptionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(s.streams.dispatcher().subscriptionCount()).as("the subscription overflowed").isZero();

            // Now read everything the server had accepted: events, then the error, then the end.
            List<JsonNode> events = new ArrayList<>();
            String chunk;
            while ((chunk = readChunk(in)) != null) {
                JsonNode e = WireAssertions.parse(chunk);
                WireAssertions.assertEvent(e);
                events.add(e);
            }
            JsonNode last = events.getLast();
            assertThat(last.get("type").asText()).isEqualTo("error");
            assertThat(last.get("error").get("code").asText()).isEqualTo("stream_overflow");
            assertThat(last.get("error").get("message").asText()).isEqualTo("Too many events to process.");
            List<JsonNode> data = events.subList(0, events.size() - 1);
            int received = data.size();
            for (int i = 0; i < received; i++) {
                assertThat(data.get(i).get("type").asText()).isEqualTo("add");
                assertThat(n(data.get(i))).isEqualTo(i);
            }
            // What the client got is what sat in socket buffers, Netty's outbound buffer (bounded by
            // its high-water mark) and the subscription queue: a small fraction of what was written.
            // (91 here: the 64 queued plus ~60 KB in flight; a few MB of kernel buffers at most elsewhere.)
            assertThat(received).as("events buffered for a client that read nothing").isLessThan(QUEUE + 2000);

            // Resuming from the last cursor the client saw recovers every remaining event, once.
            String cursor = received == 0 ? null : data.getLast().get("cursor").asText();
            String resume = cursor == null ? body : "{\"token\":\"" + token + "\",\"cursor\":\"" + cursor + "\"}";
            try (StreamServer.OpenStream st = s.openStream(http, resume)) {
                assertThat(st.next().get("type").asText()).isEqualTo("status");
                for (int expected = received; expected < TOTAL; expected++) {
                    JsonNode e = st.next();
                    assertThat(e.get("type").asText()).isEqualTo("add");
                    assertThat(n(e)).isEqualTo(expected);
                }
                assertThat(st.drain(Duration.ofMillis(300))).isEmpty();
            }
        }
    }

    /**
     * The same over HTTP/2 (h2c upgrade, the JVM driver's transport) with a JDK client whose body
     * subscriber stops asking for data: the client stops granting flow-control window, the stream
     * channel turns unwritable, and the server stops writing until the client reads on.
     */
    @Test
    void anHttp2ClientThatStopsReadingOverflowsAndResumesWithoutLoss() throws Exception {
        try (StreamServer s = new StreamServer(dir, new StreamConfig(QUEUE, 65_536, Duration.ofMinutes(5), 0, 1024));
             HttpClient http = HttpClient.newHttpClient()) {
            s.query(http, "Collection.create({ name: 'Item' })");
            String token = s.token(http, "Item.all().toStream()");
            String body = "{\"token\":\"" + token + "\"}";
            StreamServer.OpenStream st = s.openStream(http, body, 1);
            assertThat(st.awaitHead().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(st.next().get("type").asText()).isEqualTo("status");

            // Write in bursts smaller than the queue, so that the stream overflows only once the client's
            // flow-control window is used up and the queue behind it fills (the JDK grants a large window).
            int burst = QUEUE / 2;
            int written = 0;
            while (s.streams.dispatcher().subscriptionCount() > 0 && written < 40 * PER_TXN) {
                s.query(http, "Set.sequence(0, " + burst + ").forEach(i => Item.create({ n: i + " + written
                        + ", pad: '" + PAD + "' }))");
                written += burst;
            }
            assertThat(s.streams.dispatcher().subscriptionCount()).as("the subscription overflowed").isZero();

            st.readOn();
            List<JsonNode> events = new ArrayList<>();
            JsonNode e;
            while ((e = st.next(Duration.ofSeconds(5))) != null) {
                WireAssertions.assertEvent(e);
                events.add(e);
                if (e.get("type").asText().equals("error")) {
                    break;
                }
            }
            st.completed().get(10, TimeUnit.SECONDS);
            st.close();
            assertThat(events.getLast().get("error").get("code").asText()).isEqualTo("stream_overflow");
            List<JsonNode> data = events.subList(0, events.size() - 1);
            int received = data.size();
            for (int i = 0; i < received; i++) {
                assertThat(n(data.get(i))).isEqualTo(i);
            }
            assertThat(received).isLessThan(written);
            // Even the event that met the end of the window arrived whole: one event per delivery.
            assertThat(st.deliveries).as("one event per delivery").allSatisfy(d -> assertThat(d.split("\n", -1)).hasSize(2));

            String resume = received == 0 ? body
                    : "{\"token\":\"" + token + "\",\"cursor\":\"" + data.getLast().get("cursor").asText() + "\"}";
            try (StreamServer.OpenStream again = s.openStream(http, resume)) {
                assertThat(again.next().get("type").asText()).isEqualTo("status");
                for (int expected = received; expected < written; expected++) {
                    assertThat(n(again.next())).isEqualTo(expected);
                }
                assertThat(again.drain(Duration.ofMillis(300))).isEmpty();
            }
        }
    }

    /**
     * A large feed page is sent while it is read; a client that stops reading in the middle holds the
     * rest back (the page read waits for the connection) and, reading on, gets the whole page, the same
     * events in order; one that leaves in the middle does not stop the server from serving others; one
     * that stays but reads nothing past the request's timeout has the response cut off.
     */
    @Test
    void aFeedPageReaderThatPausesGetsTheWholePageAndOneThatLeavesOrStallsIsLetGo() throws Exception {
        try (StreamServer s = new StreamServer(dir, new StreamConfig(QUEUE, 65_536, Duration.ofMinutes(5), 0, 1024));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            s.query(http, "Collection.create({ name: 'Item' })");
            String token = s.token(http, "Item.all().toStream()");
            for (int t = 0; t < 4; t++) {
                s.query(http, "Set.sequence(0, " + PER_TXN + ").forEach(i => Item.create({ n: i + " + (t * PER_TXN)
                        + ", pad: '" + PAD + "' }))");
            }
            String body = "{\"token\":\"" + token + "\",\"page_size\":" + (4 * PER_TXN) + "}";
            String request = "POST /feed/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nX-Query-Timeout-Ms: 60000\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;

            // Pauses after the head: then reads the whole page.
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", s.port), 5000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                assertThat(readHead(in)).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("transfer-encoding: chunked");
                Thread.sleep(1_000);
                java.io.ByteArrayOutputStream page = new java.io.ByteArrayOutputStream();
                byte[] piece;
                while ((piece = readRawChunk(in)) != null) {
                    page.write(piece);
                }
                JsonNode json = WireAssertions.parse(page.toString(StandardCharsets.UTF_8));
                assertThat(json.get("events")).hasSize(4 * PER_TXN);
                for (int i = 0; i < 4 * PER_TXN; i++) {
                    assertThat(n(json.get("events").get(i))).isEqualTo(i);
                }
                assertThat(json.get("has_next").asBoolean()).isFalse();
            }

            // Leaves after the head: the server lets the page go and serves the next request.
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", s.port), 5000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                assertThat(readHead(new BufferedInputStream(socket.getInputStream()))).startsWith("HTTP/1.1 200 OK");
            }
            // Leaves the page unread past its timeout while connected: the response is cut off (the
            // page read must not hold its transaction open for ever), and the client sees it incomplete.
            s.query(http, "Collection.create({ name: 'Big' })");
            String bigToken = s.token(http, "Big.all().toStream()");
            String bigPad = "y".repeat(20_000);
            for (int t = 0; t < 3; t++) {
                s.query(http, "Set.sequence(0, 500).forEach(i => Big.create({ n: i + " + (t * 500) + ", pad: '" + bigPad + "' }))");
            }
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", s.port), 5000);
                socket.setSoTimeout(30_000);
                // 1,500 events of ~20 KB: the first slice alone (1,000 events, ~20 MB) is far more than the
                // socket buffers and Netty's high-water mark hold, so the page read comes to wait for the
                // client as soon as it is rendered, however slow the machine, and the client's 15 s pause
                // outlasts the 4 s it may wait.
                String big = "{\"token\":\"" + bigToken + "\",\"page_size\":1500}";
                socket.getOutputStream().write(("POST /feed/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n"
                        + "X-Query-Timeout-Ms: 4000\r\nContent-Length: " + big.length() + "\r\n\r\n" + big)
                        .getBytes(StandardCharsets.UTF_8));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                assertThat(readHead(in)).startsWith("HTTP/1.1 200 OK");
                Thread.sleep(15_000);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    while (readRawChunk(in) != null) {
                        // read what was sent before the cut
                    }
                }).as("the page ends cut off, not complete").isInstanceOf(EOFException.class);
            }
            HttpResponse<String> again = StreamServer.send(http, s.post("/feed/1",
                    "{\"token\":\"" + token + "\",\"page_size\":10}").build());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(WireAssertions.parse(again.body()).get("events")).hasSize(10);
        }
    }

    /** One chunk's bytes as they are, or null after the last chunk. */
    private static byte[] readRawChunk(InputStream in) throws IOException {
        int size = Integer.parseInt(readLine(in).trim(), 16);
        if (size == 0) {
            readLine(in);
            return null;
        }
        byte[] payload = in.readNBytes(size);
        if (payload.length < size) {
            throw new EOFException("connection closed in a chunk");
        }
        assertThat(readLine(in)).isEmpty();
        return payload;
    }

    private static int n(JsonNode event) {
        return event.get("data").get("@doc").get("n").get("@int").asInt();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One chunk's payload, or null for the last chunk. Every chunk must be exactly one event line. */
    private static String readChunk(InputStream in) throws IOException {
        byte[] payload = readRawChunk(in);
        if (payload == null) {
            return null;
        }
        String event = new String(payload, StandardCharsets.UTF_8);
        assertThat(event).endsWith("\r\n");
        assertThat(event.indexOf('\n')).as("one event per chunk").isEqualTo(event.length() - 1);
        return event.substring(0, event.length() - 2);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed mid-line: " + sb);
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
