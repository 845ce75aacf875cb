/**
 * Event derivation: a {@link io.eddy.stream.derive.StreamSource} (an event source resolved against the
 * schema of the request that opens it, and bound to the collection and index ids it found) and
 * {@link io.eddy.stream.derive.EventDeriver}, the single pure function from a source and a change-log
 * record to an event, used by live streams, feeds and replay alike;
 * {@link io.eddy.stream.derive.LeadingEquality}, the field equality a collection source's filter
 * starts with, which the live dispatcher routes by; {@link io.eddy.stream.derive.NoReadsTransaction},
 * the transaction of a derivation that must not read the store (the dispatcher's while a commit syncs,
 * a feed's read-ahead).
 */
package io.eddy.stream.derive;
