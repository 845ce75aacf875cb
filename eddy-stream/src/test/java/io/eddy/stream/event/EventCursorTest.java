package io.eddy.stream.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eddy.core.changelog.LogPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventCursorTest {
    /** The format as specified: URL-safe base64 without padding of version 1, txn_ts and ordinal, big-endian. */
    private static String reference(LogPosition p) {
        ByteBuffer b = ByteBuffer.allocate(13).put((byte) 1).putLong(p.txnTs()).putInt(p.ordinal());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    @Test
    void encodesAsTheReferenceAndDecodesBack() {
        long seed = new SplittableRandom().nextLong();
        System.out.println("EventCursorTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            long ts = switch (i % 4) {
                case 0 -> random.nextLong(Long.MAX_VALUE);
                case 1 -> random.nextLong(1L << 53); // micros since the epoch, and small ones
                case 2 -> i;
                default -> Long.MAX_VALUE - i;
            };
            int ordinal = switch (i % 3) {
                case 0 -> random.nextInt(Integer.MAX_VALUE);
                case 1 -> i % 7 - 1; // -1 (before a transaction) and small ordinals
                default -> Integer.MAX_VALUE; // the end of a transaction
            };
            LogPosition p = new LogPosition(ts, ordinal);
            String expected = reference(p);
            assertEquals(expected, EventCursor.encode(p), "seed " + seed + ", " + p);
            byte[] dst = new byte[EventCursor.LENGTH + 4];
            EventCursor.writeAscii(p, dst, 2);
            byte[] want = new byte[EventCursor.LENGTH + 4];
            System.arraycopy(expected.getBytes(StandardCharsets.US_ASCII), 0, want, 2, EventCursor.LENGTH);
            assertArrayEquals(want, dst, "seed " + seed + ", " + p);
            assertEquals(p, EventCursor.decode(expected), "seed " + seed + ", " + p);
        }
    }

    @Test
    void rejectsWhatIsNotACursor() {
        LogPosition p = new LogPosition(1_795_334_000_000_000L, 3);
        String good = EventCursor.encode(p);
        assertNull(EventCursor.decode(good.substring(1)));
        assertNull(EventCursor.decode(good + "A"));
        assertNull(EventCursor.decode("not a cursor!"));
        // The last character carries two unused bits: another spelling of the same bytes is not accepted.
        char last = good.charAt(good.length() - 1);
        String otherSpelling = good.substring(0, good.length() - 1) + (char) (last + 1);
        assertNull(EventCursor.decode(otherSpelling));
        byte[] version2 = Base64.getUrlDecoder().decode(good);
        version2[0] = 2;
        assertNull(EventCursor.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(version2)));
    }
}
