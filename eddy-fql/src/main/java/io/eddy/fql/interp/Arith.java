package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.QueryException;

/**
 * Arithmetic on FQL numbers. Int op Int stays Int while the result fits and widens to Long otherwise;
 * anything with a Double is a Double. Integer division truncates; division or remainder by zero raises
 * {@code divide_by_zero}. {@code +} also concatenates strings.
 */
final class Arith {
    private Arith() {}

    static Value binary(String op, Value l, Value r, Span span) {
        if (op.equals("+") && (l instanceof StringValue || r instanceof StringValue)) {
            if (l instanceof StringValue a && r instanceof StringValue b) return new StringValue(a.value() + b.value());
            throw QueryException.typeMismatch("Cannot concatenate " + Builtins.typeOf(l) + " and " + Builtins.typeOf(r)
                    + "; convert with `toString()` first.", span);
        }
        if (!(l instanceof NumberValue a) || !(r instanceof NumberValue b)) {
            throw QueryException.typeMismatch("Operator `" + op + "` is not defined for " + Builtins.typeOf(l)
                    + " and " + Builtins.typeOf(r) + ".", span);
        }
        if (a instanceof DoubleValue || b instanceof DoubleValue) {
            double x = a.asDouble(), y = b.asDouble();
            return switch (op) {
                case "+" -> new DoubleValue(x + y);
                case "-" -> new DoubleValue(x - y);
                case "*" -> new DoubleValue(x * y);
                case "/" -> {
                    if (y == 0) throw divideByZero(span);
                    yield new DoubleValue(x / y);
                }
                case "%" -> {
                    if (y == 0) throw divideByZero(span);
                    yield new DoubleValue(x % y);
                }
                default -> throw new IllegalStateException(op);
            };
        }
        long x = a.asLong(), y = b.asLong();
        boolean longs = a instanceof LongValue || b instanceof LongValue;
        try {
            long res = switch (op) {
                case "+" -> Math.addExact(x, y);
                case "-" -> Math.subtractExact(x, y);
                case "*" -> Math.multiplyExact(x, y);
                case "/" -> {
                    if (y == 0) throw divideByZero(span);
                    if (x == Long.MIN_VALUE && y == -1) throw new ArithmeticException();
                    yield x / y;
                }
                case "%" -> {
                    if (y == 0) throw divideByZero(span);
                    yield y == -1 ? 0 : x % y;
                }
                default -> throw new IllegalStateException(op);
            };
            return integer(res, longs);
        } catch (ArithmeticException e) {
            throw new QueryException("invalid_argument", "Integer overflow in `" + op + "`.", span);
        }
    }

    static Value integer(long v, boolean preferLong) {
        if (!preferLong && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return new IntValue((int) v);
        return new LongValue(v);
    }

    static Value negate(Value v, Span span) {
        return switch (v) {
            case IntValue i -> i.value() == Integer.MIN_VALUE ? new LongValue(-(long) i.value()) : new IntValue(-i.value());
            case LongValue l -> {
                if (l.value() == Long.MIN_VALUE) throw new QueryException("invalid_argument", "Integer overflow in `-`.", span);
                yield new LongValue(-l.value());
            }
            case DoubleValue d -> new DoubleValue(-d.value());
            default -> throw QueryException.typeMismatch("Operator `-` is not defined for " + Builtins.typeOf(v) + ".", span);
        };
    }

    private static QueryException divideByZero(Span span) {
        return new QueryException("divide_by_zero", "Attempted integer division by zero.", span);
    }
}
