package io.eddy.core.value;

import java.util.Objects;

/** An event source (stream token) as rendered into a response: {@code {"@stream": token}}. */
public record EventSourceValue(String token) implements Value {
    public EventSourceValue { Objects.requireNonNull(token, "token"); }
    @Override public String typeName() { return "EventSource"; }
}
