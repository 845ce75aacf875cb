package io.eddy.fql.interp;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.value.*;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.OrderingValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetValue;
import java.util.List;
import java.util.Set;

/**
 * The standard library's front door: resolves global names, field access, indexing and method calls to
 * the function family of the receiver's type ({@link CollectionFunctions}, {@link DocumentFunctions},
 * {@link SetFunctions}, {@link ArrayFunctions}, {@link StringFunctions}, {@link ModuleFunctions}).
 */
final class Builtins {
    /** Built-in modules and type names that user collections may not shadow. */
    static final Set<String> MODULES = Set.of("Collection", "Math", "Time", "Date", "Set", "Object", "Array",
            "String", "Number", "Int", "Long", "Double", "Boolean", "Bytes", "Function", "Database", "Key",
            "Role", "AccessProvider", "Credential", "Token", "FQL", "Query", "TransactionTime", "ID");
    /** Global functions. */
    static final Set<String> FUNCTIONS = Set.of("abort", "log", "dbg", "newId", "desc", "asc");

    private final Interpreter interp;
    private final CollectionFunctions collections;
    private final DocumentFunctions documents;
    private final SetFunctions sets;
    private final ArrayFunctions arrays;
    private final StringFunctions strings;
    private final ModuleFunctions modules;
    private final KeyFunctions keys;

    Builtins(Interpreter interp) {
        this.interp = interp;
        this.documents = new DocumentFunctions(interp);
        this.sets = new SetFunctions(interp, documents);
        this.collections = new CollectionFunctions(interp, documents);
        this.arrays = new ArrayFunctions(interp);
        this.strings = new StringFunctions();
        this.modules = new ModuleFunctions(interp);
        this.modules.setSets(sets);
        this.keys = new KeyFunctions(interp, collections, documents);
    }

    /** The value of a global name, or null if there is none. */
    Value global(String name) {
        if (MODULES.contains(name)) return new ModuleValue(name);
        if (FUNCTIONS.contains(name)) return modules.globalFunction(name);
        if (interp.ctx().txn().collection(name) != null) return new ModuleValue(name);
        return null;
    }

    /** {@code target.name}. */
    Value field(Value target, String name, Span span) {
        Value t = resolve(target);
        return switch (t) {
            case ObjectValue o -> o.get(name);
            case DocumentValue d -> switch (name) {
                case "id" -> new IdValue(d.id());
                case "coll" -> new ModuleValue(d.coll());
                case "ts" -> d.ts() == DocumentValue.PENDING_TS ? new TimeValue(interp.ctx().now()) : TimeValue.ofMicros(d.ts());
                default -> d.data().get(name);
            };
            case NamedDocumentValue n -> switch (name) {
                case "name" -> new StringValue(n.name());
                case "coll" -> new ModuleValue(n.coll());
                case "ts" -> n.ts() == DocumentValue.PENDING_TS ? new TimeValue(interp.ctx().now()) : TimeValue.ofMicros(n.ts());
                default -> n.data().get(name);
            };
            case NullDocumentValue n -> switch (name) {
                case "id" -> new IdValue(n.id());
                case "coll" -> new ModuleValue(n.coll());
                default -> throw new QueryException("document_not_found",
                        "Collection `" + n.coll() + "` does not contain document with id " + n.id() + ".", span);
            };
            case NullValue nv -> throw new QueryException("invalid_null_access", "Cannot access `" + name + "` on null.", span);
            case ModuleValue m -> collections.moduleField(m, name, span);
            case TimeValue tv -> ModuleFunctions.timeField(tv, name, span);
            case ArrayValue a when name.equals("length") -> new IntValue(a.size());
            case StringValue s when name.equals("length") -> new IntValue(s.value().codePointCount(0, s.value().length()));
            default -> throw new QueryException("invalid_argument",
                    "Type `" + typeOf(t) + "` does not have field `" + name + "`.", span);
        };
    }

    /** {@code target[index]}. */
    Value index(Value target, Value index, Span span) {
        Value t = resolve(target);
        if (t instanceof ArrayValue a) {
            if (!(index instanceof IntValue || index instanceof LongValue)) {
                throw QueryException.typeMismatch("Array index must be an Int, found " + typeOf(index) + ".", span);
            }
            long i = ((NumberValue) index).asLong();
            if (i < 0) i += a.size();
            if (i < 0 || i >= a.size()) {
                throw new QueryException("index_out_of_bounds", "Index " + ((NumberValue) index).asLong()
                        + " out of bounds for length " + a.size() + ".", span);
            }
            return a.get((int) i);
        }
        if (index instanceof StringValue s) return field(t, s.value(), span);
        if (t == NullValue.NULL) throw new QueryException("invalid_null_access", "Cannot index into null.", span);
        throw QueryException.typeMismatch("Cannot index " + typeOf(t) + " with " + typeOf(index) + ".", span);
    }

