package io.eddy.core.schema;

import io.eddy.core.value.ObjectValue;
import java.util.Map;

/**
 * A collection definition as a user declares it through {@code Collection.create} or
 * {@code .update()}; the store turns it into a {@link CollectionDef}.
 *
 * @param definition the user-visible fields to render in the collection's named document
 */
public record CollectionSpec(String name, Map<String, IndexSpec> indexes, int historyDays, Integer ttlDays,
                             ObjectValue definition) {
    public CollectionSpec {
        indexes = Map.copyOf(indexes);
    }
}
