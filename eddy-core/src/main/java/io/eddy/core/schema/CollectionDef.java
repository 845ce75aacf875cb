package io.eddy.core.schema;

import io.eddy.core.value.ObjectValue;
import java.util.Map;

/**
 * A collection's definition. {@code collId} is unique for the life of the database (a collection
 * deleted and created again under the same name gets a new id), and prefixes every document key.
 *
 * @param definition the user-visible definition fields (indexes, history_days, ...), rendered as the
 *     collection's named document
 * @param ts commit time of the last change to the definition, in microseconds
 */
public record CollectionDef(
        String name,
        long collId,
        Map<String, IndexDef> indexes,
        int historyDays,
        Integer ttlDays,
        ObjectValue definition,
        long ts) {
    public CollectionDef {
        indexes = Map.copyOf(indexes);
    }
}
