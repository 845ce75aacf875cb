package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.OutputStream;

/**
 * An {@link OutputStream} into pooled buffers (a small first one, then {@value #CHUNK_BYTES} bytes
 * each), joined at the end without copying. A body of unknown size (a feed page of 16,000 events is several MiB) thus never
 * pays for a buffer that doubles and copies itself as it grows.
 *
 * <p>Owns its buffers until {@link #take()}; {@link #release()} frees them if the body is abandoned.
 * Not thread-safe.
 */
final class ChunkedBufferOutput extends OutputStream {
    static final int CHUNK_BYTES = 64 * 1024;
    /** Most responses are a few hundred bytes: they get one small buffer. */
    static final int FIRST_CHUNK_BYTES = 4 * 1024;

    private final ByteBufAllocator alloc;
    private ByteBuf current;
    /** The full chunks before {@link #current}; made when the body outgrows one chunk. */
    private CompositeByteBuf done;

    ChunkedBufferOutput(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    @Override
    public void write(int b) {
        room().writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            ByteBuf target = room();
            int n = Math.min(length, target.writableBytes());
            target.writeBytes(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** A chunk with room for at least one byte. */
    private ByteBuf room() {
        if (current == null) {
            current = alloc.buffer(FIRST_CHUNK_BYTES, FIRST_CHUNK_BYTES);
        } else if (!current.isWritable()) {
            if (done == null) {
                done = alloc.compositeBuffer(Integer.MAX_VALUE);
            }
            done.addComponent(true, current);
            current = alloc.buffer(CHUNK_BYTES, CHUNK_BYTES);
        }
        return current;
    }

    /** The whole body; the caller owns it from now on. */
    ByteBuf take() {
        ByteBuf last = current == null ? alloc.buffer(0) : current;
        current = null;
        if (done == null) {
            return last;
        }
        CompositeByteBuf all = done;
        done = null;
        return all.addComponent(true, last);
    }

    /** Frees what has been written, if it was not taken. Idempotent. */
    void release() {
        if (current != null) {
            current.release();
            current = null;
        }
        if (done != null) {
            done.release();
            done = null;
        }
    }
}
