package io.eddy.bench.env;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisServerTest {
    @Test
    void versionIsTheVFieldOfRedisServersVersionLine() {
        assertThat(RedisServer.versionOf("Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0\n"))
                .isEqualTo("7.0.15");
        assertThat(RedisServer.versionOf(" something else \n")).isEqualTo("something else");
    }
}
