package io.eddy.server.wire;

import java.util.Locale;
import java.util.Optional;

/**
 * A value format, chosen per request with {@code X-Format}. Fauna's core defaults to {@link #SIMPLE};
 * the official drivers always ask for {@link #TAGGED}.
 *
 * <p>Fauna's third format, {@code decorated} (FQL literal text for its dashboard shell), is not
 * supported: no driver asks for it, and answering it with another format would make a client
 * mis-read every response. {@link #parse} reports it separately so the error can say so.
 */
public enum WireFormat {
    /** Plain JSON: numbers as JSON numbers, times as strings, documents as plain objects. */
    SIMPLE("simple"),
    /** Fauna's tagged JSON: every non-JSON type in a one-key {@code @tag} object, no raw numbers. */
    TAGGED("tagged");

    private final String headerValue;

    WireFormat(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The {@code X-Format} header value naming this format. */
    public String headerValue() {
        return headerValue;
    }

    /**
     * Parses an {@code X-Format} value, ignoring case and surrounding blanks.
     *
     * @return the format, or empty when the value names none (including {@code decorated})
     */
    public static Optional<WireFormat> parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (WireFormat f : values()) {
            if (f.headerValue.equals(v)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
