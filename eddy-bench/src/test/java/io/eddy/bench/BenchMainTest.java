package io.eddy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.bench.BenchConfig.Mode;
import io.eddy.bench.BenchConfig.Scenario;
import io.eddy.bench.report.Figures;
import io.eddy.bench.report.Report;
import io.eddy.bench.scenario.Results;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchMainTest {
    private static final Path HOME = Path.of("/repo");

    @Test
    void fullUsesTheIssuesNumbers() {
        BenchConfig c = BenchMain.parse(new String[0], HOME);
        assertThat(c.mode()).isEqualTo(Mode.FULL);
        assertThat(c.scenarios()).isEqualTo(EnumSet.allOf(Scenario.class));
        assertThat(c.p1().streams()).isEqualTo(10_000);
        assertThat(c.p2().streams()).isEqualTo(1_000);
        assertThat(c.p2().writesPerSecond()).isEqualTo(5_000);
        assertThat(c.p3().subscribers()).isEqualTo(10_000);
        assertThat(c.p4().streams()).isEqualTo(10_000);
        assertThat(c.p5().pageSize()).isEqualTo(16_000);
        assertThat(c.p6().clients()).isEqualTo(16);
        assertThat(c.resultsDir()).isEqualTo(HOME.resolve("bench/results"));
    }

    @Test
    void quickAndSmokeScaleDownAndRunTheExtraFiltersToo() {
        BenchConfig q = BenchMain.parse(new String[] {"--quick"}, HOME);
        assertThat(q.p1().streams()).isLessThan(10_000);
        assertThat(q.scenarios()).isEqualTo(EnumSet.allOf(Scenario.class));
        assertThat(q.extra().streams()).isLessThan(1_000);
        assertThat(BenchMain.parse(new String[] {"--smoke"}, HOME).scenarios()).contains(Scenario.EXTRA);
        BenchConfig s = BenchMain.parse(new String[] {"--smoke", "--scenario", "p1,P5", "--scenario", "extra"}, HOME);
        assertThat(s.mode()).isEqualTo(Mode.SMOKE);
        assertThat(s.scenarios()).containsExactly(Scenario.P1, Scenario.P5, Scenario.EXTRA);
    }

    @Test
    void optionsAndErrors() {
        BenchConfig c = BenchMain.parse(new String[] {"--smoke", "--out", "/tmp/x", "--server-opts", "-Xmx1g -Dy=1", "--jfr"}, HOME);
        assertThat(c.resultsDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.serverJavaOpts()).startsWith("-Xmx1g", "-Dy=1");
        assertThat(c.serverJavaOpts().getLast()).startsWith("-XX:StartFlightRecording=filename=/tmp/x/");
        assertThat(c.peers()).isTrue();
        BenchConfig alone = BenchMain.parse(new String[] {"--scenario", "p1,p6", "--no-peers"}, HOME);
        assertThat(alone.peers()).isFalse();
        assertThat(Figures.requiredKeys(alone.scenarios(), alone.peers()))
                .containsExactly("p1_write_tax_ratio", "p6_creates_per_s");
        BenchConfig extraAlone = BenchMain.parse(new String[] {"--scenario", "extra", "--no-peers"}, HOME);
        assertThat(Figures.requiredKeys(extraAlone.scenarios(), extraAlone.peers())).containsExactly("w_f2_delivery_p99_ms",
                "w_f3_delivery_p99_ms", "w_f4_delivery_p99_ms", "w_f5_delivery_p99_ms");
        assertThat(Figures.requiredKeys(extraAlone.scenarios(), true)).containsExactly(
                "w_f2_delivery_p99_ms", "w_f2_delivery_p99_ms_postgres_logical", "w_f3_delivery_p99_ms",
                "w_f3_delivery_p99_ms_postgres_logical", "w_f4_delivery_p99_ms", "w_f4_delivery_p99_ms_postgres_logical",
                "w_f5_delivery_p99_ms", "w_f5_delivery_p99_ms_postgres_logical");
        assertThat(BenchMain.parse(new String[] {"--help"}, HOME)).isNull();
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--scenario", "p9"}, HOME)).hasMessageContaining("unknown scenario");
        assertThatThrownBy(() -> BenchMain.parse(new String[] {"--bogus"}, HOME)).hasMessageContaining("unknown argument");
    }

    @Test
    void latestJsonHasEveryKeyEvenWhenMissing() {
        BenchConfig c = BenchMain.parse(new String[] {"--smoke"}, HOME);
        Results r = new Results();
        r.figure("p1_write_tax_ratio", 0.95);
        r.figure("p2_delivery_p99_ms", Double.NaN);
        Map<String, Object> j = new Report(c, r, Map.of("timestamp", "t")).json();
        List<String> keys = Figures.requiredKeys(c.scenarios(), true);
        assertThat(keys).contains("p1_write_tax_ratio", "p1_write_tax_ratio_postgres_notify", "p2_delivery_p99_ms_postgres_logical",
                "p3_fanout_events_per_s_redis", "p4_heap_bytes_per_idle_stream", "p5_feed_replay_events_per_s",
                "p6_create_ratio_vs_postgres");
        assertThat(j).containsKeys(keys.toArray(String[]::new));
        assertThat(j.get("p1_write_tax_ratio")).isEqualTo(0.95);
        assertThat(j.get("p2_delivery_p99_ms")).isNull();
        assertThat(new Report(c, r, Map.of()).table()).contains("| `p1_write_tax_ratio` | 0.950 | >= 0.900 | yes |");
        assertThat(keys).contains("w_f3_delivery_p99_ms", "w_f5_delivery_p99_ms_postgres_logical");
        assertThat(j.get("w_f3_delivery_p99_ms")).isNull();
    }

    @Test
    void theResultsHeaderNamesThePeersVersions() throws Exception {
        BenchConfig c = BenchMain.parse(new String[] {"--smoke"}, HOME);
        Map<String, Object> run = new java.util.LinkedHashMap<>();
        run.put("timestamp", "t");
        run.put("postgres_server_version", "15.14 (Debian 15.14-0+deb12u1)");
        run.put("redis_server_version", "7.0.15");
        Report withPeers = new Report(c, new Results(), run);
        assertThat(withPeers.markdown()).contains("- Peers: PostgreSQL 15.14 (Debian 15.14-0+deb12u1); Redis 7.0.15\n");
        assertThat(withPeers.json().get("run")).isEqualTo(run);
        assertThat(new Report(c, new Results(), Map.of("timestamp", "t")).markdown()).doesNotContain("- Peers:");
    }
}
