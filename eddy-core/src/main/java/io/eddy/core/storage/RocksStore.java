package io.eddy.core.storage;

/** RocksDB implementation of {@link Store}. */
final class RocksStore {
    private RocksStore() {}

    static Store open(StoreConfig config) {
        throw new UnsupportedOperationException("not built yet");
    }
}
