package io.eddy.server;

import static io.eddy.server.testing.WireAssertions.assertEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.server.testing.StreamServer;
import io.eddy.server.testing.StreamServer.OpenStream;
import io.eddy.stream.StreamConfig;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Idle heartbeats on the wire (`--stream-heartbeat`, Fauna's 5 minutes made 200 ms here): a stream with
 * nothing to send gets {@code status} events, each carrying the current position, so a client that
 * resumes from a heartbeat's cursor skips the writes its filter rejected but misses nothing after them.
 * Over HTTP/1.1 and HTTP/2 (h2c upgrade), as the JVM driver reads them.
 */
@Timeout(60)
class HeartbeatOverHttpTest {
    @TempDir Path dir;

    enum Protocol { HTTP_1_1, HTTP_2 }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void idleStreamsGetStatusHeartbeatsAtTheCurrentPosition(Protocol p) throws Exception {
        StreamConfig config = new StreamConfig(1024, 65_536, Duration.ofMillis(200), 0, 1024);
        try (StreamServer s = new StreamServer(dir, config);
             HttpClient http = HttpClient.newBuilder()
                     .version(p == Protocol.HTTP_1_1 ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2).build()) {
            s.query(http, "Collection.create({ name: 'Item' })");
            String token = s.token(http, "Item.where(.keep == true).toStream()");
            try (OpenStream st = s.openStream(http, "{\"token\":\"" + token + "\"}")) {
                JsonNode first = st.next(Duration.ofSeconds(10));
                assertEvent(first);
                assertThat(first.get("type").asText()).isEqualTo("status");

                long rejected = s.query(http, "Item.create({ keep: false })").get("txn_ts").asLong();
                JsonNode beat = st.next(Duration.ofSeconds(10));
                assertEvent(beat);
                assertThat(beat.get("type").asText()).as("nothing matched: a heartbeat").isEqualTo("status");
                for (int i = 0; i < 20 && beat.get("txn_ts").asLong() < rejected; i++) beat = st.next(Duration.ofSeconds(10));
                assertThat(beat.get("type").asText()).isEqualTo("status");
                assertThat(beat.get("txn_ts").asLong()).as("a heartbeat names the current position")
                        .isGreaterThanOrEqualTo(rejected);

                long kept = s.query(http, "Item.create({ keep: true })").get("txn_ts").asLong();
                JsonNode add = st.next(Duration.ofSeconds(10));
                while (add.get("type").asText().equals("status")) add = st.next(Duration.ofSeconds(10));
                assertThat(add.get("type").asText()).isEqualTo("add");
                assertThat(add.get("txn_ts").asLong()).isEqualTo(kept);

                // resuming from the heartbeat's cursor yields exactly the later matching write
                try (OpenStream resumed = s.openStream(http,
                        "{\"token\":\"" + token + "\",\"cursor\":\"" + beat.get("cursor").asText() + "\"}")) {
                    JsonNode status = resumed.next(Duration.ofSeconds(10));
                    assertThat(status.get("type").asText()).isEqualTo("status");
                    JsonNode again = resumed.next(Duration.ofSeconds(10));
                    while (again.get("type").asText().equals("status")) again = resumed.next(Duration.ofSeconds(10));
                    assertThat(again.get("type").asText()).isEqualTo("add");
                    assertThat(again.get("txn_ts").asLong()).isEqualTo(kept);
                }
            }
        }
    }
}
