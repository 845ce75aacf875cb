package io.eddy.server;

import io.eddy.server.testing.StreamServer;
import io.eddy.stream.StreamConfig;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real server per test class (a temp data folder, default stream settings) and the JDK
 * {@link HttpClient} the way fauna-jvm uses it: over plain HTTP/1.1, and over HTTP/2 reached through the
 * h2c upgrade (the JDK's default over {@code http://}). Test classes run one after another, so the
 * statics belong to the class running.
 */
abstract class OverHttpTestBase {
    enum Protocol { HTTP_1_1, HTTP_2 }

    @TempDir static Path dir;
    static StreamServer s;
    static HttpClient http1;
    static HttpClient http2;

    @BeforeAll
    static void startServerAndClients() throws Exception {
        s = new StreamServer(dir, StreamConfig.defaults());
        http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        http2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServerAndClients() {
        http1.close();
        http2.close();
        s.close();
    }

    static HttpClient client(Protocol p) {
        return p == Protocol.HTTP_1_1 ? http1 : http2;
    }

    static HttpClient.Version version(Protocol p) {
        return p == Protocol.HTTP_1_1 ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
    }
}
