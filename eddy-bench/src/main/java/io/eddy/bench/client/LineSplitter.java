package io.eddy.bench.client;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ending in {@code \n} (Eddy ends each event with {@code \r\n}), across
 * DATA frame boundaries. Reuses one growing array per stream; a line is handed out as a slice of it.
 */
public final class LineSplitter {
    /** Receives one line, without its terminator; the array is reused after the call. */
    public interface LineHandler {
        void onLine(byte[] b, int off, int len);
    }

    private byte[] buf = new byte[512];
    private int size;

    /** Appends {@code data} and hands every complete line to {@code handler}. */
    public void feed(ByteBuf data, LineHandler handler) {
        int n = data.readableBytes();
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        data.readBytes(buf, size, n);
        int end = size + n;
        int start = 0;
        for (int i = size; i < end; i++) {
            if (buf[i] == '\n') {
                int lineEnd = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                if (lineEnd > start) handler.onLine(buf, start, lineEnd - start);
                start = i + 1;
            }
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
        }
        size = end - start;
        if (size == 0 && buf.length > 64 * 1024) buf = new byte[512];
    }
}
