package io.eddy.server.http;

import io.eddy.stream.live.DeliveryBatching;

/**
 * The stream engine's {@link DeliveryBatching} for this transport: while the dispatcher queues one
 * commit's events, the write rounds its subscriptions ask for are gathered, and each connection's
 * round is scheduled once when the commit is done. One commit reaching the 250 streams of a connection
 * then costs one round (and one flush), and the event loop does not race the dispatcher with rounds
 * that would each find only some of those streams ready.
 */
public final class WriteRoundBatching implements DeliveryBatching {
    public static final WriteRoundBatching INSTANCE = new WriteRoundBatching();

    private WriteRoundBatching() {}

    @Override
    public void begin() {
        WriteRounds.beginBatch();
    }

    @Override
    public void end() {
        WriteRounds.endBatch();
    }
}
