package io.eddy.core.storage;

/** The storage engine failed (I/O error, corruption). Not a user error; the operation had no effect. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
