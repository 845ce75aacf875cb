package io.eddy.core.txn;

/** A create named an id that a live document already has. */
public final class DocumentExistsException extends RuntimeException {
    public DocumentExistsException(String coll, String id) {
        super("Document with id " + id + " already exists in the collection " + coll + ".", null, false, false);
    }
}
