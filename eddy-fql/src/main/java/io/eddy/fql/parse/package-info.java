/**
 * The FQL v10 front end: query text (or a driver template) in, {@link io.eddy.fql.ast.Expr} tree out.
 *
 * <ul>
 *   <li>{@link io.eddy.fql.parse.Parser} — the entry point: {@code Parser.parse(String)} and
 *       {@code Parser.parse(TemplateNode.Fql)} return a {@link io.eddy.fql.parse.ParsedQuery}, the tree
 *       plus the {@link io.eddy.fql.ast.SourceText} its spans point into. Its javadoc holds the grammar
 *       and the operator precedence table.
 *   <li>{@link io.eddy.fql.parse.ParseCache} — the engine's entry point for driver templates: reuses the
 *       tree of a query shape seen before, with this query's values in its slots.
 *   <li>{@link io.eddy.fql.parse.Lexer}, {@link io.eddy.fql.parse.Token},
 *       {@link io.eddy.fql.parse.TokenType} — text to tokens, including string interpolation and
 *       template values.
 *   <li>{@link io.eddy.fql.parse.ValueSlot} — where a template's interpolated value sits in the
 *       flattened text (built by {@code TemplateFlattener}).
 *   <li>{@link io.eddy.fql.parse.FqlSyntaxException} — the first lexical or syntax error, with its span.
 *   <li>{@link io.eddy.fql.parse.Diagnostics} — renders a message about a span in Fauna's summary
 *       format ({@code error: ... at *query*:1:12} with a caret line); shared with the interpreter.
 *   <li>{@link io.eddy.fql.parse.AstPrinter} — the S-expression form used by golden tests.
 * </ul>
 *
 * Package-private helpers: {@code TokenCursor} (token position and error construction),
 * {@code TypeAnnotations} (skips {@code let x: Type}), {@code NumberLiterals}, {@code NestingGuard}
 * (recursion limit), {@code ExprTree} (child enumeration and the AST height limit) and
 * {@code TemplateFlattener}.
 */
package io.eddy.fql.parse;
