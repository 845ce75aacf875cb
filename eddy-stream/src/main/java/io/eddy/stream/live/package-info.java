/**
 * The live path of event streaming: the {@link io.eddy.stream.live.Dispatcher} routes each committed
 * change to candidate subscription groups (by collection, field value, index terms or document id;
 * keys {@code FieldKey}, {@code TermKey}, groups by a 128-bit {@code GroupKey} of the token), derives and
 * encodes each event once per group, and queues it on every {@link io.eddy.stream.live.Subscription}
 * (bounded; overflow ends a stream with {@code stream_overflow}). Each group commit travels as a
 * {@link io.eddy.stream.live.CommitBatch}, derived while its write syncs (with a
 * {@code NoReadsTransaction}) and released once it is durable. A commit that changes a collection's
 * definition ends the streams whose collection or index it deleted or replaced (an error event; see
 * {@link io.eddy.stream.derive.StreamSource#staleIn}). A
 * {@link io.eddy.stream.live.SubscriptionSink} drains a subscription onto the network.
 */
package io.eddy.stream.live;
