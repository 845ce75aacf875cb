/**
 * The HTTP layer: from TCP bytes to an {@link io.eddy.server.http.Exchange} that an
 * {@link io.eddy.server.http.Endpoint} answers.
 *
 * <p>Nouns:
 * <ul>
 *   <li>{@link io.eddy.server.http.HttpChannelInitializer}: the per-connection pipeline (HTTP/1.1,
 *       h2c upgrade, HTTP/2 prior knowledge).</li>
 *   <li>{@code RequestDispatcher}: an HTTP/1.1 connection's requests, one at a time and in order.</li>
 *   <li>{@code Http2RequestHandler}: an HTTP/2 connection at the frame level; each stream is an
 *       {@code Http2StreamWire} (no channel of its own) that gathers its request.</li>
 *   <li>{@code ExchangeRunner}: shared by both: routes, authenticates, runs endpoints on virtual
 *       threads, answers errors; {@code ExchangeWire} ({@code Http1Wire}, {@code Http2StreamWire}):
 *       what carries one exchange's answer.</li>
 *   <li>{@link io.eddy.server.http.Router}: method and normalised path to endpoint.</li>
 *   <li>{@link io.eddy.server.http.Authenticator}: the bearer-secret check.</li>
 *   <li>{@link io.eddy.server.http.Endpoint} and {@link io.eddy.server.http.Exchange}: one route,
 *       and one request with its single answer.</li>
 *   <li>{@link io.eddy.server.http.StreamingResponseWriter}: the body of a long-lived response, one
 *       event per chunk or DATA frame (for {@code /stream/1}), with the channel's writability for
 *       back-pressure; the server ends open ones when it shuts down.</li>
 *   <li>{@link io.eddy.server.http.ErrorCode}, {@link io.eddy.server.http.ProtocolException},
 *       {@link io.eddy.server.http.JsonResponses}: protocol errors and JSON bodies.</li>
 *   <li>{@code WriteRounds}: how a connection's event streams share its socket: the streams with
 *       events are run together, then the connection is flushed once.</li>
 *   <li>{@code Connection}, {@code ConnectionGuard}: per-connection state (exchanges in flight,
 *       open event streams, write rounds, draining) and the idle timeout (reads only).</li>
 *   <li>{@code ChunkedBufferOutput}: response bodies in pooled chunks joined without copying.</li>
 *   <li>{@code BoundedAggregator}, {@code OversizedRequest}: body aggregation under the size limit,
 *       and the stand-in request that becomes a JSON 413.</li>
 * </ul>
 */
package io.eddy.server.http;
