package io.eddy.bench.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void threadGroupsJoinThreadsThatDifferOnlyInNumbers() {
        assertThat(Machine.threadGroup("eddy-io-3-1")).isEqualTo("eddy-io-N-N");
        assertThat(Machine.threadGroup("eddy-io-12-2")).isEqualTo("eddy-io-N-N");
        assertThat(Machine.threadGroup("GC Thread#0")).isEqualTo("GC Thread#N");
        assertThat(Machine.threadGroup("eddy-committer")).isEqualTo("eddy-committer");
    }

    @Test
    void cpuByGroupSumsEachGroupsDeltasAndCountsNewThreadsFromZero() {
        Map<Long, Machine.ThreadCpu> before = Map.of(
                1L, new Machine.ThreadCpu("a-N", 1.0),
                2L, new Machine.ThreadCpu("a-N", 2.0),
                3L, new Machine.ThreadCpu("b", 5.0));
        Map<Long, Machine.ThreadCpu> after = Map.of(
                1L, new Machine.ThreadCpu("a-N", 1.5),
                2L, new Machine.ThreadCpu("a-N", 2.25),
                4L, new Machine.ThreadCpu("c", 0.5)); // 3 ended; 4 is new
        assertThat(Machine.cpuByGroup(before, after)).containsOnly(Map.entry("a-N", 0.75), Map.entry("c", 0.5));
    }

    /** A thread of this JVM that spins is found under its group with the CPU it used. */
    @Test
    void readsTheMachinesCpuTimesAndTheyGrowWithWork() {
        Machine.CpuTimes before = Machine.cpuTimes();
        assertThat(before).isNotNull();
        assertThat(before.busySeconds()).isPositive();
        assertThat(before.idleSeconds()).isNotNegative();
        assertThat(before.stealSeconds()).isNotNegative();
        // Spin until this thread itself has used 200 ms of CPU: the machine's busy time includes it.
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threads.getCurrentThreadCpuTime() - cpu0 < 200_000_000L && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Machine.CpuTimes after = Machine.cpuTimes();
        assertThat(threads.getCurrentThreadCpuTime() - cpu0).isGreaterThanOrEqualTo(200_000_000L);
        // At 100 ticks a second, 200 ms of this thread is at least 0.1 s of the machine's busy time.
        assertThat(after.busySeconds() - before.busySeconds()).isGreaterThanOrEqualTo(0.1);
        assertThat(after.idleSeconds()).isGreaterThanOrEqualTo(before.idleSeconds());
    }

    @Test
    void readsThisProcesssThreads() throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<Long, Machine.ThreadCpu> before = Machine.threadCpuSeconds(pid);
        assertThat(before).isNotEmpty();
        java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
        Thread spinner = new Thread(() -> {
            // Spins until it has itself used 150 ms of CPU, however busy the machine is.
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() < 150_000_000L) x += System.nanoTime() & 1;
            if (x == -1) System.out.println(x);
            spun.countDown();
            try {
                measured.await(); // alive while sampled: an ended thread is not listed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spinner-7");
        spinner.start();
        spun.await();
        Map<String, Double> used = Machine.cpuByGroup(before, Machine.threadCpuSeconds(pid));
        measured.countDown();
        spinner.join();
        assertThat(used).containsKey("spinner-N");
        assertThat(used.get("spinner-N")).isGreaterThan(0.1);
    }
}
