package io.eddy.stream.live;

/**
 * Brackets the delivery of a batch of commits' events on the dispatcher thread (every group commit
 * waiting for it), so that the transport can gather the wake-ups of the subscriptions it reaches and
 * act on them once (one write round per connection per batch, not one per subscription or event). Implemented by the wire protocol; the calls are
 * always paired, on the dispatcher thread, and never nested. (The commit thread's own small releases,
 * see {@link Dispatcher}, are not bracketed: each wake-up acts at once.)
 */
public interface DeliveryBatching {
    /** No batching: every wake-up acts at once. */
    DeliveryBatching NONE = new DeliveryBatching() {
        @Override public void begin() { }
        @Override public void end() { }
    };

    /** Before a batch's events are queued to their subscriptions. */
    void begin();

    /** After they all are: the wake-ups gathered since {@link #begin} take effect. */
    void end();
}
