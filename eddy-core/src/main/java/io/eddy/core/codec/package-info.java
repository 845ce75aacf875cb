/**
 * Binary encodings of values: {@link io.eddy.core.codec.ValueCodec} (compact, for stored bodies),
 * {@link io.eddy.core.codec.KeyCodec} (order-preserving, for index keys) and
 * {@link io.eddy.core.codec.ValueOrder} (the total order of values the key encoding follows).
 * {@link io.eddy.core.codec.ByteWriter}/{@link io.eddy.core.codec.ByteReader} are the byte buffers.
 */
package io.eddy.core.codec;
