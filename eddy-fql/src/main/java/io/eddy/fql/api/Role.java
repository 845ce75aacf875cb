package io.eddy.fql.api;

/**
 * The built-in roles a secret can carry, as Fauna names them. User-defined roles and ABAC are not
 * built yet.
 */
public enum Role {
    /** Everything, including keys. The root secret's role. */
    ADMIN("admin"),
    /** Documents and schema, read and write; not keys. */
    SERVER("server"),
    /** Documents and schema, read only. */
    SERVER_READONLY("server-readonly");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name in secrets ({@code secret:server}) and in key documents ({@code role: "server"}). */
    public String wireName() { return wireName; }

    public boolean canWrite() { return this != SERVER_READONLY; }

    public boolean canManageKeys() { return this == ADMIN; }

    /** The role with this name, or null. */
    public static Role named(String name) {
        for (Role r : values()) {
            if (r.wireName.equals(name)) return r;
        }
        return null;
    }
}
