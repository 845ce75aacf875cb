package io.eddy.fql.api;

/** Resolves key secrets (minted by {@code Key.create}) to the principal they act as. Thread-safe. */
public interface KeyAuthority {
    /** An authority that knows no keys. */
    KeyAuthority NONE = new KeyAuthority() {
        @Override public Principal authenticate(String secret) { return null; }
        @Override public boolean isLive(String keyId) { return false; }
    };

    /**
     * The principal of a live key's secret, or null when {@code secret} is not one: malformed, forged,
     * or the key was deleted or has expired. Never blocks on I/O (safe on an event loop).
     */
    Principal authenticate(String secret);

    /** Whether the key document still exists and has not expired. */
    boolean isLive(String keyId);
}
