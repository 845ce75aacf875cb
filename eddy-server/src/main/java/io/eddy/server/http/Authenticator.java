package io.eddy.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <secret>} against the server's root secret. Thread-safe.
 *
 * <p>Accepted: the root secret itself (role {@code admin}) and the scoped forms
 * {@code <secret>:admin} and {@code <secret>:server}, which the drivers build for role-scoped
 * clients. Fauna's database-scoped forms ({@code <secret>:<db>:<role>}) are refused: Eddy has one
 * database. The comparison hashes both sides and compares digests in constant time, so neither the
 * secret's content nor its length leaks through timing.
 */
public final class Authenticator {
    /** The roles a scoped root secret may name. */
    public static final Set<String> ROLES = Set.of("admin", "server");

    private static final String BEARER = "bearer ";

    private final byte[] secretDigest;

    public Authenticator(String rootSecret) {
        if (rootSecret == null || rootSecret.isBlank() || rootSecret.indexOf(':') >= 0) {
            throw new IllegalArgumentException("root secret must be non-blank and contain no ':'");
        }
        this.secretDigest = sha256(rootSecret);
    }

    /**
     * Authenticates a request.
     *
     * @return the role the secret grants ({@code admin} or {@code server})
     * @throws ProtocolException {@code unauthorized}: {@code Access token required} when there is no
     *     bearer token, {@code Invalid token, unable to authenticate request} when it is wrong
     */
    public String authenticate(HttpHeaders headers) throws ProtocolException {
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
        String key = colon < 0 ? token : token.substring(0, colon);
        String role = colon < 0 ? "admin" : token.substring(colon + 1);
        boolean keyOk = MessageDigest.isEqual(sha256(key), secretDigest);
        if (!keyOk || !ROLES.contains(role)) {
            throw ProtocolException.invalidToken();
        }
        return role;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
