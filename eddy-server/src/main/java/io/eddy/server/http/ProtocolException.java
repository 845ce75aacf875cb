package io.eddy.server.http;

import java.io.Serial;
import java.util.Locale;
import java.util.Objects;

/**
 * A request the protocol layer refuses, rendered as {@code {"error":{"code":..., "message":...}}}
 * with the code's HTTP status.
 *
 * <p>Messages are a fixed phrase plus the offending detail, in Fauna core's wording where core has
 * one ({@code Invalid header 'x-format': ...}, {@code Invalid request body: ...}): the factory methods
 * hold the fixed phrases so call sites supply only the detail. No stack trace: this is the normal
 * answer to a bad request, not a fault.
 */
public final class ProtocolException extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** {@code Invalid header '<name>': <reason>}; the header name in lower case, as HTTP/2 spells it. */
    public static ProtocolException invalidHeader(CharSequence header, String reason) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST,
                "Invalid header '" + header.toString().toLowerCase(Locale.ROOT) + "': " + reason);
    }

    /** {@code Invalid request body: <reason>}. */
    public static ProtocolException invalidBody(String reason) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "Invalid request body: " + reason);
    }

    /** {@code Invalid argument '<name>': <reason>}, for a top-level {@code arguments} value. */
    public static ProtocolException invalidArgument(String name, String reason) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "Invalid argument '" + name + "': " + reason);
    }

    public static ProtocolException noBody() {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "No request body provided");
    }

    public static ProtocolException missingToken() {
        return new ProtocolException(ErrorCode.UNAUTHORIZED, "Access token required");
    }

    public static ProtocolException invalidToken() {
        return new ProtocolException(ErrorCode.UNAUTHORIZED, "Invalid token, unable to authenticate request");
    }

    public static ProtocolException notFound(String path) {
        return new ProtocolException(ErrorCode.NOT_FOUND, "No endpoint at path '" + path + "'");
    }

    public static ProtocolException methodNotAllowed(String method, String path) {
        return new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + method + " is not allowed on '" + path + "'");
    }

    public static ProtocolException tooLarge(long maxBytes) {
        return new ProtocolException(ErrorCode.REQUEST_SIZE_EXCEEDED,
                "Request body exceeds the maximum size of " + maxBytes + " bytes");
    }

    public static ProtocolException malformed(String detail) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "Malformed HTTP request: " + detail);
    }

    public static ProtocolException internal() {
        return new ProtocolException(ErrorCode.INTERNAL_ERROR, "Internal server error");
    }

    public static ProtocolException unavailable() {
        return new ProtocolException(ErrorCode.SERVICE_UNAVAILABLE, "Server is shutting down");
    }
}
