package io.eddy.fql.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies key secrets. A secret names its key document and proves it was minted by this
 * server: {@code "fn" + base64url(keyId(8) || HMAC-SHA256(serverKey, DOMAIN || keyId)[0..24])}.
 *
 * <p>Why derived rather than random and stored: nothing secret is kept in the key document (reading
 * {@code Key.all()} reveals no secret), and verifying needs no storage read, so authentication stays
 * cheap enough for an event loop. A secret is revoked by deleting its key document; document ids are
 * never reused, so a revoked secret never becomes valid again. The server key is the one kept in the
 * data folder for cursors and tokens, under a separate domain string.
 */
public final class KeySecrets {
    /** Fauna's secrets start with {@code fn}; drivers and tools recognise the shape. */
    static final String PREFIX = "fn";
    private static final byte[] DOMAIN = "eddy/key-secret/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int ID_BYTES = 8;
    private static final int MAC_BYTES = 24;

    private final SecretKeySpec key;

    public KeySecrets(byte[] serverKey) {
        this.key = new SecretKeySpec(serverKey.clone(), "HmacSHA256");
    }

    /** The secret of the key document {@code keyId} (a positive 64-bit decimal id). */
    public String mint(String keyId) {
        long id = Long.parseLong(keyId);
        byte[] framed = ByteBuffer.allocate(ID_BYTES + MAC_BYTES).putLong(id).put(mac(id)).array();
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(framed);
    }

    /** The key id a secret names, or null when it is not a secret this server minted. */
    public String keyIdOf(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) return null;
        byte[] framed;
        try {
            framed = Base64.getUrlDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (framed.length != ID_BYTES + MAC_BYTES) return null;
        // The decoder ignores the unused low bits of the last character, so several spellings decode
        // to the same bytes; only the canonical one is the secret that was handed out.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(framed).equals(secret.substring(PREFIX.length()))) {
            return null;
        }
        long id = ByteBuffer.wrap(framed).getLong();
        if (id <= 0) return null;
        byte[] actual = Arrays.copyOfRange(framed, ID_BYTES, framed.length);
        return MessageDigest.isEqual(mac(id), actual) ? Long.toString(id) : null;
    }

    private byte[] mac(long id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(DOMAIN);
            mac.update(ByteBuffer.allocate(ID_BYTES).putLong(id).array());
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
