package io.eddy.server.wire;

import java.util.Set;

/** The tag names of the tagged format and the few facts about collections the codec needs. */
final class Tags {
    static final String INT = "@int";
    static final String LONG = "@long";
    static final String DOUBLE = "@double";
    static final String OBJECT = "@object";
    static final String TIME = "@time";
    static final String DATE = "@date";
    static final String BYTES = "@bytes";
    static final String MOD = "@mod";
    static final String DOC = "@doc";
    static final String REF = "@ref";
    static final String SET = "@set";
    static final String STREAM = "@stream";

    /**
     * Collections whose documents are identified by {@code name} rather than numeric {@code id}
     * (Fauna core's {@code SchemaCollectionCompanion}s). A reference into one of these is written
     * and read as {@code {"name":..., "coll":...}}; as a {@code DocRefValue} its name sits in
     * {@code id}.
     */
    private static final Set<String> SCHEMA_COLLECTIONS =
            Set.of("Collection", "Function", "Role", "AccessProvider", "Database");

    static boolean isSchemaCollection(String coll) {
        return SCHEMA_COLLECTIONS.contains(coll);
    }

    private Tags() {}
}
