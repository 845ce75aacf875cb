/**
 * The baselines Eddy is measured against, each built the way a team would build live queries on it:
 * <ul>
 *   <li>{@link io.eddy.bench.peer.PgTable} and {@link io.eddy.bench.peer.PgWriter}: the PostgreSQL table
 *       and its writers (single-row autocommit inserts, {@code synchronous_commit=on});</li>
 *   <li>{@link io.eddy.bench.peer.PgNotifyPeer}: an {@code AFTER INSERT OR UPDATE OR DELETE} trigger calling
 *       {@code pg_notify} with the row on a channel per owner, subscribers {@code LISTEN}ing;</li>
 *   <li>{@link io.eddy.bench.peer.PgLogicalPeer}: logical decoding ({@code pgoutput}) read through pgjdbc's
 *       replication API by a small router ({@link io.eddy.bench.peer.LogicalRouter}) that evaluates the
 *       filters and pushes rows to subscribers over loopback TCP sockets.</li>
 * </ul>
 * Redis pub/sub, the fan-out ceiling, is driven directly through {@link io.eddy.bench.client.RespClient}.
 */
package io.eddy.bench.peer;
