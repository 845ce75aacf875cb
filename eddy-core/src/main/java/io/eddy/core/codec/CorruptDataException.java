package io.eddy.core.codec;

/** Stored bytes could not be decoded: a bug or on-disk corruption, never a user error. */
public final class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }
}
