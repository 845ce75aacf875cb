package io.eddy.stream;

/**
 * A stream or feed request that cannot start: a bad token, cursor or start time. Maps to HTTP 400
 * with the given code (usually {@code invalid_request}).
 */
public final class StreamRequestException extends Exception {
    private final String code;

    public StreamRequestException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() { return code; }
}
