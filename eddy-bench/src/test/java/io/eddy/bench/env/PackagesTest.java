package io.eddy.bench.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PackagesTest {
    @Test
    void rootRunsAptGetItselfOthersThroughSudoThatNeverPrompts() {
        assertThat(Packages.aptPrefix(true, Path.of("/usr/bin/sudo"))).isEmpty();
        assertThat(Packages.aptPrefix(true, null)).isEmpty();
        assertThat(Packages.aptPrefix(false, Path.of("/usr/bin/sudo"))).containsExactly("/usr/bin/sudo", "-n");
        assertThat(Packages.aptPrefix(false, null)).isNull();
    }

    @Test
    void findsExecutablesOnThePath() {
        assertThat(Packages.onPath("sh")).isNotNull();
        assertThat(Packages.onPath("no-such-command-" + System.nanoTime())).isNull();
    }
}
