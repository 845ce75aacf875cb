package io.eddy.core.storage;

import java.util.Arrays;

/**
 * Which commit time each RocksDB sequence number belongs to: entries {@code (end sequence number of a
 * group commit's batch -> ts of its last transaction)}, added by the committer in sequence order and
 * dropped from the oldest end once no snapshot needs them ({@link RocksStore}'s snapshot-ts invariant).
 *
 * <p>Kept in two primitive arrays used as one ring, not in a map of nodes: one entry is added per group
 * commit (thousands a second under load), and a linked structure whose oldest nodes are removed as new
 * ones are appended keeps, through any removed node already in the old generation, every newer node
 * alive across young collections. A {@code ConcurrentSkipListMap} here had G1 copy ~10 MB of such nodes
 * in every young pause under P2's load (12–21 ms pauses; see BENCHMARKS.md).
 *
 * <p>Thread-safe: the committer adds and prunes, every transaction's start looks up. Each call holds
 * the monitor for a few array reads or writes.
 */
final class SequenceTimestamps {
    private static final int INITIAL_CAPACITY = 1024;
    private long[] seqs = new long[INITIAL_CAPACITY];
    private long[] tss = new long[INITIAL_CAPACITY];
    /** Index of the oldest entry. */
    private int head;
    private int size;

    /**
     * Adds {@code seq -> ts}. Sequence numbers come in increasing order (one writer); an entry for a
     * number not above the newest one is put in its place, replacing an equal one.
     */
    synchronized void put(long seq, long ts) {
        if (size > 0 && seq <= seqAt(size - 1)) {
            insertInOrder(seq, ts);
            return;
        }
        if (size == seqs.length) grow();
        int at = slot(size);
        seqs[at] = seq;
        tss[at] = ts;
        size++;
    }

    /** Removes the entry {@code seq -> ts} if it is there (a batch whose write failed or moved). */
    synchronized void remove(long seq, long ts) {
        int i = indexOf(seq);
        if (i < 0 || tsAt(i) != ts) return;
        // Shift the newer entries back by one (nearly always none: the entry removed is the newest).
        for (int j = i; j < size - 1; j++) {
            seqs[slot(j)] = seqAt(j + 1);
            tss[slot(j)] = tsAt(j + 1);
        }
        size--;
    }

    /**
     * The ts of the newest entry at or below {@code seq}: every transaction a snapshot with that sequence
     * number contains has a ts at or below it.
     *
     * @throws IllegalStateException if there is no such entry (the store's first entry is put when it
     *     opens, and the one at or below every pinned snapshot is never pruned)
     */
    synchronized long tsAtOrBefore(long seq) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (seqAt(mid) <= seq) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) throw new IllegalStateException("no commit time known at or before sequence number " + seq);
        return tsAt(found);
    }

    /**
     * Drops entries whose ts is below {@code horizonTs}, keeping the newest one at or below it. A ring
     * that grew while a long transaction held the horizon back shrinks again once it is mostly empty.
     */
    synchronized void pruneBelow(long horizonTs) {
        while (size >= 2 && tsAt(1) <= horizonTs) {
            head = slot(1);
            size--;
        }
        if (seqs.length > INITIAL_CAPACITY && size < seqs.length / 4) resize(seqs.length / 2);
    }

    synchronized int size() {
        return size;
    }

    /** Entries the ring holds without growing (for tests). */
    synchronized int capacity() {
        return seqs.length;
    }

    private int slot(int i) {
        int s = head + i;
        return s < seqs.length ? s : s - seqs.length;
    }

    private long seqAt(int i) {
        return seqs[slot(i)];
    }

    private long tsAt(int i) {
        return tss[slot(i)];
    }

    private int indexOf(long seq) {
        for (int i = size - 1; i >= 0; i--) { // from the newest: the one looked for is nearly always last
            long s = seqAt(i);
            if (s == seq) return i;
            if (s < seq) return -1;
        }
        return -1;
    }

    private void insertInOrder(long seq, long ts) {
        int i = size;
        while (i > 0 && seqAt(i - 1) > seq) i--;
        if (i > 0 && seqAt(i - 1) == seq) {
            tss[slot(i - 1)] = ts;
            return;
        }
        if (size == seqs.length) grow();
        for (int j = size; j > i; j--) {
            seqs[slot(j)] = seqAt(j - 1);
            tss[slot(j)] = tsAt(j - 1);
        }
        seqs[slot(i)] = seq;
        tss[slot(i)] = ts;
        size++;
    }

    private void grow() {
        resize(seqs.length * 2);
    }

    /** Copies the entries, the oldest first, into arrays of {@code capacity}. */
    private void resize(int capacity) {
        long[] s = new long[capacity];
        long[] t = new long[capacity];
        for (int i = 0; i < size; i++) {
            s[i] = seqAt(i);
            t[i] = tsAt(i);
        }
        seqs = s;
        tss = t;
        head = 0;
    }

    @Override
    public synchronized String toString() {
        long[] s = new long[size];
        for (int i = 0; i < size; i++) s[i] = seqAt(i);
        return "SequenceTimestamps" + Arrays.toString(s);
    }
}
