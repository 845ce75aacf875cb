/**
 * The FQL interpreter and standard library. {@link io.eddy.fql.interp.Interpreter} walks the AST in a
 * {@link io.eddy.fql.interp.QueryContext} (transaction, deadline, costs); {@code Builtins} dispatches
 * method calls to the function families (collections, documents, sets, arrays, strings, modules);
 * {@code SetExecutor} iterates lazy sets; {@link io.eddy.fql.interp.Materializer} renders results;
 * {@link io.eddy.fql.interp.Cursors} seals pagination cursors and event-source tokens;
 * {@link io.eddy.fql.interp.StaticCheck} validates names before a query runs.
 */
package io.eddy.fql.interp;
