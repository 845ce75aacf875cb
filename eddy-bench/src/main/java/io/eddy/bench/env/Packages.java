package io.eddy.bench.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Installs a missing Debian package with {@code apt-get install -y}, as the issue allows the harness to. */
public final class Packages {
    private static final Logger log = LoggerFactory.getLogger(Packages.class);
    private static boolean updated;

    private Packages() {}

    /** Ensures {@code binary} exists, installing {@code pkg} if it does not; fails with a clear message otherwise. */
    public static synchronized void ensure(Path binary, String pkg) {
        if (Files.isExecutable(binary)) return;
        if (!Machine.isRoot()) {
            throw new IllegalStateException(binary + " is missing and this is not root: install it with "
                    + "`sudo apt-get install -y " + pkg + "`");
        }
        log.info("{} is missing: apt-get install -y {}", binary, pkg);
        if (!updated) {
            run(List.of("apt-get", "update", "-qq"));
            updated = true;
        }
        run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg));
        if (!Files.isExecutable(binary)) throw new IllegalStateException("apt-get installed " + pkg + " but " + binary + " is missing");
    }

    static void run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
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
