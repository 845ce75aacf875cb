package io.eddy.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a run (the keys of {@code latest.json}, each a number, or NaN when not produced) and, per
 * scenario, the details behind them: parameters actually used, counts, percentiles, CPU and load.
 */
public final class Results {
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> details = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public synchronized void figure(String key, double value) {
        figures.put(key, value);
    }

    /** The details map of {@code scenario}, created on first use. */
    public synchronized Map<String, Object> details(String scenario) {
        return details.computeIfAbsent(scenario, k -> new LinkedHashMap<>());
    }

    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized Map<String, Double> figures() { return new LinkedHashMap<>(figures); }

    public synchronized Map<String, Map<String, Object>> details() { return new LinkedHashMap<>(details); }

    public synchronized List<String> notes() { return List.copyOf(notes); }
}
