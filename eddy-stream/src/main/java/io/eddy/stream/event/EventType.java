package io.eddy.stream.event;

/** The {@code type} of an event, as on the wire. */
public enum EventType {
    ADD("add"), UPDATE("update"), REMOVE("remove"), STATUS("status"), ERROR("error");

    private final String wire;

    EventType(String wire) { this.wire = wire; }

    public String wire() { return wire; }
}