    /** {@code target.name(args)}. */
    Value method(Value target, String name, List<Value> argValues, Expr.Call call, Span nameSpan) {
        Value t = target instanceof DocRefValue ? resolve(target) : target;
        Args args = new Args(name, argValues, call);
        Value result = switch (t) {
            case ModuleValue m -> collections.isCollection(m) ? collections.onCollection(m, name, args)
                    : m.name().equals("Collection") ? collections.onCollectionModule(name, args)
                    : m.name().equals("Key") ? keys.onModule(name, args)
                    : modules.onModule(m, name, args);
            case NamedDocumentValue n -> collections.onDefinition(n, name, args);
            case DocumentValue d -> documents.onDocument(d, name, args);
            case NullDocumentValue n -> documents.onNullDocument(n, name, args, nameSpan);
            case SetValue s -> sets.call(s, name, args);
            case ArrayValue a -> arrays.call(a, name, args);
            case StringValue s -> strings.call(s, name, args);
            case TimeValue tv -> modules.onTime(tv, name, args);
            case ObjectValue o when o.get(name) instanceof FunctionValue f -> interp.call(f, argValues, call.span());
            case NullValue n -> throw new QueryException("invalid_null_access", "Cannot call `" + name + "` on null.", nameSpan);
            default -> null;
        };
        if (result == null && name.equals("toString") && argValues.isEmpty()) result = new StringValue(display(t));
        if (result == null) {
            throw new QueryException("invalid_function_invocation",
                    "The function `" + name + "` doesn't exist on `" + typeOf(t) + "`", nameSpan);
        }
        return result;
    }

    /** Calling a value: {@code f(x)}, {@code Time("...")}. */
    Value apply(Value callee, List<Value> args, Expr.Call call) {
        if (callee instanceof FunctionValue f) return interp.call(f, args, call.span());
        if (callee instanceof ModuleValue m) {
            Value v = modules.callModule(m, new Args(m.name(), args, call));
            if (v != null) return v;
        }
        throw new QueryException("invalid_function_invocation", "Value of type `" + typeOf(callee) + "` is not a function.",
                call.callee().span());
    }

    boolean isa(Value v, Value type, Span span) {
        if (!(type instanceof ModuleValue m)) {
            throw QueryException.typeMismatch("The right side of `isa` must be a type or collection.", span);
        }
        Value r = resolve(v);
        return switch (m.name()) {
            case "String" -> r instanceof StringValue;
            case "Int" -> r instanceof IntValue;
            case "Long" -> r instanceof LongValue;
            case "Double" -> r instanceof DoubleValue;
            case "Number" -> r instanceof NumberValue;
            case "Boolean" -> r instanceof BoolValue;
            case "Array" -> r instanceof ArrayValue;
            case "Object" -> r instanceof ObjectValue;
            case "Time" -> r instanceof TimeValue;
            case "Date" -> r instanceof DateValue;
            case "Bytes" -> r instanceof BytesValue;
            case "Set" -> r instanceof SetValue;
            case "Function" -> r instanceof FunctionValue;
            default -> r instanceof DocumentValue d && d.coll().equals(m.name());
        };
    }

    /** Reads through a stored reference; other values are returned as they are. */
    Value resolve(Value v) {
        if (v instanceof DocRefValue r) return documents.read(r.coll(), r.id());
        return v;
    }

    static String typeOf(Value v) {
        if (v == null) return "Null";
        if (v instanceof ModuleValue m) return m.name();
        if (v instanceof OrderingValue) return "Ordering";
        return v.typeName();
    }

    /** The text of a value in string interpolation and {@code toString()}. */
    static String display(Value v) {
        return switch (v) {
            case StringValue s -> s.value();
            case NullValue n -> "null";
            case DocumentValue d -> d.coll() + "(\"" + d.id() + "\")";
            case DocRefValue r -> r.coll() + "(\"" + r.id() + "\")";
            case NullDocumentValue n -> n.coll() + "(\"" + n.id() + "\") /* " + n.cause() + " */";
            case NamedDocumentValue n -> n.coll() + ".byName(\"" + n.name() + "\")";
            case ArrayValue a -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < a.size(); i++) sb.append(i > 0 ? ", " : "").append(literal(a.get(i)));
                yield sb.append(']').toString();
            }
            case ObjectValue o -> {
                StringBuilder sb = new StringBuilder("{ ");
                boolean first = true;
                for (var e : o.fields().entrySet()) {
                    sb.append(first ? "" : ", ").append(e.getKey()).append(": ").append(literal(e.getValue()));
                    first = false;
                }
                yield sb.append(o.size() == 0 ? "}" : " }").toString();
            }
            case FunctionValue f -> f.toString();
            case SetValue s -> "[set]";
            default -> v.toString();
        };
    }

    private static String literal(Value v) {
        return v instanceof StringValue s ? "\"" + s.value().replace("\"", "\\\"") + "\"" : display(v);
    }

    CollectionDef requireCollection(String name, Span span) {
        CollectionDef def = interp.ctx().txn().collection(name);
        if (def == null) throw new QueryException("invalid_argument", "Collection `" + name + "` does not exist.", span);
        return def;
    }
}
