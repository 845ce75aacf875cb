package io.eddy.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON field names written as pre-encoded {@link SerializedString}s: Jackson then copies their quoted
 * UTF-8 bytes instead of escaping them character by character, which was the largest single cost of
 * rendering a feed page (every document repeats the same few names). Protocol names are constants;
 * documents' own field names are remembered as they are met, up to {@link #MAX_REMEMBERED} of them
 * (beyond that, names are written the ordinary way, so no input can grow this without bound).
 */
public final class FieldNames {
    static final int MAX_REMEMBERED = 4096;
    private static final ConcurrentHashMap<String, SerializedString> REMEMBERED = new ConcurrentHashMap<>();

    private FieldNames() {}

    /** A pre-encoded name (for the constants of the wire format). */
    public static SerializedString constant(String name) {
        return new SerializedString(name);
    }

    /** Writes {@code name} as a field name, pre-encoded when it is one of the names remembered. */
    public static void write(JsonGenerator g, String name) throws IOException {
        SerializableString known = REMEMBERED.get(name);
        if (known == null && REMEMBERED.size() < MAX_REMEMBERED) {
            known = REMEMBERED.computeIfAbsent(name, SerializedString::new);
        }
        if (known != null) {
            g.writeFieldName(known);
        } else {
            g.writeFieldName(name);
        }
    }
}
