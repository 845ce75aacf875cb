package io.eddy.stream.live;

/**
 * The network side of a subscription. {@link #wakeUp()} is called, from any thread and without locks
 * held, when the subscription has events to send after being drained, or has finished; the sink then
 * drains with {@link Subscription#poll()} on its own thread (e.g. the channel's event loop), as fast as
 * the connection allows.
 */
@FunctionalInterface
public interface SubscriptionSink {
    void wakeUp();
}
