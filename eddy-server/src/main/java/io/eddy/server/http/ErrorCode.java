package io.eddy.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The protocol-level error codes of Fauna's HTTP API (core: {@code ProtocolErrorCode}), each with its
 * HTTP status. The {@link #code()} string is what clients switch on: the JS driver maps errors by code
 * only, the JVM driver by status and then code, so the pair is fixed here once.
 *
 * <p>Query-level errors (a failed {@code abort()}, a type error, ...) are not listed: they come from
 * the query service with their own code and status.
 */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    CONTENDED_TRANSACTION("contended_transaction", 409),
    REQUEST_SIZE_EXCEEDED("request_size_exceeded", 413),
    LIMIT_EXCEEDED("limit_exceeded", 429),
    /** The query ran out of its processing time (Fauna's non-standard 440). */
    TIME_OUT("time_out", 440),
    INTERNAL_ERROR("internal_error", 500),
    /** The server could not take the request (shutting down, overloaded); Fauna's service timeout. */
    SERVICE_UNAVAILABLE("time_out", 503);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The wire code, e.g. {@code invalid_request}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public HttpResponseStatus status() {
        return HttpResponseStatus.valueOf(httpStatus);
    }
}
