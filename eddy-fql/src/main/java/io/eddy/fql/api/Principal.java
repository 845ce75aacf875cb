package io.eddy.fql.api;

import java.util.Objects;

/**
 * Who a request acts as: the role its secret grants and, for a key's secret, the key document's id.
 *
 * @param keyId the id of the {@code Key} document whose secret authenticated the request, or null
 *     for the server's root secret (which cannot be revoked while the server runs)
 */
public record Principal(Role role, String keyId) {
    /** The root secret without a role suffix. */
    public static final Principal ROOT = new Principal(Role.ADMIN, null);

    public Principal {
        Objects.requireNonNull(role, "role");
    }

    public static Principal root(Role role) {
        return role == Role.ADMIN ? ROOT : new Principal(role, null);
    }
}
