package io.eddy.fql.api;

/** Cost figures reported with every query response ({@code stats}). */
public record QueryStats(long computeOps, long readOps, long writeOps, long queryTimeMs, int contentionRetries,
                         long storageBytesRead, long storageBytesWrite) {
    public static final QueryStats ZERO = new QueryStats(0, 0, 0, 0, 0, 0, 0);
}
