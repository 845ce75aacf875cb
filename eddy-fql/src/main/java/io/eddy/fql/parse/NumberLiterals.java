package io.eddy.fql.parse;

import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NumberValue;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Shape checks and conversion of number literals. Integers become the narrowest of Int (32-bit) and
 * Long (64-bit) that holds them; anything with a fraction or exponent is a Double. {@code _} may only
 * sit between two digits: {@code 100_00}, not {@code 1__0}, {@code 1_} or {@code 0x_1}.
 */
final class NumberLiterals {
    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[0-9_]+(\\.[0-9_]+)?([eE][+-]?[0-9_]+)?");

    private NumberLiterals() {}

    static boolean isWellFormed(String lexeme, int radix, boolean isFloat) {
        String digits = radix == 10 ? lexeme : lexeme.substring(2);
        if (isFloat ? !DECIMAL_FLOAT.matcher(digits).matches() : !allDigits(digits, radix)) return false;
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) == '_'
                    && (i == 0 || i == digits.length() - 1
                        || Character.digit(digits.charAt(i - 1), radix) < 0
                        || Character.digit(digits.charAt(i + 1), radix) < 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allDigits(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '_' && (c > 0x7f || Character.digit(c, radix) < 0)) return false;
        }
        return !s.isEmpty();
    }

    /**
     * The value of a well-formed integer literal, negated first if {@code negative} (so that
     * {@code -2147483648} is an Int), or null if it does not fit a Long.
     */
    static NumberValue integer(String lexeme, boolean negative) {
        String clean = lexeme.replace("_", "");
        int radix = 10;
        if (clean.length() > 2 && clean.charAt(0) == '0' && Character.isLetter(clean.charAt(1))) {
            radix = switch (Character.toLowerCase(clean.charAt(1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            clean = clean.substring(2);
        }
        BigInteger value = new BigInteger(clean, radix);
        if (negative) value = value.negate();
        if (value.bitLength() < Integer.SIZE) return new IntValue(value.intValue());
        if (value.bitLength() < Long.SIZE) return new LongValue(value.longValue());
        return null;
    }

    /** The value of a well-formed decimal literal, or null if it overflows to infinity. */
    static DoubleValue decimal(String lexeme, boolean negative) {
        double value = Double.parseDouble(lexeme.replace("_", ""));
        if (Double.isInfinite(value)) return null;
        return new DoubleValue(negative ? -value : value);
    }
}
