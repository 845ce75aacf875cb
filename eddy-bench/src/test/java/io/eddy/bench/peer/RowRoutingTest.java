package io.eddy.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.bench.workload.Doc;
import io.eddy.bench.workload.Filter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router's filters deliver what the workload expects of each (the deliveries per write the scenarios count on). */
class RowRoutingTest {
    private static final String[] COLUMNS = {"id", "owner", "status", "score", "payload", "sent_ns"};
    private static final int[] OIDS = {20, 25, 25, 23, 25, 20};

    private static PgOutputDecoder.Row row(char op, String id, Doc d, String[] old) {
        return new PgOutputDecoder.Row(op, COLUMNS, OIDS,
                new String[] {id, d.owner(), d.status(), Integer.toString(d.score()), "p", Long.toString(d.sentNs())}, old, 1L);
    }

    private static List<Integer> route(RowRouting routing, PgOutputDecoder.Row row) {
        List<Integer> subs = new ArrayList<>();
        routing.route(row, subs::add);
        return subs;
    }

    @Test
    void f1GoesToTheOwnersSubscriberAndF2ToEveryone() {
        RowRouting f1 = RowRouting.of(Filter.F1, 10, null);
        assertThat(f1.subscribers()).isEqualTo(10);
        assertThat(route(f1, row('I', "1", Filter.F1.doc(13, 10, 0, null), null))).containsExactly(3);
        RowRouting f2 = RowRouting.of(Filter.F2, 4, null);
        assertThat(route(f2, row('I', "1", Filter.F2.doc(5, 4, 0, null), null))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void f3EvaluatesEverySubscribersPredicateAndMatchesOneOnEvenRoundsNoneOnOdd() {
        int m = 10;
        RowRouting f3 = RowRouting.of(Filter.F3, m, null);
        long delivered = 0;
        for (long n = 0; n < 4 * m; n++) {
            List<Integer> subs = route(f3, row('I', Long.toString(n), Filter.F3.doc(n, m, 0, null), null));
            if ((n / m) % 2 == 0) assertThat(subs).containsExactly((int) (n % m));
            else assertThat(subs).isEmpty();
            delivered += subs.size();
        }
        assertThat(delivered).isEqualTo(2L * m);
    }

    @Test
    void f4GoesToTheSubscriberOfTheRowId() {
        String[] ids = {"101", "102", "103"};
        RowRouting f4 = RowRouting.of(Filter.F4, 3, ids);
        assertThat(route(f4, row('U', "102", Filter.F4.doc(1, 3, 0, ids), null))).containsExactly(1);
        assertThat(route(f4, row('U', "999", Filter.F4.doc(1, 3, 0, ids), null))).isEmpty();
    }

    @Test
    void f5DeliversAnUpdateOnlyWhenStatusChanged() {
        String[] ids = {"1", "2"};
        RowRouting f5 = RowRouting.of(Filter.F5, 2, ids);
        Doc changed = Filter.F5.doc(1, 2, 0, ids); // round 0: a new status for o1
        String[] old = {"2", "o1", "init", "0", "p", "0"};
        assertThat(route(f5, row('U', "2", changed, old))).containsExactly(1);
        // round 1: no status in the write, so the row keeps it (the writer's COALESCE)
        Doc same = new Doc("o1", changed.status(), 7, 9, "2");
        String[] before = {"2", "o1", changed.status(), "0", "p", "0"};
        assertThat(route(f5, row('U', "2", same, before))).isEmpty();
        // without the old row (no REPLICA IDENTITY FULL) the router cannot tell, and says so
        assertThatThrownBy(() -> route(f5, row('U', "2", changed, null))).hasMessageContaining("REPLICA IDENTITY FULL");
    }
}
