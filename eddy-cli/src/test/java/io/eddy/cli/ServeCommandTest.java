package io.eddy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The serve command's refusals, which must happen before anything is opened or bound. */
class ServeCommandTest {
    @TempDir Path dir;

    private int serve(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Test void refusesANonLoopbackAddressWithTheDefaultSecret() {
        assertThat(serve("serve", "--host", "0.0.0.0", "--port", "0", "--data", dir.toString(), "--root-secret", "secret"))
                .isEqualTo(2);
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test void refusesBadPortsAndStreamSettings() {
        assertThat(serve("serve", "--port", "70000", "--data", dir.toString())).isEqualTo(2);
        assertThat(serve("serve", "--port", "0", "--data", dir.toString(), "--stream-queue-events", "0")).isEqualTo(2);
        assertThat(serve("serve", "--port", "0", "--data", dir.toString(), "--stream-heartbeat", "PT0S")).isEqualTo(2);
        assertThat(serve("serve", "--port", "0", "--data", dir.toString(), "--max-streams-per-connection", "0")).isEqualTo(2);
        assertThat(dir.resolve("db")).doesNotExist();
    }
}
