/**
 * FQL values: immutable records (strings: an immutable class) implementing {@link
 * io.eddy.core.value.Value}. The storable ones (null, booleans, numbers, strings, times, dates, bytes,
 * arrays, objects, refs, modules; documents as refs) can be written into documents; see {@code
 * io.eddy.core.codec} for their encodings and order. A document's id as FQL reads it is an {@link
 * io.eddy.core.value.IdValue}, a string in every respect but FQL's {@code ==} with the number it spells.
 */
package io.eddy.core.value;
