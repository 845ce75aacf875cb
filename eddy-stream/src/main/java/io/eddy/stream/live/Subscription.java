package io.eddy.stream.live;

import io.eddy.core.changelog.LogPosition;
import io.eddy.stream.derive.StreamSource;
import io.eddy.stream.event.Event;
import java.util.ArrayDeque;

/**
 * One client's stream: a bounded outbound queue of encoded events fed first by replay, then by the
 * live dispatcher, and drained by the network sink.
 *
 * <p>States: {@code REPLAYING} (history is being read from the change log; live events that arrive
 * meanwhile wait in a bounded pending list), {@code LIVE} (the dispatcher appends events directly), and
 * {@code FINISHED} (a terminal event was queued or the client went away).
 *
 * <p>Invariants, all under this object's lock:
 * <ul>
 *   <li>Events enter the outbound queue in change-log order, each at most once: the switch from replay
 *       to live drops pending events at or before the last replayed position, and live events at or
 *       before the last queued position are dropped (the dispatcher may trail replay).</li>
 *   <li>The outbound queue never holds more than {@code subscriberQueueEvents} events plus one terminal
 *       event; a live event that does not fit ends the stream with {@code stream_overflow} (the client
 *       resumes from its last cursor and loses nothing). The dispatcher never waits; replay waits for room.</li>
 *   <li>If the pending list overflows during replay it is dropped and replay simply reads further: the
 *       change log has those events.</li>
 *   <li>A status event's cursor is never behind an event already queued.</li>
 * </ul>
 */
public final class Subscription {
    enum State { REPLAYING, LIVE, FINISHED }

    private record Pending(LogPosition position, byte[] bytes, boolean terminal) {}

    private final GroupKey groupKey;
    private final StreamSource source;
    private final LogPosition start;
    private final SubscriptionSink sink;
    private final Dispatcher dispatcher;
    /** The key whose secret opened the stream (null: the root secret); deleting it ends the stream. */
    private final String authKeyId;

    /** Null while empty: most streams are idle most of the time, and thousands may be open. */
    private ArrayDeque<byte[]> outbound;
    private ArrayDeque<Pending> pending = new ArrayDeque<>(4);
    private boolean pendingOverflow;
    private State state = State.REPLAYING;
    private LogPosition lastPosition;
    private long lastSendNanos = System.nanoTime();
    private boolean wakeRequested;
    /** The replay thread waits in {@link #offerReplay} for room (one replay thread per subscription). */
    private boolean replayWaiting;
    /** The dispatcher's group this subscription is in while registered; guarded by the dispatcher. */
    Dispatcher.Group group;

    /**
     * @param token the stream token: subscriptions of one token share derivation and encoding
     * @param authKeyId the id of the key whose secret opened the stream, or null for the root secret
     */
    public Subscription(String token, StreamSource source, LogPosition start, SubscriptionSink sink, Dispatcher dispatcher,
                        String authKeyId) {
        this.authKeyId = authKeyId;
        this.groupKey = GroupKey.of(token);
        this.source = source;
        this.start = start;
        this.sink = sink;
        this.dispatcher = dispatcher;
        this.lastPosition = start;
    }

    public StreamSource source() { return source; }

    /** The key whose secret opened the stream, or null for the root secret. */
    String authKeyId() { return authKeyId; }

    /** Subscriptions with equal keys share derivation and encoding. */
    GroupKey groupKey() { return groupKey; }

    LogPosition start() { return start; }

    /** The next encoded event to send, or null when there is none now. */
    public byte[] poll() {
        synchronized (this) {
            byte[] b = outbound == null ? null : outbound.poll();
            if (b == null) {
                wakeRequested = false;
            } else if (outbound.isEmpty()) {
                outbound = null;
            }
            // Only replay waits for room; live delivery never does, so most polls wake nobody.
            if (replayWaiting) notifyAll();
            return b;
        }
    }

    /** The next encoded event to send, left in the queue; null when there is none now. */
    public synchronized byte[] peek() {
        return outbound == null ? null : outbound.peek();
    }

    /** Whether the stream has ended and everything queued has been taken. */
    public synchronized boolean isDone() {
        return state == State.FINISHED && outbound == null;
    }

    /** Ends the subscription (the client went away); idempotent. */
    public void close() {
        synchronized (this) {
            state = State.FINISHED;
            outbound = null;
            pending = null;
            notifyAll();
        }
        dispatcher.unregister(this);
    }

    /** Queues a terminal event (error) and finishes. */
    public void fail(Event error) {
        byte[] bytes = dispatcher.encoder().encode(error);
        boolean wake;
        synchronized (this) {
            if (state == State.FINISHED) return;
            push(bytes);
            state = State.FINISHED;
            pending = null;
            wake = requestWake();
            notifyAll();
        }
        dispatcher.unregister(this);
        if (wake) sink.wakeUp();
    }

