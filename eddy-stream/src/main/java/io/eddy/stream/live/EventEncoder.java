package io.eddy.stream.live;

import io.eddy.stream.event.Event;

/**
 * Renders an event for the wire, once: subscribers of the same source share the bytes. Implemented by
 * the wire protocol (tagged JSON followed by {@code \r\n} for Fauna's protocol).
 */
@FunctionalInterface
public interface EventEncoder {
    byte[] encode(Event event);
}
