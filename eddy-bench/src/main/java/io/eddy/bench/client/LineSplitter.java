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

    /**
     * Appends {@code data} and hands every complete line to {@code handler}. The line feeds are found with
     * Netty's word-at-a-time search on the frame itself, and only the bytes of lines are copied: at a
     * million events a second a byte-by-byte loop over every event was the client's largest cost.
     */
    public void feed(ByteBuf data, LineHandler handler) {
        int from = data.readerIndex();
        int to = data.writerIndex();
        while (from < to) {
            int lf = data.indexOf(from, to, (byte) '\n');
            int end = lf < 0 ? to : lf;
            int n = end - from;
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            data.getBytes(from, buf, size, n);
            size += n;
            if (lf < 0) {
                break;
            }
            int lineEnd = size > 0 && buf[size - 1] == '\r' ? size - 1 : size;
            if (lineEnd > 0) handler.onLine(buf, 0, lineEnd);
            size = 0;
            from = lf + 1;
        }
        data.readerIndex(to);
        if (size == 0 && buf.length > 64 * 1024) buf = new byte[512];
    }
}
