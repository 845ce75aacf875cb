package io.eddy.stream.live;

import io.eddy.core.changelog.CommittedTxn;
import io.eddy.stream.event.Event;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One group commit on its way through the {@link Dispatcher}. The commit thread hands it over
 * <em>before</em> its synced write, so the dispatcher routes, derives and encodes its events while the
 * write is syncing; the events are released to subscribers only once the write is durable, by whichever
 * of the two threads gets there second.
 *
 * <p>State bits, each set once: {@link #DURABLE} or {@link #ABANDONED} by the commit thread,
 * {@link #PREPARED} (the events are ready) or {@link #FALLBACK} (a derivation needed a read, which must
 * wait for the write to be visible) by the dispatcher thread. The thread whose bit completes the pair
 * acts: the dispatcher releases a batch it finds durable; the commit thread releases a prepared batch
 * itself when that is cheap (see {@link Dispatcher}) and otherwise hands it back to the dispatcher.
 * {@link #prepared} is written before {@code PREPARED} is set and read after it is seen, so the atomic
 * state orders it.
 */
final class CommitBatch {
    static final int PREPARED = 1, DURABLE = 2, ABANDONED = 4, FALLBACK = 8;

    /** The deliveries of one commit batch, in log order. */
    sealed interface Step permits Delivery, Revocation, Ending {}

    /** One event of one group (every subscriber of the group's token gets the same bytes). */
    record Delivery(Dispatcher.Group group, Event event, byte[] bytes) implements Step {}

    /** A key deleted or left without a role: the streams opened with its secret end here. */
    record Revocation(String keyId) implements Step {}

    /** The group's collection or index was deleted or replaced: its streams end here with {@code event}. */
    record Ending(Dispatcher.Group group, Event event) implements Step {}

    /**
     * @param registryVersion the dispatcher's registry version when derivation began: a subscription
     *     registered since may be missing from {@code steps}
     * @param offers how many subscription offers the steps make (their groups' sizes when derived)
     */
    record Prepared(List<Step> steps, long registryVersion, int offers, boolean revokes) {}

    final List<CommittedTxn> group;
    private final AtomicInteger state = new AtomicInteger();
    /** The derived steps; null until derived (or when a derivation fell back). */
    Prepared prepared;

    CommitBatch(List<CommittedTxn> group) {
        this.group = group;
    }

    /** A batch of a commit that is already durable (its listener missed {@code preparing}). */
    static CommitBatch durable(List<CommittedTxn> group) {
        CommitBatch b = new CommitBatch(group);
        b.state.set(DURABLE);
        return b;
    }

    int state() {
        return state.get();
    }

    /** Sets {@code bit}; returns the state before. */
    int mark(int bit) {
        return state.getAndUpdate(s -> s | bit);
    }

    long lastTs() {
        return group.getLast().txnTs();
    }
}
