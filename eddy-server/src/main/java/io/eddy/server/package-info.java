/**
 * Eddy's HTTP server: Fauna's FQL v10 HTTP protocol over Netty: queries ({@code /query/1}), event
 * streams ({@code /stream/1}) and event feeds ({@code /feed/1}), the latter two over the stream
 * engine of {@code eddy-stream}.
 *
 * <p>Nouns:
 * <ul>
 *   <li>{@link io.eddy.server.EddyHttpServer}: the server; binds one cleartext port for HTTP/1.1,
 *       h2c upgrade and HTTP/2 prior knowledge, and shuts down gracefully. Its javadoc holds the
 *       design and invariants.</li>
 *   <li>{@link io.eddy.server.ServerConfig}: the one typed, validated configuration record.</li>
 * </ul>
 * Subpackages: {@code http} (connection pipelines, routing, authentication, exchanges, errors),
 * {@code endpoint} (the API's routes, each an endpoint/request/response trio) and {@code wire}
 * (the simple and tagged JSON value codec).
 */
package io.eddy.server;
