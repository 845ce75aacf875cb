package io.eddy.fql.runtime;

import io.eddy.core.value.Value;

/**
 * A lexical scope: an immutable linked list of bindings. Closures capture the Env they were created in;
 * lookups walk outward. Scopes are shallow in practice (a few lets and parameters), so a list beats a map.
 */
public final class Env {
    public static final Env EMPTY = new Env(null, null, null);

    private final String name;
    private final Value value;
    private final Env parent;

    private Env(String name, Value value, Env parent) {
        this.name = name;
        this.value = value;
        this.parent = parent;
    }

    public Env bind(String name, Value value) {
        return new Env(name, value, this);
    }

    /** The innermost binding of {@code name}, or null when unbound. */
    public Value lookup(String name) {
        for (Env e = this; e != null && e.name != null; e = e.parent) {
            if (e.name.equals(name)) return e.value;
        }
        return null;
    }
}
