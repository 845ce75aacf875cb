/**
 * The FQL syntax tree: {@link io.eddy.fql.ast.Expr} node records, each with the
 * {@link io.eddy.fql.ast.Span} of {@link io.eddy.fql.ast.SourceText} it came from.
 */
package io.eddy.fql.ast;
