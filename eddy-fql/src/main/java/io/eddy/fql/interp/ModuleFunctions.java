package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.OrderingValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Built-in modules and global functions: {@code Math}, {@code Time}, {@code Date}, {@code Set},
 * {@code Object}, and {@code abort}, {@code log}, {@code dbg}, {@code newId}, {@code asc}, {@code desc}.
 */
final class ModuleFunctions {
    private final Interpreter interp;
    private SetFunctions sets;

    ModuleFunctions(Interpreter interp) {
        this.interp = interp;
    }

    void setSets(SetFunctions sets) {
        this.sets = sets;
    }

    FunctionValue globalFunction(String name) {
        return switch (name) {
            case "abort" -> new FunctionValue.Native("abort", 1, args -> {
                throw new QueryException("abort", "Query aborted.", null, args.get(0), 400);
            });
            case "log" -> new FunctionValue.Native("log", -1, args -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < args.size(); i++) sb.append(i > 0 ? " " : "").append(Builtins.display(args.get(i)));
                interp.ctx().log(sb.toString(), null);
                return NullValue.NULL;
            });
            case "dbg" -> new FunctionValue.Native("dbg", 1, args -> {
                interp.ctx().log(Builtins.display(args.get(0)), null);
                return args.get(0);
            });
            case "newId" -> new FunctionValue.Native("newId", 0, args -> new StringValue(interp.ctx().txn().newId()));
            case "asc", "desc" -> new FunctionValue.Native(name, 1, args -> {
                if (!(args.get(0) instanceof FunctionValue f)) {
                    throw QueryException.invalidArgument("`" + name + "` expects a function such as `.price`.", null);
                }
                return new OrderingValue(f, name.equals("desc"));
            });
            default -> null;
        };
    }

    static Value constant(ModuleValue m, String name) {
        if (!m.name().equals("Math")) return null;
        return switch (name) {
            case "PI" -> new DoubleValue(Math.PI);
            case "E" -> new DoubleValue(Math.E);
            case "Infinity" -> new DoubleValue(Double.POSITIVE_INFINITY);
            case "NaN" -> new DoubleValue(Double.NaN);
            default -> null;
        };
    }

    /** Calling a module as a function: {@code Time("2024-01-01T00:00:00Z")}, {@code Date("2024-01-01")}. */
    Value callModule(ModuleValue m, Args args) {
        return switch (m.name()) {
            case "Time" -> parseTime(args.count(1).string(0), args.spanOf(0));
            case "Date" -> parseDate(args.count(1).string(0), args.spanOf(0));
            default -> null;
        };
    }

    Value onModule(ModuleValue m, String name, Args args) {
        return switch (m.name()) {
            case "Math" -> math(name, args);
            case "Time" -> switch (name) {
                case "now" -> { args.count(0); yield new TimeValue(interp.ctx().now()); }
                case "fromString" -> parseTime(args.count(1).string(0), args.spanOf(0));
                case "epoch" -> {
                    args.count(2);
                    long n = args.integer(0);
                    ChronoUnit unit = unit(args.string(1), args.spanOf(1));
                    try {
                        yield new TimeValue(Instant.EPOCH.plus(n, unit));
                    } catch (DateTimeException | ArithmeticException e) {
                        throw QueryException.invalidArgument("invalid argument `epoch`: the time is out of range.", args.span());
                    }
                }
                default -> null;
            };
            case "Date" -> switch (name) {
                case "today" -> { args.count(0); yield new DateValue(LocalDate.ofInstant(interp.ctx().now(), ZoneOffset.UTC)); }
                case "fromString" -> parseDate(args.count(1).string(0), args.spanOf(0));
                default -> null;
            };
            case "Set" -> switch (name) {
                case "single" -> { args.count(1); yield SetValue.of(new SetSource.Single(args.get(0))); }
                case "sequence" -> { args.count(2); yield SetValue.of(new SetSource.Sequence(args.integer(0), args.integer(1))); }
                case "paginate" -> {
                    args.count(1, 2);
                    Cursors.Decoded d;
                    try {
                        d = interp.ctx().cursors().decode(args.string(0));
                    } catch (Cursors.InvalidCursor e) {
                        throw new QueryException("invalid_cursor", "Cursor cursor is invalid or expired.", args.spanOf(0));
                    }
                    int size = args.has(1) ? args.smallInt(1, 1, SetValue.MAX_PAGE_SIZE) : d.set().effectivePageSize();
                    yield sets.paginate(d.set(), d.resume(), size, args);
                }
                default -> null;
            };
            case "Object" -> objects(name, args);
            default -> null;
        };
    }

    private Value math(String name, Args args) {
        return switch (name) {
            case "abs" -> {
                NumberValue n = args.count(1).numberValue(0);
                yield switch (n) {
                    case IntValue i -> i.value() == Integer.MIN_VALUE ? new LongValue(Math.abs((long) i.value())) : new IntValue(Math.abs(i.value()));
                    case LongValue l -> new LongValue(Math.abs(l.value()));
                    case DoubleValue d -> new DoubleValue(Math.abs(d.value()));
                };
            }
            case "ceil" -> new DoubleValue(Math.ceil(args.count(1).number(0)));
            case "floor" -> new DoubleValue(Math.floor(args.count(1).number(0)));
            case "round" -> {
                args.count(1, 2);
                double v = args.number(0);
                int places = args.has(1) ? args.smallInt(1, 0, 15) : 0;
                yield new DoubleValue(java.math.BigDecimal.valueOf(v).setScale(places, java.math.RoundingMode.HALF_UP).doubleValue());
            }
            case "trunc" -> new DoubleValue((double) (long) args.count(1).number(0));
            case "sqrt" -> new DoubleValue(Math.sqrt(args.count(1).number(0)));
            case "cbrt" -> new DoubleValue(Math.cbrt(args.count(1).number(0)));
            case "pow" -> { args.count(2); yield new DoubleValue(Math.pow(args.number(0), args.number(1))); }
            case "exp" -> new DoubleValue(Math.exp(args.count(1).number(0)));
            case "log" -> new DoubleValue(Math.log(args.count(1).number(0)));
            case "log10" -> new DoubleValue(Math.log10(args.count(1).number(0)));
            case "sign" -> new DoubleValue(Math.signum(args.count(1).number(0)));
            case "max", "min" -> {
                args.count(1, Integer.MAX_VALUE);
                List<Value> xs = args.size() == 1 && args.get(0) instanceof ArrayValue a ? a.elements() : args.values();
                if (xs.isEmpty()) yield NullValue.NULL;
                Value best = null;
                for (int i = 0; i < xs.size(); i++) {
                    if (!(xs.get(i) instanceof NumberValue)) throw QueryException.invalidArgument("`Math." + name + "` expects numbers.", args.span());
                    int c = best == null ? 0 : Compare.compareNumbers((NumberValue) xs.get(i), (NumberValue) best);
                    if (best == null || (name.equals("max") ? c > 0 : c < 0)) best = xs.get(i);
                }
                yield best;
            }
            case "sum", "mean" -> {
                ArrayValue a = args.count(1).array(0);
                Value acc = new IntValue(0);
                for (Value x : a.elements()) acc = Arith.binary("+", acc, x, args.span());
                if (name.equals("sum")) yield acc;
                yield a.size() == 0 ? NullValue.NULL : new DoubleValue(((NumberValue) acc).asDouble() / a.size());
            }
            default -> null;
        };
    }

    private Value objects(String name, Args args) {
        return switch (name) {
            case "keys" -> {
                List<Value> out = new ArrayList<>();
                for (String k : args.count(1).object(0).fields().keySet()) out.add(new StringValue(k));
                yield new ArrayValue(out);
            }
            case "values" -> new ArrayValue(new ArrayList<>(args.count(1).object(0).fields().values()));
            case "entries" -> {
                List<Value> out = new ArrayList<>();
                for (var e : args.count(1).object(0).fields().entrySet()) out.add(ArrayValue.of(new StringValue(e.getKey()), e.getValue()));
                yield new ArrayValue(out);
            }
            case "fromEntries" -> {
                Map<String, Value> out = new LinkedHashMap<>();
                for (Value e : args.count(1).array(0).elements()) {
                    if (e instanceof ArrayValue pair && pair.size() == 2 && pair.get(0) instanceof StringValue k) out.put(k.value(), pair.get(1));
                    else throw QueryException.invalidArgument("`Object.fromEntries` expects an array of [key, value] pairs.", args.span());
                }
                yield new ObjectValue(out);
            }
            case "assign" -> {
                args.count(2);
                Map<String, Value> out = new LinkedHashMap<>(args.object(0).fields());
                out.putAll(args.object(1).fields());
                yield new ObjectValue(out);
            }
            case "hasPath" -> {
                args.count(2);
                Value cur = args.object(0);
                for (Value seg : args.array(1).elements()) {
                    if (cur instanceof ObjectValue o && seg instanceof StringValue k && o.has(k.value())) cur = o.get(k.value());
                    else yield BoolValue.FALSE;
                }
                yield BoolValue.TRUE;
            }
            default -> null;
        };
    }

    static Value timeField(TimeValue tv, String name, Span span) {
        ZonedDateTime t = tv.value().atZone(ZoneOffset.UTC);
        return switch (name) {
            case "year" -> new IntValue(t.getYear());
            case "month" -> new IntValue(t.getMonthValue());
            case "dayOfMonth" -> new IntValue(t.getDayOfMonth());
            case "dayOfWeek" -> new IntValue(t.getDayOfWeek().getValue());
            case "dayOfYear" -> new IntValue(t.getDayOfYear());
            case "hour" -> new IntValue(t.getHour());
            case "minute" -> new IntValue(t.getMinute());
            case "second" -> new IntValue(t.getSecond());
            default -> throw new QueryException("invalid_argument", "Type `Time` does not have field `" + name + "`.", span);
        };
    }

    Value onTime(TimeValue tv, String name, Args args) {
        Instant t = tv.value();
        try {
            return switch (name) {
                case "add" -> { args.count(2); yield new TimeValue(t.plus(args.integer(0), unit(args.string(1), args.spanOf(1)))); }
                case "subtract" -> { args.count(2); yield new TimeValue(t.minus(args.integer(0), unit(args.string(1), args.spanOf(1)))); }
                case "difference" -> {
                    args.count(2);
                    if (!(args.get(0) instanceof TimeValue other)) throw args.wrongType(0, "Time");
                    yield new LongValue(unit(args.string(1), args.spanOf(1)).between(other.value(), t));
                }
                case "toMicros" -> { args.count(0); yield new LongValue(tv.toMicros()); }
                case "toMillis" -> { args.count(0); yield new LongValue(t.toEpochMilli()); }
                case "toSeconds" -> { args.count(0); yield new LongValue(t.getEpochSecond()); }
                case "toString" -> { args.count(0); yield new StringValue(t.toString()); }
                default -> null;
            };
        } catch (DateTimeException | ArithmeticException e) {
            throw QueryException.invalidArgument("invalid argument `" + name + "`: the resulting time is out of range.", args.span());
        }
    }

    private static ChronoUnit unit(String unit, Span span) {
        return switch (unit) {
            case "nanoseconds", "nanosecond" -> ChronoUnit.NANOS;
            case "microseconds", "microsecond" -> ChronoUnit.MICROS;
            case "milliseconds", "millisecond" -> ChronoUnit.MILLIS;
            case "seconds", "second" -> ChronoUnit.SECONDS;
            case "minutes", "minute" -> ChronoUnit.MINUTES;
            case "hours", "hour" -> ChronoUnit.HOURS;
            case "days", "day" -> ChronoUnit.DAYS;
            default -> throw QueryException.invalidArgument("invalid argument `unit`: `" + unit
                    + "` is not a time unit; use nanoseconds, microseconds, milliseconds, seconds, minutes, hours or days.", span);
        };
    }

    static TimeValue parseTime(String s, Span span) {
        try {
            return new TimeValue(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            throw QueryException.invalidArgument("invalid argument `time`: `" + s
                    + "` is not an ISO-8601 time such as 2024-01-31T12:00:00Z.", span);
        }
    }

    static DateValue parseDate(String s, Span span) {
        try {
            return new DateValue(LocalDate.parse(s));
        } catch (DateTimeParseException e) {
            throw QueryException.invalidArgument("invalid argument `date`: `" + s + "` is not an ISO-8601 date such as 2024-01-31.", span);
        }
    }
}
