/**
 * Event streams and event feeds: {@link io.eddy.stream.EventStreams} opens tokens, serves feed pages
 * and starts subscriptions, configured by {@link io.eddy.stream.StreamConfig}. Subpackages: events and
 * cursors ({@code event}), the derivation function ({@code derive}), history scanning and feed pages
 * ({@code feed}), and live dispatch ({@code live}).
 */
package io.eddy.stream;
