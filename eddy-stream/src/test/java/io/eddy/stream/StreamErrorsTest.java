package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.IntValue;
import io.eddy.fql.interp.ElementPipeline;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sources that cannot be served: a pipeline that writes, a token sealed by another database. */
class StreamErrorsTest {
    @TempDir Path dir;
    StreamFixture f;

    @AfterEach void close() { if (f != null) f.close(); }

    private FeedPage feed(String token, String cursor) throws StreamRequestException {
        return f.streams.feed(f.streams.open(token, cursor, null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    }

    /**
     * A {@code map} or {@code where} step that writes fails with {@code invalid_effect} (Fauna: "Writes
     * are disallowed in stream subscriptions."): an error event that ends a live stream and a feed
     * page, and nothing is written.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "Item.all().map(d => Other.create({ from: d.n })).toStream()",
            "Item.where(d => Other.create({ from: d.n }) != null).toStream()"})
    void writesInTheSourcesStepsAreInvalidEffects(String source) throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults(), StreamFixture::encodeWithMessage, new byte[32]);
        f.ok("Collection.create({ name: 'Item' })");
        f.ok("Collection.create({ name: 'Other' })");
        String token = f.token(source);
        LiveStreamTest.Collector live = new LiveStreamTest.Collector();
        live.sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { });
        live.awaitCount(1);
        f.ok("Item.create({ n: 1 })");
        live.awaitCount(2);
        String expected = "invalid_effect: " + ElementPipeline.READ_ONLY;
        assertThat(expected).isEqualTo("invalid_effect: Writes are disallowed in stream subscriptions.");
        assertThat(live.types()).containsExactly("status", "error");
        assertThat(live.lines.get(1)).isEqualTo("error||" + expected);
        assertThat(live.sub.isDone()).isTrue();

        FeedPage page = feed(token, null);
        assertThat(page.events()).extracting(Event::type).containsExactly(EventType.ERROR);
        Event.ErrorInfo error = page.events().getFirst().error();
        assertThat(error.code() + ": " + error.message()).isEqualTo(expected);
        assertThat(page.hasNext()).isFalse();
        assertThat(f.ok("Other.all().count()")).isEqualTo(new IntValue(0));
    }

    /**
     * A token is sealed with the signing key of the data folder that made it: another database (here
     * one with another key) refuses it, as a stream and as a feed, and the other way round.
     */
    @Test void aTokenSignedWithAnotherKeyIsRefused(@TempDir Path otherDir) throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        byte[] otherKey = new byte[32];
        Arrays.fill(otherKey, (byte) 7);
        try (StreamFixture other = new StreamFixture(otherDir, StreamConfig.defaults(), StreamFixture::encode, otherKey)) {
            // The same schema on both sides: only the seal differs.
            f.ok("Collection.create({ name: 'Item' })");
            other.ok("Collection.create({ name: 'Item' })");
            String mine = f.token("Item.all().toStream()");
            String theirs = other.token("Item.all().toStream()");
            for (boolean streamRules : new boolean[] {true, false}) {
                assertThatThrownBy(() -> other.streams.open(mine, null, null, streamRules))
                        .isInstanceOfSatisfying(StreamRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_request"))
                        .hasMessage("Invalid request body: invalid event source provided.");
                assertThatThrownBy(() -> f.streams.open(theirs, null, null, streamRules))
                        .isInstanceOfSatisfying(StreamRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_request"))
                        .hasMessage("Invalid request body: invalid event source provided.");
                // Each side takes its own.
                assertThat(f.streams.open(mine, null, null, streamRules).source().coll()).isEqualTo("Item");
                assertThat(other.streams.open(theirs, null, null, streamRules).source().coll()).isEqualTo("Item");
            }
        }
    }
}
