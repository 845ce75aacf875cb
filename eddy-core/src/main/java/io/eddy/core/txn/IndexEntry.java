package io.eddy.core.txn;

import io.eddy.core.value.Value;
import java.util.List;

/**
 * One entry of an index scan: the entry's index values (in declaration order), the document id, and
 * an opaque position a later scan can continue after.
 */
public record IndexEntry(List<Value> values, String docId, byte[] position) {}
