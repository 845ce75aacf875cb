package io.eddy.core.storage;

/**
 * Runs the store's background upkeep now, for tests of other modules (through this module's test jar)
 * that need history retention or TTL purges to have happened: the store runs them every minute on its
 * own thread, and they are not part of its public interface.
 */
public final class StoreMaintenance {
    private StoreMaintenance() {}

    /** One full run: change-log retention, then the purge of expired documents. */
    public static void runRetention(Store store) {
        ((RocksStore) store).retention().run();
    }
}
