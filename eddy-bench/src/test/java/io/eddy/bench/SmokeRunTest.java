package io.eddy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.bench.report.Figures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The CI smoke run: {@code bin/eddy bench --smoke} in-process (seconds, tiny M), asserting that every key
 * of {@code latest.json} is produced as a number. Needs the packaged server (eddy-cli, built earlier in
 * the reactor), PostgreSQL 15, and redis-server (apt-installed if missing), so it runs only with
 * {@code -Deddy.bench.smoke=true}.
 */
@EnabledIfSystemProperty(named = "eddy.bench.smoke", matches = "true")
class SmokeRunTest {
    @Test
    void everyFigureIsProduced() throws Exception {
        Path home = Path.of("").toAbsolutePath().getParent(); // surefire runs in eddy-bench/
        Path out = Path.of("target", "smoke-results").toAbsolutePath();
        BenchConfig config = BenchMain.parse(new String[] {"--smoke", "--out", out.toString()}, home);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BenchRun.Outcome outcome;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            outcome = new BenchRun(config, "SmokeRunTest").run(ps);
        }
        System.out.println(buf.toString(StandardCharsets.UTF_8));
        assertThat(outcome.missingKeys()).as("figures not produced").isEmpty();
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("latest.json")));
        List<String> keys = Figures.requiredKeys(config.scenarios(), true);
        assertThat(keys).hasSize(23); // six figures and their peers, F2-F5 on Eddy and on the logical-decoding peer
        assertThat(keys).contains("w_f3_delivery_p99_ms", "w_f3_delivery_p99_ms_postgres_logical");
        for (String key : keys) {
            assertThat(json.get(key)).as(key).isNotNull();
            assertThat(json.get(key).isNumber()).as(key + " is a number").isTrue();
        }
        assertThat(json.get("run").get("load_avg_summary").asText()).isNotBlank();
        assertThat(json.get("run").get("postgres_server_version").asText()).startsWith("15.");
        assertThat(json.get("run").get("redis_server_version").asText()).isNotBlank().doesNotStartWith("unknown");
    }
}
