/**
 * FQL values: immutable records implementing {@link io.eddy.core.value.Value}. The storable ones
 * (null, booleans, numbers, strings, times, dates, bytes, arrays, objects, refs, modules; documents as
 * refs) can be written into documents; see {@code io.eddy.core.codec} for their encodings and order.
 */
package io.eddy.core.value;
