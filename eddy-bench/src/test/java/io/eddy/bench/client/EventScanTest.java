package io.eddy.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventScanTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTypeAndTaggedSentNs() {
        byte[] e = b("{\"type\":\"add\",\"data\":{\"@doc\":{\"id\":\"1\",\"owner\":\"o1\",\"sent_ns\":{\"@long\":\"123456789012\"}}},"
                + "\"txn_ts\":1,\"cursor\":\"c\",\"stats\":{}}");
        assertThat(EventScan.type(e, 0, e.length)).isEqualTo(EventScan.Type.ADD);
        assertThat(EventScan.sentNs(e, 0, e.length)).isEqualTo(123456789012L);
        byte[] i = b("{\"type\":\"update\",\"data\":{\"sent_ns\":{\"@int\":\"42\"}}}");
        assertThat(EventScan.type(i, 0, i.length)).isEqualTo(EventScan.Type.UPDATE);
        assertThat(EventScan.sentNs(i, 0, i.length)).isEqualTo(42);
    }

    @Test
    void readsCommitTimestamps() {
        byte[] e = b("{\"type\":\"add\",\"data\":{\"@doc\":{\"ts\":{\"@time\":\"2026-11-22T00:00:00Z\"},\"sent_ns\":{\"@long\":\"5\"}}},"
                + "\"txn_ts\":1795305600123456,\"cursor\":\"c\"}");
        assertThat(EventScan.commitMicros(e, 0, e.length)).isEqualTo(1795305600123456L);
        byte[] row = b("{\"id\":1,\"sent_ns\":987,\"commit_us\":1795305600000001}");
        assertThat(EventScan.commitMicros(row, 0, row.length)).isEqualTo(1795305600000001L);
        byte[] none = b("{\"id\":1,\"sent_ns\":987}");
        assertThat(EventScan.commitMicros(none, 0, none.length)).isEqualTo(-1);
    }

    @Test
    void readsPlainRowsAndOtherTypes() {
        byte[] row = b("{\"id\":1,\"owner\":\"o1\",\"sent_ns\":987}");
        assertThat(EventScan.sentNs(row, 0, row.length)).isEqualTo(987);
        assertThat(EventScan.type(row, 0, row.length)).isEqualTo(EventScan.Type.OTHER);
        byte[] st = b("{\"type\":\"status\",\"txn_ts\":1}");
        assertThat(EventScan.type(st, 0, st.length)).isEqualTo(EventScan.Type.STATUS);
        assertThat(EventScan.sentNs(st, 0, st.length)).isEqualTo(-1);
        byte[] err = b("{\"type\":\"error\",\"error\":{\"code\":\"stream_overflow\"}}");
        assertThat(EventScan.type(err, 0, err.length)).isEqualTo(EventScan.Type.ERROR);
        byte[] nul = b("{\"sent_ns\":null}");
        assertThat(EventScan.sentNs(nul, 0, nul.length)).isEqualTo(-1);
    }

    @Test
    void scansWithinASlice() {
        byte[] e = b("xx{\"type\":\"remove\",\"sent_ns\":7}yy");
        assertThat(EventScan.type(e, 2, e.length - 4)).isEqualTo(EventScan.Type.REMOVE);
        assertThat(EventScan.sentNs(e, 2, e.length - 4)).isEqualTo(7);
    }

    @Test
    void splitsLinesAcrossFrames() {
        LineSplitter s = new LineSplitter();
        LineSplitter.Scratch scratch = new LineSplitter.Scratch();
        List<String> lines = new ArrayList<>();
        LineSplitter.LineHandler h = (b, off, len) -> lines.add(new String(b, off, len, StandardCharsets.UTF_8));
        s.feed(Unpooled.wrappedBuffer(b("{\"a\":1}\r\n{\"b\"")), h, scratch);
        assertThat(lines).containsExactly("{\"a\":1}");
        s.feed(Unpooled.wrappedBuffer(b(":2}\r")), h, scratch);
        assertThat(lines).containsExactly("{\"a\":1}");
        s.feed(Unpooled.wrappedBuffer(b("\n{\"c\":3}\n\r\n")), h, scratch);
        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void scansFeedPages() {
        String page = "{\"events\":[{\"type\":\"add\",\"data\":{\"@doc\":{\"s\":\"a}]{\\\"\",\"n\":[1,{\"x\":2}]}},"
                + "\"cursor\":\"E1\"},{\"type\":\"error\",\"error\":{\"code\":\"x\"}}],"
                + "\"cursor\":\"TOP\",\"has_next\":true,\"stats\":{\"read_ops\":1}}";
        FeedPageScan.Page p = FeedPageScan.scan(b(page));
        assertThat(p.events()).isEqualTo(2);
        assertThat(p.errors()).isEqualTo(1);
        assertThat(p.cursor()).isEqualTo("TOP");
        assertThat(p.hasNext()).isTrue();
        byte[] bytes = b(page);
        for (int cut = 0; cut <= bytes.length; cut++) {
            FeedPageScan chunked = new FeedPageScan();
            chunked.feed(Unpooled.wrappedBuffer(bytes, 0, cut));
            chunked.feed(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            assertThat(chunked.page()).as("split at " + cut).isEqualTo(p);
            assertThat(chunked.bytes()).isEqualTo(bytes.length);
        }
        FeedPageScan.Page empty = FeedPageScan.scan(b("{\"events\":[],\"cursor\":\"C\",\"has_next\":false,\"stats\":{}}"));
        assertThat(empty.events()).isZero();
        assertThat(empty.cursor()).isEqualTo("C");
        assertThat(empty.hasNext()).isFalse();
    }

    @Test
    void findsQuotesAndBackslashesLikeAByteLoop() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[r.nextInt(1, 70)];
            for (int k = 0; k < b.length; k++) {
                int pick = r.nextInt(40);
                b[k] = (byte) (pick == 0 ? '"' : pick == 1 ? '\\' : pick == 2 ? r.nextInt(256) : r.nextInt('a', 'z' + 1));
            }
            int from = r.nextInt(b.length);
            int to = r.nextInt(from, b.length + 1);
            int expected = from;
            while (expected < to && b[expected] != '"' && b[expected] != '\\') expected++;
            assertThat(FeedPageScan.nextQuoteOrBackslash(b, from, to)).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void findsStructuralBytesLikeAByteLoop() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(43);
        byte[] special = {'"', '{', '}', '[', ']', ',', ':', '\\'};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[r.nextInt(1, 70)];
            for (int k = 0; k < b.length; k++) {
                int pick = r.nextInt(40);
                b[k] = pick < special.length ? special[pick] : pick == 10 ? (byte) r.nextInt(256) : (byte) r.nextInt('0', 'z' + 1);
            }
            int from = r.nextInt(b.length);
            int to = r.nextInt(from, b.length + 1);
            int expected = from;
            while (expected < to && "\"{}[]".indexOf(b[expected]) < 0) expected++;
            assertThat(FeedPageScan.nextStructural(b, from, to)).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void respNumbers() {
        var buf = Unpooled.wrappedBuffer(b(":10000\r\n*3\r\n:-1"));
        assertThat(RespClient.readLineNumber(buf, (byte) ':')).isEqualTo(10000);
        assertThat(RespClient.readLineNumber(buf, (byte) '*')).isEqualTo(3);
        int at = buf.readerIndex();
        assertThat(RespClient.readLineNumber(buf, (byte) ':')).isEqualTo(-1); // incomplete
        assertThat(buf.readerIndex()).isEqualTo(at);
        assertThat(new String(RespClient.command("PUBLISH", "feed", "x"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$7\r\nPUBLISH\r\n$4\r\nfeed\r\n$1\r\nx\r\n");
    }

    @Test
    void lastIndexOfFindsTheLastWholeMatchAtEveryPosition() {
        byte[] needle = "\"sent_ns\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.Random r = new java.util.Random(7);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append(switch (r.nextInt(7)) {
                    case 0 -> "\"sent_ns\":";
                    case 1 -> "\"sent_n";
                    case 2 -> "_";
                    case 3 -> "\"";
                    case 4 -> "sent_ns";
                    case 5 -> "\u00df\u00ff\u00a0"; // bytes with the high bit set
                    default -> "x";
                });
            }
            String text = sb.toString();
            byte[] b = ("ab" + text + "cd").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            int expected = text.lastIndexOf("\"sent_ns\":");
            assertThat(EventScan.lastIndexOf(b, 2, text.length(), needle)).as(text).isEqualTo(expected < 0 ? -1 : expected + 2);
        }
    }
}