    /**
     * Live delivery from the dispatcher thread; never blocks. {@code nowNanos} is the dispatcher's clock
     * reading for its batch (one reading shared by every subscriber it reaches, not one each).
     */
    void offerLive(Event event, byte[] bytes, long nowNanos) {
        boolean wake = false, overflow = false, terminal = false;
        synchronized (this) {
            switch (state) {
                case FINISHED -> { return; }
                case REPLAYING -> {
                    if (pendingOverflow) return;
                    if (pending.size() >= capacity()) {
                        pending.clear();
                        pendingOverflow = true;
                    } else {
                        pending.add(new Pending(event.position(), bytes, event.isError()));
                    }
                    return;
                }
                case LIVE -> {
                    // The dispatcher may trail replay: a commit replay already delivered can arrive again.
                    if (event.position() != null && lastPosition != null && event.position().compareTo(lastPosition) <= 0) return;
                    if (event.isError()) {
                        terminal = true;
                    } else if (queued() >= capacity()) {
                        overflow = true;
                    } else {
                        enqueue(bytes, event.position(), nowNanos);
                        wake = requestWake();
                    }
                }
            }
        }
        if (overflow) {
            fail(Event.error("stream_overflow", "Too many events to process.", null, null));
        } else if (terminal) {
            fail(event);
        } else if (wake) {
            sink.wakeUp();
        }
    }

    /** Replay delivery: waits for room; returns false if the subscription finished meanwhile. */
    boolean offerReplay(byte[] bytes, LogPosition position) throws InterruptedException {
        boolean wake;
        synchronized (this) {
            while (state != State.FINISHED && queued() >= capacity()) {
                replayWaiting = true;
                try {
                    wait(1000);
                } finally {
                    replayWaiting = false;
                }
            }
            if (state == State.FINISHED) return false;
            enqueue(bytes, position, System.nanoTime());
            wake = requestWake();
        }
        if (wake) sink.wakeUp();
        return true;
    }

    /**
     * Called by replay when it has read everything up to the current commit: moves to LIVE, queuing
     * pending live events after {@code replayedTo}. Returns false if pending events were lost to
     * overflow (replay must read on from {@code replayedTo}) or the subscription finished.
     */
    boolean goLive(LogPosition replayedTo) {
        boolean wake = false, finished = false;
        synchronized (this) {
            if (state == State.FINISHED) return true;
            if (pendingOverflow) {
                pendingOverflow = false;
                pending.clear();
                return false;
            }
            // All or nothing: queuing only some pending events and then re-reading from replayedTo
            // would queue those events twice.
            int needed = 0;
            for (Pending p : pending) {
                if (p.position().compareTo(replayedTo) <= 0) continue;
                needed++;
                if (p.terminal()) break;
            }
            if (queued() + needed > capacity()) {
                // Replay waits for room, so the client is slow: re-read instead of overflowing.
                pending.clear();
                lastPosition = max(lastPosition, replayedTo);
                return false;
            }
            for (Pending p : pending) {
                if (p.position().compareTo(replayedTo) <= 0) continue;
                enqueue(p.bytes(), p.position(), System.nanoTime());
                if (p.terminal()) {
                    state = State.FINISHED;
                    pending = null;
                    requestWake();
                    finished = true;
                    break;
                }
            }
            if (!finished) {
                pending = null;
                state = State.LIVE;
            }
            lastPosition = max(lastPosition, replayedTo);
            if (outbound != null) wake = requestWake() || finished;
        }
        if (finished) dispatcher.unregister(this);
        if (wake) sink.wakeUp();
        return true;
    }

    /** Queues an encoded status event made by {@code statusAt}, if idle long enough (heartbeat). */
    void heartbeat(long nowNanos, long intervalNanos, LogPosition processed) {
        byte[] bytes;
        synchronized (this) {
            if (state == State.FINISHED || nowNanos - lastSendNanos < intervalNanos) return;
            LogPosition at = state == State.LIVE ? max(lastPosition, processed) : lastPosition;
            bytes = dispatcher.encoder().encode(Event.status(at));
            push(bytes);
            lastPosition = at;
            lastSendNanos = nowNanos;
            if (!requestWake()) return;
        }
        sink.wakeUp();
    }

    /** Queues the first status event, which names the start position. */
    void sendStart() {
        byte[] bytes = dispatcher.encoder().encode(Event.status(start));
        synchronized (this) {
            push(bytes);
            requestWake();
        }
        sink.wakeUp();
    }

    synchronized boolean isFinished() {
        return state == State.FINISHED;
    }

    /** {@code nowNanos}: when it is queued, as far as heartbeats care (they wait minutes, not nanoseconds). */
    private void enqueue(byte[] bytes, LogPosition position, long nowNanos) {
        push(bytes);
        if (position != null) lastPosition = max(lastPosition, position);
        lastSendNanos = nowNanos;
    }

    private void push(byte[] bytes) {
        if (outbound == null) outbound = new ArrayDeque<>(4);
        outbound.add(bytes);
    }

    /** The bound of the queue ({@code subscriberQueueEvents}); read from the dispatcher's config, not kept per stream. */
    private int capacity() {
        return dispatcher.queueCapacity();
    }

    private int queued() {
        return outbound == null ? 0 : outbound.size();
    }

    /** Returns true if the sink must be woken (it is not already draining). */
    private boolean requestWake() {
        if (wakeRequested) return false;
        wakeRequested = true;
        return true;
    }

    private static LogPosition max(LogPosition a, LogPosition b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }
}
