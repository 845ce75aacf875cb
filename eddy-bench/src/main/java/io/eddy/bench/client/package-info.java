/**
 * Clients the harness drives its targets with. Eddy is reached the way a real Fauna client reaches it:
 * HTTP/2 with prior knowledge, many streams per connection ({@link io.eddy.bench.client.H2Connection},
 * {@link io.eddy.bench.client.EddyClient}, {@link io.eddy.bench.client.StreamPool}); stream events are
 * scanned, not fully parsed, by {@link io.eddy.bench.client.EventScan} so the client stays cheap at a
 * million events a second. Redis is reached over RESP ({@link io.eddy.bench.client.RespClient}).
 */
package io.eddy.bench.client;
