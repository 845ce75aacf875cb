package io.eddy.bench.workload;

import java.util.Arrays;

/**
 * One document of the workload: {@code {owner, status, score, payload ~200 B, sent_ns}}.
 *
 * @param owner the F1 key ({@code o<i>})
 * @param status a short string (F5 looks at it)
 * @param score 0..100, or for F3 a subscriber index or -1 (F3 looks at it)
 * @param sentNs the intended send time on the {@link Clock} base
 * @param targetId for updates (F4, F5): the id of the document to update; null for creates
 */
public record Doc(String owner, String status, int score, long sentNs, String targetId) {

    /** A payload string of {@code bytes} ASCII letters (no escaping needed in JSON, FQL or SQL). */
    public static String payload(int bytes) {
        char[] c = new char[bytes];
        Arrays.fill(c, 'x');
        for (int i = 0; i < bytes; i += 7) c[i] = (char) ('a' + (i / 7) % 26);
        return new String(c);
    }
}
