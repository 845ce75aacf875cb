/**
 * The FQL engine's entry point: {@link io.eddy.fql.FqlEngine}, the {@link io.eddy.fql.api.QueryService}
 * that parses, checks, evaluates and commits one query per transaction, configured by
 * {@link io.eddy.fql.EngineConfig}.
 */
package io.eddy.fql;
