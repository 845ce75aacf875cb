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
 *   <li>{@link io.eddy.server.endpoint.StreamEndpoint} ({@code POST /stream/1}) with
 *       {@link io.eddy.server.endpoint.StreamHttpRequest} and
 *       {@link io.eddy.server.endpoint.StreamHttpResponse} (the head, and the
 *       {@link io.eddy.stream.live.EventEncoder} the stream engine encodes events with); a
 *       {@code SubscriptionPump} drains each subscription onto its connection, one event per write,
 *       only while the connection is writable.</li>
 *   <li>{@link io.eddy.server.endpoint.FeedEndpoint} ({@code POST /feed/1}) with
 *       {@link io.eddy.server.endpoint.FeedHttpRequest} and
 *       {@link io.eddy.server.endpoint.FeedHttpResponse}; {@code FeedPageRenderer} renders a page in
 *       slices while it is read, and {@code PageBody} sends a large page's slices as they are ready.</li>
 *   <li>Shared by streams and feeds: {@code EventSourceBodyParser} (the
 *       {@code {token, cursor?, start_ts?, page_size?}} body) and {@code EventJson} (one event's
 *       JSON, in core's field order).</li>
 *   <li>{@link io.eddy.server.endpoint.PingEndpoint} ({@code GET /ping}, no authentication).</li>
 * </ul>
 */
package io.eddy.server.endpoint;
