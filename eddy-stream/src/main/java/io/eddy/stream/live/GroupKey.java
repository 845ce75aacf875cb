package io.eddy.stream.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which subscriptions share one derivation and encoding: those of the same stream token. The key is
 * the first 128 bits of the token's SHA-256, so a stream that lives for hours holds 16 bytes instead
 * of its token text, and two different tokens never collide in practice.
 */
record GroupKey(long high, long low) {

    static GroupKey of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(digest);
            return new GroupKey(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
