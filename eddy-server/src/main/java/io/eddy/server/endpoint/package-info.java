/**
 * The API's routes. Each is an {@link io.eddy.server.http.Endpoint} and, when it has a body to
 * parse, a trio like Fauna core's ({@code FQL2Endpoint}, {@code FQL2Request}, {@code FQL2Response}):
 *
 * <ul>
 *   <li>{@link io.eddy.server.endpoint.QueryEndpoint} ({@code POST /query/1}) with
 *       {@link io.eddy.server.endpoint.QueryHttpRequest} (headers and body, validated),
 *       {@link io.eddy.server.endpoint.QueryHttpResponse} (success, failure and protocol-error
 *       bodies), {@link io.eddy.server.endpoint.QueryTags} ({@code X-Query-Tags}) and
 *       {@code QueryBodyParser} (the query template grammar).</li>
 *   <li>{@link io.eddy.server.endpoint.PingEndpoint} ({@code GET /ping}, no authentication).</li>
 * </ul>
 * {@code /stream/1} and {@code /feed/1} belong here as further trios; a stream answers with
 * {@link io.eddy.server.http.Exchange#startStreaming}.
 */
package io.eddy.server.endpoint;
