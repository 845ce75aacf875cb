/**
 * The change log: one {@link io.eddy.core.changelog.ChangeRecord} per document a transaction changed
 * (net effect: {@link io.eddy.core.changelog.ChangeOp create, update or delete}), ordered by
 * {@link io.eddy.core.changelog.LogPosition} (txn_ts, ordinal), written atomically with the documents,
 * readable after any position and pushed to listeners after each durable commit.
 */
package io.eddy.core.changelog;
