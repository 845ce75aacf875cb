package io.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link SequenceTimestamps} against a sorted map doing what the store's skip-list map did. */
class SequenceTimestampsTest {

    @Test
    void behavesAsASortedMapUnderRandomUse() {
        long seed = Long.getLong("seed", new SplittableRandom().nextLong());
        System.out.println("SequenceTimestampsTest seed " + seed + " (replay with -Dseed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        SequenceTimestamps ring = new SequenceTimestamps();
        TreeMap<Long, Long> model = new TreeMap<>();
        long seq = random.nextLong(1_000);
        long ts = 1_795_334_000_000_000L;
        ring.put(seq, ts);
        model.put(seq, ts);
        for (int step = 0; step < 200_000; step++) {
            String at = "seed " + seed + ", step " + step;
            int op = random.nextInt(100);
            if (op < 45) { // a group commit, usually after the newest
                if (random.nextInt(50) == 0 && !model.isEmpty()) {
                    long back = model.firstKey() + random.nextLong(seq - model.firstKey() + 1);
                    long t = ts + random.nextLong(1, 10);
                    ring.put(back, t); // out of order: replaces or inserts in place
                    model.put(back, t);
                    ts = Math.max(ts, t);
                } else {
                    seq += random.nextLong(1, 20);
                    ts += random.nextLong(1, 1_000);
                    ring.put(seq, ts);
                    model.put(seq, ts);
                }
            } else if (op < 50 && !model.isEmpty()) { // a failed write takes its entry back
                Map.Entry<Long, Long> last = model.lastEntry();
                long t = random.nextBoolean() ? last.getValue() : last.getValue() + 1; // the wrong ts: kept
                ring.remove(last.getKey(), t);
                model.remove(last.getKey(), t);
            } else if (op < 60 && !model.isEmpty()) { // pruning below a pinned horizon
                long horizon = model.firstEntry().getValue() + random.nextLong(ts - model.firstEntry().getValue() + 2);
                ring.pruneBelow(horizon);
                while (model.size() >= 2 && model.higherEntry(model.firstKey()).getValue() <= horizon) {
                    model.remove(model.firstKey());
                }
            } else { // a snapshot's lookup
                long probe = (model.isEmpty() ? 0 : model.firstKey()) - 3 + random.nextLong(seq + 10 - (model.isEmpty() ? 0 : model.firstKey()));
                Map.Entry<Long, Long> floor = model.floorEntry(probe);
                if (floor == null) {
                    assertThrows(IllegalStateException.class, () -> ring.tsAtOrBefore(probe), at);
                } else {
                    assertEquals(floor.getValue(), ring.tsAtOrBefore(probe), at + ", lookup of " + probe);
                }
            }
            assertEquals(model.size(), ring.size(), at);
        }
        assertEquals(model.keySet().toString().replace(" ", ""), ring.toString().replace("SequenceTimestamps", "").replace(" ", ""));
    }

    @Test
    void growsPastItsFirstCapacityAcrossTheRingsEnd() {
        SequenceTimestamps ring = new SequenceTimestamps();
        // Wrap the ring first (head moves), then grow it while wrapped.
        for (long i = 0; i < 1_000; i++) ring.put(i, i * 10);
        ring.pruneBelow(9_000); // keeps 900.. (the newest at or below 9,000 is 900)
        assertEquals(100, ring.size());
        for (long i = 1_000; i < 5_000; i++) ring.put(i, i * 10);
        assertEquals(4_100, ring.size());
        for (long i = 900; i < 5_000; i++) assertEquals(i * 10, ring.tsAtOrBefore(i));
        assertEquals(49_990, ring.tsAtOrBefore(Long.MAX_VALUE));
        assertThrows(IllegalStateException.class, () -> ring.tsAtOrBefore(899));
        assertEquals(8_192, ring.capacity());
        // Once pruned to a few entries, the grown ring shrinks back step by step.
        for (int i = 0; i < 5; i++) ring.pruneBelow(49_990);
        assertEquals(1, ring.size());
        assertEquals(49_990, ring.tsAtOrBefore(Long.MAX_VALUE));
        assertEquals(1_024, ring.capacity());
        ring.put(5_000, 50_000);
        assertEquals(50_000, ring.tsAtOrBefore(5_000));
        assertEquals(49_990, ring.tsAtOrBefore(4_999));
    }
}
