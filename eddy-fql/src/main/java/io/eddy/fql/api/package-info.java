/**
 * The boundary between the wire protocol and the engine: a {@link io.eddy.fql.api.QueryRequest} (a
 * driver {@link io.eddy.fql.api.TemplateNode template}, arguments and
 * {@link io.eddy.fql.api.QueryOptions options}) goes in, a {@link io.eddy.fql.api.QueryOutcome} (success
 * or failure, with {@link io.eddy.fql.api.QueryStats stats}) comes out. Every request runs as a
 * {@link io.eddy.fql.api.Principal} (a {@link io.eddy.fql.api.Role} and, for a key's secret, the key);
 * a {@link io.eddy.fql.api.KeyAuthority} turns key secrets into principals for the front end.
 */
package io.eddy.fql.api;
