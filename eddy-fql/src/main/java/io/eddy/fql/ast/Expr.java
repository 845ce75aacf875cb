package io.eddy.fql.ast;

import io.eddy.core.value.Value;
import java.util.List;

/**
 * The FQL abstract syntax tree. Every node carries the {@link Span} of source it was parsed from, so
 * errors point at the offending text and functions can be re-created from their source.
 *
 * <p>Shorthand functions ({@code .price > 10}, {@code .name}) parse to a {@link Lambda} with the single
 * parameter {@link #IMPLICIT}; each leading {@code .f} in them is a {@link Field} on {@code Var(IMPLICIT)}.
 * Projection fields are parsed the same way, relative to the projected value.
 */
public sealed interface Expr {
    /** Name of the implicit parameter of shorthand functions and projection fields. */
    String IMPLICIT = ".";

    Span span();

    /** null, true/false, Int, Long, Double, String without interpolation; also interpolated template values. */
    record Literal(Value value, Span span) implements Expr {}

    /** A string with {@code #{expr}} interpolation: parts alternate literal strings and expressions. */
    record Interpolated(List<Expr> parts, Span span) implements Expr {}

    record ArrayLit(List<Expr> elements, Span span) implements Expr {}

    /** An object literal; keys are identifiers or string literals. */
    record ObjectLit(List<Entry> entries, Span span) implements Expr {
        public record Entry(String key, Expr value) {}
    }

    /** A variable or a top-level name (collection, module such as {@code Math}, {@code Collection}). */
    record Var(String name, Span span) implements Expr {}

    /** {@code target.name} or {@code target?.name}. {@code nameSpan} covers just the name. */
    record Field(Expr target, String name, boolean optional, Span nameSpan, Span span) implements Expr {}

    /** {@code target[index]} or {@code target?.[index]}. */
    record Index(Expr target, Expr index, boolean optional, Span span) implements Expr {}

    /**
     * A call. Method calls have a {@link Field} callee ({@code a.b(x)}); {@code optional} is true for
     * {@code f?.(x)}.
     */
    record Call(Expr callee, List<Expr> args, boolean optional, Span span) implements Expr {}

    /**
     * {@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}, {@code &&}, {@code ||},
     * {@code +}, {@code -}, {@code *}, {@code /}, {@code %}, {@code ??}, {@code isa}.
     */
    record Binary(String op, Expr left, Expr right, Span span) implements Expr {}

    /** Prefix {@code -} or {@code !}. */
    record Unary(String op, Expr operand, Span span) implements Expr {}

    /** Postfix non-null assertion {@code expr!}. */
    record NonNull(Expr operand, Span span) implements Expr {}

    /** {@code (a, b) => body}, {@code a => body}, or a shorthand function (params = [IMPLICIT]). */
    record Lambda(List<String> params, Expr body, Span span) implements Expr {}

    /** {@code if (cond) then else otherwise}; {@code otherwise} is null without {@code else}. */
    record If(Expr cond, Expr then, Expr otherwise, Span span) implements Expr {}

    /** {@code { stmt; stmt; expr }}: statements are {@link Let}s or expressions; the last is the value. */
    record Block(List<Expr> statements, Span span) implements Expr {}

    /** {@code let name = value} (a type annotation, if present, is parsed and ignored). Only inside a block. */
    record Let(String name, Expr value, Span span) implements Expr {}

    /**
     * {@code target { a, b: expr, c { d } }}. Each field's {@code value} is relative to the projected
     * value: {@code a} parses to {@code Field(Var(IMPLICIT), "a")}, {@code c { d }} to a nested projection
     * of that field.
     */
    record Projection(Expr target, List<ProjField> fields, Span span) implements Expr {
        public record ProjField(String name, Expr value) {}
    }
}
