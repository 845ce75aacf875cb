package io.eddy.server.http;

import io.eddy.fql.api.KeyAuthority;
import io.eddy.fql.api.Principal;
import io.eddy.fql.api.Role;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Checks {@code Authorization: Bearer <secret>}: the server's root secret or a key's secret. Thread-safe
 * and cheap (no storage reads), so it runs on the event loop.
 *
 * <p>Accepted: the root secret itself (role {@code admin}) and the scoped forms {@code <secret>:admin},
 * {@code <secret>:server} and {@code <secret>:server-readonly}, which the drivers build for role-scoped
 * clients; and the secret of a live key ({@code Key.create}), which carries its key's role. Fauna's
 * database-scoped forms ({@code <secret>:<db>:<role>}) are refused: Eddy has one database. The root
 * comparison hashes both sides and compares digests in constant time, so neither the secret's content
 * nor its length leaks through timing; key secrets are checked by their HMAC, also in constant time.
 */
public final class Authenticator {
    private static final String BEARER = "bearer ";

    private final byte[] secretDigest;
    private final KeyAuthority keys;

    public Authenticator(String rootSecret) {
        this(rootSecret, KeyAuthority.NONE);
    }

    public Authenticator(String rootSecret, KeyAuthority keys) {
        if (rootSecret == null || rootSecret.isBlank() || rootSecret.indexOf(':') >= 0) {
            throw new IllegalArgumentException("root secret must be non-blank and contain no ':'");
        }
        this.secretDigest = sha256(rootSecret);
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Authenticates a request.
     *
     * @return who the request acts as
     * @throws ProtocolException {@code unauthorized}: {@code Access token required} when there is no
     *     bearer token, {@code Invalid token, unable to authenticate request} when it is wrong, names an
     *     unknown role, or is the secret of a deleted or expired key
     */
    public Principal authenticate(HttpHeaders headers) throws ProtocolException {
        String header = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw ProtocolException.missingToken();
        }
        header = header.strip();
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ProtocolException.invalidToken();
        }
        String token = header.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            throw ProtocolException.missingToken();
        }
        int colon = token.indexOf(':');
        String secret = colon < 0 ? token : token.substring(0, colon);
        if (MessageDigest.isEqual(sha256(secret), secretDigest)) {
            Role role = colon < 0 ? Role.ADMIN : Role.named(token.substring(colon + 1));
            if (role == null) throw ProtocolException.invalidToken();
            return Principal.root(role);
        }
        Principal key = colon < 0 ? keys.authenticate(secret) : null;
        if (key == null) throw ProtocolException.invalidToken();
        return key;
    }

    /**
     * A fresh digest per call, cloned from this one: {@code MessageDigest.getInstance} looks the algorithm
     * up among the security providers each time, which was most of authenticating a request.
     */
    private static final MessageDigest SHA256 = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static byte[] sha256(String s) {
        MessageDigest md;
        try {
            md = (MessageDigest) SHA256.clone(); // the prototype is never updated: cloning it is thread-safe
        } catch (CloneNotSupportedException e) {
            md = newSha256();
        }
        return md.digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
