package io.eddy.bench.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a missing Debian package with {@code apt-get install -y}, as the issue allows the harness to:
 * directly as root, otherwise through {@code sudo -n} (never prompting for a password), as {@code .ci/run}
 * does.
 */
public final class Packages {
    private static final Logger log = LoggerFactory.getLogger(Packages.class);
    private static final List<Path> PATH = pathDirs();
    private static boolean updated;

    private Packages() {}

    /** Ensures {@code binary} exists, installing {@code pkg} if it does not; fails with a clear message otherwise. */
    public static synchronized void ensure(Path binary, String pkg) {
        if (Files.isExecutable(binary)) return;
        List<String> prefix = aptPrefix(Machine.isRoot(), onPath("sudo"));
        if (prefix == null) {
            throw new IllegalStateException(binary + " is missing, this is not root and there is no sudo: install it with "
                    + "`apt-get install -y " + pkg + "` as root");
        }
        log.info("{} is missing: {}", binary, String.join(" ", command(prefix, "apt-get", "install", "-y", pkg)));
        try {
            if (!updated) {
                run(command(prefix, "apt-get", "update", "-qq"));
                updated = true;
            }
            run(command(prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg));
        } catch (IllegalStateException e) {
            if (prefix.isEmpty()) throw e;
            throw new IllegalStateException(binary + " is missing and `sudo -n apt-get install -y " + pkg + "` failed "
                    + "(sudo may need a password here): install it with `sudo apt-get install -y " + pkg + "`; " + e.getMessage(), e);
        }
        if (!Files.isExecutable(binary)) throw new IllegalStateException("apt-get installed " + pkg + " but " + binary + " is missing");
    }

    /**
     * What apt-get runs under: nothing as root, {@code sudo -n} otherwise (non-interactive: a sudo that
     * wants a password fails at once instead of waiting for one), null when not root and there is no sudo.
     */
    static List<String> aptPrefix(boolean root, Path sudo) {
        if (root) return List.of();
        if (sudo == null) return null;
        return List.of(sudo.toString(), "-n");
    }

    private static List<String> command(List<String> prefix, String... cmd) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(List.of(cmd));
        return full;
    }

    /** The executable {@code name} in a folder of {@code PATH}, or null. */
    static Path onPath(String name) {
        for (Path dir : PATH) {
            Path p = dir.resolve(name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static List<Path> pathDirs() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) if (!d.isEmpty()) dirs.add(Path.of(d));
        }
        for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) dirs.add(Path.of(d));
        return dirs;
    }

    static void run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
            // (sudo's env_reset may drop it, as with .ci/run's apt-get: `-y` alone answers these packages)
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
