package io.eddy.fql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * Configuration of the FQL engine.
 *
 * @param signingKey HMAC key for cursors and event-source tokens (at least 16 bytes); kept in the data
 *     folder so that tokens survive restarts and tokens of other servers are rejected
 * @param clock the source of {@code Time.now()}
 */
public record EngineConfig(byte[] signingKey, Clock clock) {
    public static final String KEY_FILE = "signing.key";

    public EngineConfig {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(clock, "clock");
        if (signingKey.length < 16) throw new IllegalArgumentException("signingKey must have at least 16 bytes");
        signingKey = signingKey.clone();
    }

    @Override public byte[] signingKey() { return signingKey.clone(); }

    /** Reads the signing key from {@code dataDir}, creating a random one on first start. */
    public static byte[] loadOrCreateKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve(KEY_FILE);
        if (Files.exists(file)) return Files.readAllBytes(file);
        Files.createDirectories(dataDir);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path tmp = dataDir.resolve(KEY_FILE + ".tmp");
        Files.write(tmp, key, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the folder's own permissions protect the key
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return key;
    }
}
