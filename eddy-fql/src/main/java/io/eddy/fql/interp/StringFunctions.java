package io.eddy.fql.interp;

import io.eddy.core.value.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Methods of {@link StringValue}. Lengths and offsets count Unicode code points, as FQL does. */
final class StringFunctions {

    Value call(StringValue sv, String name, Args args) {
        String s = sv.value();
        return switch (name) {
            case "length" -> { args.count(0); yield new IntValue(s.codePointCount(0, s.length())); }
            case "toUpperCase" -> { args.count(0); yield new StringValue(s.toUpperCase(Locale.ROOT)); }
            case "toLowerCase" -> { args.count(0); yield new StringValue(s.toLowerCase(Locale.ROOT)); }
            case "trim" -> { args.count(0); yield new StringValue(s.strip()); }
            case "trimStart" -> { args.count(0); yield new StringValue(s.stripLeading()); }
            case "trimEnd" -> { args.count(0); yield new StringValue(s.stripTrailing()); }
            case "includes" -> { args.count(1); yield BoolValue.of(s.contains(args.string(0))); }
            case "startsWith" -> { args.count(1); yield BoolValue.of(s.startsWith(args.string(0))); }
            case "endsWith" -> { args.count(1); yield BoolValue.of(s.endsWith(args.string(0))); }
            case "concat" -> { args.count(1); yield new StringValue(s + args.string(0)); }
            case "indexOf" -> {
                args.count(1);
                int i = s.indexOf(args.string(0));
                yield i < 0 ? NullValue.NULL : new IntValue(s.codePointCount(0, i));
            }
            case "split" -> {
                args.count(1);
                List<Value> out = new ArrayList<>();
                for (String part : s.split(Pattern.quote(args.string(0)), -1)) out.add(new StringValue(part));
                yield new ArrayValue(out);
            }
            case "replace" -> { args.count(2); yield new StringValue(s.replaceFirst(Pattern.quote(args.string(0)), java.util.regex.Matcher.quoteReplacement(args.string(1)))); }
            case "replaceAll" -> { args.count(2); yield new StringValue(s.replace(args.string(0), args.string(1))); }
            case "slice" -> {
                args.count(1, 2);
                int n = s.codePointCount(0, s.length());
                int from = (int) Math.max(0, Math.min(args.integer(0), n));
                int to = args.has(1) ? (int) Math.max(0, Math.min(args.integer(1), n)) : n;
                if (from >= to) yield new StringValue("");
                yield new StringValue(s.substring(s.offsetByCodePoints(0, from), s.offsetByCodePoints(0, to)));
            }
            case "at" -> {
                args.count(1);
                long i = args.integer(0);
                int n = s.codePointCount(0, s.length());
                if (i < 0 || i >= n) yield NullValue.NULL;
                int off = s.offsetByCodePoints(0, (int) i);
                yield new StringValue(new String(Character.toChars(s.codePointAt(off))));
            }
            case "parseInt" -> {
                args.count(0);
                try {
                    long v = Long.parseLong(s.strip());
                    yield Arith.integer(v, false);
                } catch (NumberFormatException e) {
                    yield NullValue.NULL;
                }
            }
            case "parseDouble" -> {
                args.count(0);
                try {
                    yield new DoubleValue(Double.parseDouble(s.strip()));
                } catch (NumberFormatException e) {
                    yield NullValue.NULL;
                }
            }
            case "toString" -> { args.count(0); yield sv; }
            default -> null;
        };
    }
}
