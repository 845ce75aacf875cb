package io.eddy.fql.interp;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.value.*;
import io.eddy.fql.api.Role;
import io.eddy.fql.ast.Span;
import io.eddy.fql.auth.KeyRegistry;
import io.eddy.fql.runtime.QueryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Key} module and key documents: {@code Key.create({ role, data?, ttl? })} (its result alone
 * carries the {@code secret}), {@code Key.byId}, {@code Key.all}, {@code Key.where},
 * {@code Key.firstWhere}, and the checks on a key document's {@code update}, {@code replace} and
 * {@code delete}. Only the {@code admin} role may touch keys. Key documents live in the system
 * collection {@link KeyRegistry#COLLECTION}; nothing secret is stored in them (see
 * {@link io.eddy.fql.auth.KeySecrets}).
 */
final class KeyFunctions {
    /** The fields a key document may hold. {@code database} (child databases) is not built. */
    private static final Set<String> FIELDS = Set.of("role", "data", "ttl");
    private static final String ROLES = "`admin`, `server` or `server-readonly`";

    private final Interpreter interp;
    private final CollectionFunctions collections;
    private final DocumentFunctions docs;

    KeyFunctions(Interpreter interp, CollectionFunctions collections, DocumentFunctions docs) {
        this.interp = interp;
        this.collections = collections;
        this.docs = docs;
    }

    static boolean isKey(String coll) {
        return coll.equals(KeyRegistry.COLLECTION);
    }

    Value onModule(String name, Args args) {
        return switch (name) {
            case "create" -> {
                interp.ctx().checkKeyAccess(args.span());
                args.count(1);
                yield create(args.object(0), args.span());
            }
            case "byId", "all", "where", "firstWhere" -> {
                interp.ctx().checkKeyAccess(args.span());
                yield collections.onCollection(new ModuleValue(KeyRegistry.COLLECTION), name, args);
            }
            default -> null;
        };
    }

    private Value create(ObjectValue spec, Span span) {
        ObjectValue data = validate(spec, span);
        if (interp.ctx().keySecrets() == null) {
            throw new QueryException("invalid_effect", "Keys cannot be created here.", span);
        }
        CollectionDef def = interp.ctx().txn().collection(KeyRegistry.COLLECTION);
        DocumentValue doc = (DocumentValue) docs.create(def, data, span);
        Map<String, Value> shown = new LinkedHashMap<>(doc.data().fields());
        shown.put("secret", new StringValue(interp.ctx().keySecrets().mint(doc.id())));
        return new DocumentValue(doc.coll(), doc.id(), doc.ts(), new ObjectValue(shown));
    }

    /** Called before a key document's update, replace ({@code newData}) or delete (null); checks the data it would hold. */
    static void checkWrite(QueryContext ctx, ObjectValue newData, Span span) {
        ctx.checkKeyAccess(span);
        if (newData != null) validate(newData, span);
    }

    /** A key document's fields, checked: a known role, an object {@code data}, a time {@code ttl}. */
    private static ObjectValue validate(ObjectValue spec, Span span) {
        for (String field : spec.fields().keySet()) {
            if (field.equals("database")) {
                throw QueryException.invalidArgument("invalid argument `database`: Eddy serves one database; "
                        + "keys for child databases are not supported.", span);
            }
            if (!FIELDS.contains(field)) {
                throw QueryException.invalidArgument("invalid argument `" + field + "`: a key holds only `role`, `data` and `ttl`"
                        + (field.equals("secret") ? "; its secret is generated." : "."), span);
            }
        }
        Value role = spec.get("role");
        if (!(role instanceof StringValue s)) {
            throw QueryException.invalidArgument("invalid argument `role`: expected " + ROLES + " but found "
                    + (role == null ? "nothing" : Builtins.typeOf(role)) + ".", span);
        }
        if (Role.named(s.value()) == null) {
            throw QueryException.invalidArgument("invalid argument `role`: `" + s.value() + "` is not a role; expected "
                    + ROLES + " (user-defined roles are not supported yet).", span);
        }
        Value data = spec.get("data");
        if (data != null && data != NullValue.NULL && !(data instanceof ObjectValue)) {
            throw QueryException.invalidArgument("invalid argument `data`: expected an Object but found " + Builtins.typeOf(data) + ".", span);
        }
        Value ttl = spec.get("ttl");
        if (ttl != null && ttl != NullValue.NULL && !(ttl instanceof TimeValue)) {
            throw QueryException.invalidArgument("invalid argument `ttl`: expected a Time but found " + Builtins.typeOf(ttl) + ".", span);
        }
        return spec;
    }
}
