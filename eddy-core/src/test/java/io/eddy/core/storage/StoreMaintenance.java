package io.eddy.core.storage;

/**
 * Runs the store's background upkeep now, for tests in other modules: the store runs it once a
 * minute on its own thread, which a test can neither wait for nor time.
 */
public final class StoreMaintenance {
    private StoreMaintenance() {}

    /** Expires change-log history older than the retention and purges expired documents, as the minutely run does. */
    public static void runRetention(Store store) {
        ((RocksStore) store).retention().run();
    }
}
