package io.eddy.fql.interp;

import io.eddy.fql.runtime.FieldPath;
import io.eddy.fql.runtime.SetValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident strings for pagination cursors (and, through {@link #seal}/{@link #open}, event
 * source tokens): {@code base64url(kind, version, payload, HMAC-SHA256(key, kind|version|payload)[0..16])}.
 * The key lives in the data folder, so a string from another server or a modified one is rejected.
 */
public final class Cursors {
    static final byte KIND_SET_CURSOR = 'C';
    static final byte KIND_EVENT_SOURCE = 'S';
    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;

    public Cursors(byte[] key) {
        if (key.length < 16) throw new IllegalArgumentException("cursor key must have at least 16 bytes");
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** A failed decode: the string was not produced by this server or was altered. */
    public static final class InvalidCursor extends Exception {
        InvalidCursor(String message) { super(message, null, false, false); }
    }

    String encode(SetValue set, SetExecutor.Resume resume) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            SetCodec.writeSet(out, set);
            writeResume(out, resume);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seal(KIND_SET_CURSOR, bytes.toByteArray());
    }

    record Decoded(SetValue set, SetExecutor.Resume resume) {}

    Decoded decode(String cursor) throws InvalidCursor {
        byte[] payload = open(KIND_SET_CURSOR, cursor);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            SetValue set = SetCodec.readSet(in);
            SetExecutor.Resume resume = readResume(in);
            if (in.available() != 0) throw new InvalidCursor("trailing bytes");
            return new Decoded(set, resume);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new InvalidCursor("malformed cursor");
        }
    }

    /** Decoded event-source token: the source and the commit time of the query that created it. */
    public record DecodedSource(io.eddy.fql.runtime.EventSourceDef source, long createdTs) {}

    /** Seals an event source into its token, stamped with the creating query's commit time. */
    public String encodeEventSource(io.eddy.fql.runtime.EventSourceDef source, long createdTs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            SetCodec.writeSet(out, source.set());
            out.writeInt(source.watchedFields().size());
            for (FieldPath path : source.watchedFields()) writeWatchedField(out, path);
            out.writeLong(createdTs);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seal(KIND_EVENT_SOURCE, bytes.toByteArray());
    }

    /** Opens a token made by {@link #encodeEventSource}; throws if it was not made by this server or was altered. */
    public DecodedSource decodeEventSource(String token) throws InvalidCursor {
        byte[] payload = open(KIND_EVENT_SOURCE, token);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            SetValue set = SetCodec.readSet(in);
            int n = SetCodec.length(in);
            java.util.List<FieldPath> fields = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) fields.add(readWatchedField(in));
            long ts = in.readLong();
            if (in.available() != 0) throw new InvalidCursor("trailing bytes");
            return new DecodedSource(new io.eddy.fql.runtime.EventSourceDef(set, fields), ts);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new InvalidCursor("malformed token");
        }
    }

    // A watched field of names only is its step count and the names (the format of tokens made before
    // paths had positions, which stay valid); one with a position is minus its step count, then each
    // step tagged: 0 and a name, or 1 and a position.
    private static final int STEP_NAME = 0, STEP_POSITION = 1;

    private static void writeWatchedField(DataOutputStream out, FieldPath path) throws IOException {
        java.util.List<String> names = path.names();
        if (names != null) {
            out.writeInt(names.size());
            for (String name : names) SetCodec.writeString(out, name);
            return;
        }
        out.writeInt(-path.steps().size());
        for (FieldPath.Step step : path.steps()) {
            switch (step) {
                case FieldPath.Name name -> { out.writeByte(STEP_NAME); SetCodec.writeString(out, name.name()); }
                case FieldPath.Position p -> { out.writeByte(STEP_POSITION); out.writeInt(p.index()); }
            }
        }
    }

    private static FieldPath readWatchedField(DataInputStream in) throws IOException {
        int n = in.readInt();
        int steps = Math.abs(n);
        if (n == Integer.MIN_VALUE || steps > in.available()) throw new IOException("bad length " + n);
        java.util.List<FieldPath.Step> out = new java.util.ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int tag = n > 0 ? STEP_NAME : in.readUnsignedByte();
            out.add(switch (tag) {
                case STEP_NAME -> new FieldPath.Name(SetCodec.readString(in));
                case STEP_POSITION -> new FieldPath.Position(in.readInt());
                default -> throw new IOException("bad step tag " + tag);
            });
        }
        return new FieldPath(out);
    }

    private static void writeResume(DataOutputStream out, SetExecutor.Resume r) throws IOException {
        switch (r.afterPosition()) {
            case null -> out.writeByte(0);
            case String s -> { out.writeByte(1); SetCodec.writeString(out, s); }
            case byte[] b -> { out.writeByte(2); out.writeInt(b.length); out.write(b); }
            case Long l -> { out.writeByte(3); out.writeLong(l); }
            default -> throw new IllegalStateException("unknown position type " + r.afterPosition().getClass());
        }
        out.writeLong(r.skip());
    }

    private static SetExecutor.Resume readResume(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        Object pos = switch (tag) {
            case 0 -> null;
            case 1 -> SetCodec.readString(in);
            case 2 -> {
                int n = SetCodec.length(in);
                byte[] b = new byte[n];
                in.readFully(b);
                yield b;
            }
            case 3 -> in.readLong();
            default -> throw new IOException("bad position tag");
        };
        long skip = in.readLong();
        if (skip < 0) throw new IOException("bad skip");
        return new SetExecutor.Resume(pos, skip);
    }

    /** Frames and signs a payload. */
    String seal(byte kind, byte[] payload) {
        byte[] framed = new byte[2 + payload.length + MAC_BYTES];
        framed[0] = kind;
        framed[1] = VERSION;
        System.arraycopy(payload, 0, framed, 2, payload.length);
        byte[] mac = mac(framed, 2 + payload.length);
        System.arraycopy(mac, 0, framed, 2 + payload.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(framed);
    }

    /** Verifies and unframes a sealed string of the given kind. */
    byte[] open(byte kind, String sealed) throws InvalidCursor {
        byte[] framed;
        try {
            framed = Base64.getUrlDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursor("not base64");
        }
        // The decoder ignores the unused low bits of the last character: only the spelling that was
        // handed out is accepted, so any change to a token or cursor is refused.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(framed).equals(sealed)) throw new InvalidCursor("not canonical");
        if (framed.length < 2 + MAC_BYTES || framed[0] != kind || framed[1] != VERSION) throw new InvalidCursor("bad frame");
        int body = framed.length - MAC_BYTES;
        byte[] expected = Arrays.copyOf(mac(framed, body), MAC_BYTES);
        byte[] actual = Arrays.copyOfRange(framed, body, framed.length);
        if (!MessageDigest.isEqual(expected, actual)) throw new InvalidCursor("signature mismatch");
        return Arrays.copyOfRange(framed, 2, body);
    }

    private byte[] mac(byte[] data, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
