package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.CommittedTxn;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Makes chosen group commits' synced writes fail, for real: just before such a write (in
 * {@code preparing}, on the commit thread) the store's write options ask for a sync without a WAL, which
 * RocksDB refuses before it writes anything ({@code InvalidArgument}); they are restored when the
 * commit thread reports the outcome. So the failure goes through the store's own error path, with
 * nothing mocked, and nothing of the refused write reaches the disk.
 */
public final class WriteFaults implements ChangeLog.CommitListener, AutoCloseable {
    private final RocksStore store;
    private final Predicate<List<CommittedTxn>> failIf;
    private final AutoCloseable registration;
    private final AtomicInteger failed = new AtomicInteger();
    private boolean armed; // commit thread only

    private WriteFaults(RocksStore store, Predicate<List<CommittedTxn>> failIf) {
        this.store = store;
        this.failIf = failIf;
        this.registration = store.changeLog().addListener(this);
    }

    /** Fails every group commit for which {@code failIf} holds, until closed. */
    public static WriteFaults install(Store store, Predicate<List<CommittedTxn>> failIf) {
        return new WriteFaults((RocksStore) store, failIf);
    }

    /** Group commits made to fail so far. */
    public int failed() {
        return failed.get();
    }

    @Override
    public void preparing(List<CommittedTxn> group) {
        if (failIf.test(group)) {
            armed = true;
            store.syncWrite.setDisableWAL(true);
        }
    }

    @Override
    public void committed(List<CommittedTxn> group) {
        disarm();
    }

    @Override
    public void abandoned(List<CommittedTxn> group) {
        if (armed) failed.incrementAndGet();
        disarm();
    }

    private void disarm() {
        if (armed) {
            armed = false;
            store.syncWrite.setDisableWAL(false);
        }
    }

    @Override
    public void close() {
        try {
            registration.close();
        } catch (Exception e) {
            throw new IllegalStateException("unregistering the write faults failed", e);
        }
    }
}
