/**
 * The boundary between the wire protocol and the engine: a {@link io.eddy.fql.api.QueryRequest} (a
 * driver {@link io.eddy.fql.api.TemplateNode template}, arguments and
 * {@link io.eddy.fql.api.QueryOptions options}) goes in, a {@link io.eddy.fql.api.QueryOutcome} (success
 * or failure, with {@link io.eddy.fql.api.QueryStats stats}) comes out.
 */
package io.eddy.fql.api;
