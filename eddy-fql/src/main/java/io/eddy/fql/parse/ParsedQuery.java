package io.eddy.fql.parse;

import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.SourceText;

/**
 * A parsed query and the text its spans point into. For a driver template that text is the flattened
 * template, with each interpolated value shown as a placeholder; pass it to {@link Diagnostics}.
 */
public record ParsedQuery(Expr expr, SourceText source) {}
