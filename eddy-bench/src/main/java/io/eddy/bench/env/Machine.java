package io.eddy.bench.env;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Readings of this machine: load average, cores, memory, CPU time of processes, free ports. */
public final class Machine {
    private static final double CLOCK_TICKS = 100.0; // USER_HZ on Linux

    private Machine() {}

    /** The 1-minute load average, or NaN off Linux. */
    public static double loadAverage1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The three load averages as printed in /proc/loadavg ("0.52 0.61 0.70"). */
    public static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** A one-line description: CPU model, cores, memory, kernel. */
    public static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // keep the default
        }
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException ignored) {
            // keep 0
        }
        return String.format("%s, %d cores, %.1f GiB RAM, %s %s, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                memKb / 1048576.0, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"));
    }

    /**
     * The machine's CPU time since boot, all cores together, from {@code /proc/stat}: busy (user,
     * nice, system, irq, softirq: every process of this machine), idle (idle and iowait), and steal
     * (time the hypervisor gave the virtual CPUs' slots to other guests).
     */
    public record CpuTimes(double busySeconds, double idleSeconds, double stealSeconds) {}

    /** The machine's {@link CpuTimes} now, or null if {@code /proc/stat} cannot be read. */
    public static CpuTimes cpuTimes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.startsWith("cpu ")) continue;
                String[] f = line.trim().split("\\s+");
                long[] v = new long[f.length - 1];
                for (int i = 1; i < f.length; i++) v[i - 1] = Long.parseLong(f[i]);
                // user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
                long busy = v[0] + v[1] + v[2] + (v.length > 6 ? v[5] + v[6] : 0);
                long idle = v[3] + (v.length > 4 ? v[4] : 0);
                long steal = v.length > 7 ? v[7] : 0;
                return new CpuTimes(busy / CLOCK_TICKS, idle / CLOCK_TICKS, steal / CLOCK_TICKS);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** CPU seconds (user + system) this JVM has used. */
    public static double selfCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
        return Double.NaN;
    }

    /** CPU seconds (user + system) of {@code pid} and, with {@code children}, its descendants (NaN if unreadable). */
    public static double cpuSeconds(long pid, boolean children) {
        double total = cpuOf(pid);
        if (children) {
            for (long child : descendants(pid)) total += cpuOf(child);
        }
        return total;
    }

    private static List<Long> descendants(long pid) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> out.add(d.pid())));
        return out;
    }

    private static double cpuOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU seconds (user + system) of each live thread of {@code pid}, by thread id, with the thread's
     * group ({@link #threadGroup} of its name): empty if unreadable. Threads that ended are not listed.
     */
    public static Map<Long, ThreadCpu> threadCpuSeconds(long pid) {
        Map<Long, ThreadCpu> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
                    out.put(Long.parseLong(task.getFileName().toString()),
                            new ThreadCpu(threadGroup(stat.substring(open + 1, close)), cpu));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** A thread's group and CPU seconds. */
    public record ThreadCpu(String group, double cpuSeconds) {}

    /**
     * The group a thread's name (as the kernel keeps it, at most 15 characters) belongs to: every run of
     * digits becomes {@code N}, so {@code eddy-io-3-1} and {@code eddy-io-3-2} are {@code eddy-io-N-N}.
     */
    public static String threadGroup(String name) {
        return name.replaceAll("[0-9]+", "N");
    }

    /**
     * The CPU each thread group used between two {@link #threadCpuSeconds} samples, in seconds; a thread
     * that started in between counts from zero (one that ended is missed).
     */
    public static Map<String, Double> cpuByGroup(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after) {
        Map<String, Double> out = new HashMap<>();
        after.forEach((tid, t) -> {
            ThreadCpu b = before.get(tid);
            double used = t.cpuSeconds() - (b == null ? 0 : b.cpuSeconds());
            if (used > 0) out.merge(t.group(), used, Double::sum);
        });
        return out;
    }

    /** Write-like system calls {@code pid} has made ({@code syscw} of /proc/pid/io), or -1 if unreadable. */
    public static long writeSyscalls(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("syscw:")) return Long.parseLong(line.substring(6).trim());
            }
        } catch (IOException | RuntimeException e) {
            // not readable
        }
        return -1;
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** True when this process runs as root. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
