/**
 * Transactions: a {@link io.eddy.core.txn.Transaction} reads one consistent snapshot plus its own
 * writes and commits all-or-nothing through the store; a {@link io.eddy.core.txn.Scan} is a cursor
 * over documents or {@link io.eddy.core.txn.IndexEntry index entries}; conflicts, duplicate creates
 * and missing documents are reported by {@link io.eddy.core.txn.TransactionConflictException},
 * {@link io.eddy.core.txn.DocumentExistsException} and {@link io.eddy.core.txn.DocumentNotFoundException}.
 */
package io.eddy.core.txn;
