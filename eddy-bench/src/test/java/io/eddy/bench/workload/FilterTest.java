package io.eddy.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterTest {
    @Test
    void f3IsAPredicateWithoutALeadingFieldEquality() {
        // starts with an arithmetic expression, not `.field == constant`: nothing to route by
        assertThat(Filter.F3.source("C", 7, 1000, null)).isEqualTo("C.where(.score % 1000 == 7).toStream()");
        assertThatThrownBy(() -> Filter.F3.source("C", 0, 1, null)).hasMessageContaining("at least 2 subscribers");
    }

    /** Even rounds match exactly one subscriber, odd rounds none: the 0.5 deliveries per write the scenario expects. */
    @Test
    void f3WritesMatchOneSubscriberOnEvenRoundsAndNoneOnOddRounds() {
        for (int m : new int[] {2, 10, 1000}) {
            long delivered = 0;
            long writes = 4L * m;
            for (long n = 0; n < writes; n++) {
                Doc d = Filter.F3.doc(n, m, 0, null);
                int matching = 0;
                for (int i = 0; i < m; i++) if (Filter.f3Matches(d.score(), i, m)) matching++;
                boolean evenRound = (n / m) % 2 == 0;
                assertThat(matching).as("write %d of M=%d", n, m).isEqualTo(evenRound ? 1 : 0);
                if (evenRound) assertThat(Filter.f3Matches(d.score(), (int) (n % m), m)).isTrue();
                delivered += matching;
            }
            assertThat(Filter.F3.deliveries(0, writes, m)).isEqualTo(delivered).isEqualTo(writes / 2);
        }
    }

    /** The expected count is exact for any range of writes, not only whole pairs of rounds. */
    @Test
    void deliveriesCountF3AndF5WritesInEvenRoundsOnly() {
        int m = 200;
        for (long[] range : new long[][] {{0, 1000}, {400, 1400}, {0, 50}, {250, 260}, {399, 401}, {0, 0}}) {
            long even = 0;
            for (long n = range[0]; n < range[1]; n++) if ((n / m) % 2 == 0) even++;
            assertThat(Filter.F3.deliveries(range[0], range[1], m)).as("%d..%d", range[0], range[1]).isEqualTo(even);
            assertThat(Filter.F5.deliveries(range[0], range[1], m)).isEqualTo(even);
        }
        assertThat(Filter.F3.deliveries(0, 1000, m)).isEqualTo(600); // rounds 0, 2, 4 of five
        assertThat(Filter.F2.deliveries(10, 20, m)).isEqualTo(2000);
        assertThat(Filter.F4.deliveries(10, 20, m)).isEqualTo(10);
    }

    @Test
    void f3NoMatchScoreMatchesNoSubscriberBecauseTheRemainderKeepsTheDividendsSign() {
        assertThat(Filter.F3_NO_MATCH % 1000).isEqualTo(-1);
        assertThat(Filter.f3Matches(Filter.F3_NO_MATCH, 0, 2)).isFalse();
        assertThat(Filter.f3Matches(Filter.F3_NO_MATCH, 1, 2)).isFalse();
    }
}
