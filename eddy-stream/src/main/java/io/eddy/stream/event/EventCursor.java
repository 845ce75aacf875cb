package io.eddy.stream.event;

import io.eddy.core.changelog.LogPosition;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The opaque cursor of an event: its change-log position ({@code txn_ts}, ordinal), as URL-safe base64
 * of 12 bytes. Events are delivered strictly after a cursor; a status cursor names the end of a
 * transaction ({@code ordinal = Integer.MAX_VALUE}).
 */
public final class EventCursor {
    private static final byte VERSION = 1;

    private EventCursor() {}

    public static String encode(LogPosition p) {
        ByteBuffer b = ByteBuffer.allocate(13);
        b.put(VERSION).putLong(p.txnTs()).putInt(p.ordinal());
        return encode(b.array());
    }

    private static String encode(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The position, or null when the string is not a cursor. */
    public static LogPosition decode(String s) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(s);
            if (raw.length != 13 || raw[0] != VERSION) return null;
            if (!encode(raw).equals(s)) return null; // another spelling of the same bytes
            ByteBuffer b = ByteBuffer.wrap(raw, 1, 12);
            long ts = b.getLong();
            int ordinal = b.getInt();
            if (ts < 0 || ordinal < -1) return null;
            return new LogPosition(ts, ordinal);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
