package io.eddy.core.txn;

/** A replace or delete named a document that is not live (never created, deleted, or expired). */
public final class DocumentNotFoundException extends RuntimeException {
    public DocumentNotFoundException(String coll, String id) {
        super("Document with id " + id + " not found in the collection " + coll + ".", null, false, false);
    }
}
