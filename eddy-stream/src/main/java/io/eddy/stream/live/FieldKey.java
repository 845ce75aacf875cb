package io.eddy.stream.live;

import io.eddy.core.value.Value;

/**
 * Routing key of a collection source with a leading field equality
 * ({@link io.eddy.stream.derive.LeadingEquality}): collection, field and value, normalised as
 * {@link TermKey} normalises index terms.
 */
record FieldKey(String coll, String field, Value value) {

    static FieldKey of(String coll, String field, Value value) {
        return new FieldKey(coll, field, TermKey.normalize(value));
    }
}
