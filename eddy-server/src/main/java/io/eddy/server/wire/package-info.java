/**
 * The wire codec: FQL {@link io.eddy.core.value.Value values} to and from JSON in Fauna's two value
 * formats.
 *
 * <p>Nouns:
 * <ul>
 *   <li>{@link io.eddy.server.wire.WireFormat}: {@code simple} (plain JSON) or {@code tagged}
 *       ({@code {"@int":"1"}}, {@code {"@doc":{...}}}, ...), chosen per request by {@code X-Format}.</li>
 *   <li>{@link io.eddy.server.wire.TaggedJson}: the entry point; writes a value in either format and
 *       reads request values (always tagged for template {@code value} nodes, per {@code X-Format}
 *       for {@code arguments}).</li>
 *   <li>{@link io.eddy.server.wire.InvalidValueException}: why an input value was rejected, a
 *       lower-case phrase that callers embed in an {@code invalid_request} message.</li>
 *   <li>{@link io.eddy.server.wire.WireJson}: the one configured Jackson factory (duplicate-key
 *       detection, nesting limit) every reader and writer in the server uses.</li>
 *   <li>{@link io.eddy.server.wire.JsonBytes} and {@link io.eddy.server.wire.StoredDocumentJson}: the
 *       hot path's writer without a generator: a document that knows its stored bytes, written from
 *       them into a byte buffer (byte for byte what the generator writes), handed to the generator as
 *       one raw value or sent as it is (stream events).</li>
 * </ul>
 *
 * <p>The codec is stateless and thread-safe; it works on Jackson's streaming API only, never on a
 * tree model, so a request body is read once, in order, without an intermediate copy.
 */
package io.eddy.server.wire;
