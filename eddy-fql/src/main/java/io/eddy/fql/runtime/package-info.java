/**
 * Runtime values and errors of the FQL engine that never reach storage: lazy {@link
 * io.eddy.fql.runtime.SetValue sets} (a {@link io.eddy.fql.runtime.SetSource source} plus a pipeline of
 * {@link io.eddy.fql.runtime.SetOp ops}), {@link io.eddy.fql.runtime.FunctionValue functions}
 * (closures and built-ins), {@link io.eddy.fql.runtime.OrderingValue orderings}, {@link
 * io.eddy.fql.runtime.EventSourceDef event sources} with their watched {@link io.eddy.fql.runtime.FieldPath
 * field paths}, lexical
 * {@link io.eddy.fql.runtime.Env scopes}, and {@link io.eddy.fql.runtime.QueryException}, the error
 * every user mistake becomes.
 */
package io.eddy.fql.runtime;
