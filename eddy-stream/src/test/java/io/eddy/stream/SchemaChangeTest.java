package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token names its collection and index; the schema may change after it was made. Every stream and
 * feed request resolves the token against the schema of then (a source that no longer evaluates is
 * refused with {@code invalid_request}, "Error evaluating provided stream, ..."), and a live stream
 * whose collection or index is deleted or replaced ends with that error as an event, never silently.
 */
class SchemaChangeTest {
    @TempDir Path dir;
    StreamFixture f;

    @BeforeEach void open() {
        f = new StreamFixture(dir, StreamConfig.defaults(), StreamFixture::encodeWithMessage, new byte[32]);
        f.ok("Collection.create({ name: 'Item', indexes: { byKind: { terms: [{ field: '.kind' }], values: [{ field: '.n' }] } } })");
    }

    @AfterEach void close() { f.close(); }

    private LiveStreamTest.Collector subscribe(String token, String cursor) throws Exception {
        LiveStreamTest.Collector c = new LiveStreamTest.Collector();
        c.sub = f.streams.subscribe(f.streams.open(token, cursor, null, true), () -> { });
        return c;
    }

    /** The refusal of a request with {@code token}, as a stream and as a feed (the same). */
    private void assertRefused(String token, String message) {
        for (boolean streamRules : new boolean[] {true, false}) {
            assertThatThrownBy(() -> f.streams.open(token, null, null, streamRules))
                    .isInstanceOfSatisfying(StreamRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_request"))
                    .hasMessage("Error evaluating provided stream, " + message);
        }
    }

    /** A stream of a fresh token (nothing to replay), once its status has arrived. */
    private LiveStreamTest.Collector started(String token) throws Exception {
        LiveStreamTest.Collector c = subscribe(token, null);
        c.awaitCount(1);
        return c;
    }

    /** A live stream: its status, then one live add (so it is registered and live). */
    private LiveStreamTest.Collector liveStream(String token, String write) throws Exception {
        LiveStreamTest.Collector c = started(token);
        f.ok(write);
        c.awaitCount(2);
        assertThat(c.types()).containsExactly("status", "add");
        return c;
    }

    /** The stream's next event ends it with {@code message}. */
    private static void assertEndedWith(LiveStreamTest.Collector c, String message) throws Exception {
        int before = c.lines.size();
        c.awaitCount(before + 1);
        assertThat(c.lines).hasSize(before + 1);
        assertThat(c.lines.getLast()).isEqualTo("error||invalid_request: Error evaluating provided stream, " + message);
        assertThat(c.sub.isDone()).isTrue();
    }

    @Test void aDeletedCollectionEndsItsLiveStreamsAndItsTokensAreRefused() throws Exception {
        String id = ((io.eddy.core.value.DocumentValue) f.ok("Item.create({ kind: 'z', n: 0 })")).id();
        String all = f.token("Item.all().toStream()");
        String byKind = f.token("Item.byKind('a').toStream()");
        String single = f.token("Set.single(Item.byId('" + id + "')).toStream()");
        LiveStreamTest.Collector onAll = started(all), onIndex = started(byKind), onDoc = started(single);
        f.ok("Item.create({ kind: 'a', n: 1 })");
        f.ok("Item.byId('" + id + "')!.update({ n: 2 })");
        onAll.awaitCount(3);
        onIndex.awaitCount(2);
        onDoc.awaitCount(2);
        assertThat(onAll.types()).containsExactly("status", "add", "update");
        assertThat(onIndex.types()).containsExactly("status", "add");
        assertThat(onDoc.types()).containsExactly("status", "update");

        f.ok("Collection.byName('Item')!.delete()");

        String gone = "Collection `Item` does not exist.";
        for (LiveStreamTest.Collector c : List.of(onAll, onIndex, onDoc)) assertEndedWith(c, gone);
        assertThat(f.streams.dispatcher().subscriptionCount()).isZero();
        for (String token : List.of(all, byKind, single)) assertRefused(token, gone);
    }

    @Test void aDroppedIndexEndsItsLiveStreamsAndItsTokensAreRefused() throws Exception {
        String byKind = f.token("Item.byKind('a').toStream()");
        String all = f.token("Item.all().toStream()");
        LiveStreamTest.Collector onIndex = liveStream(byKind, "Item.create({ kind: 'a', n: 1 })");
        LiveStreamTest.Collector onAll = subscribe(all, null);
        onAll.awaitCount(2);
        assertThat(onAll.types()).containsExactly("status", "add");

        f.ok("Item.definition.update({ indexes: { byKind: null } })");

        assertEndedWith(onIndex, "The index `byKind` does not exist on collection `Item`.");
        assertRefused(byKind, "The index `byKind` does not exist on collection `Item`.");
        // The collection's own stream is not concerned.
        f.ok("Item.create({ kind: 'a', n: 2 })");
        onAll.awaitCount(3);
        assertThat(onAll.types()).containsExactly("status", "add", "add");
        onAll.sub.close();
    }

    /**
     * An index dropped and created again with two terms, where the token holds one: matching the
     * token's terms against the new term fields would read past them (an exception on every record:
     * a 500 for a feed, events lost on a stream). Refused instead, in the engine's words for the call.
     */
    @Test void anIndexRecreatedWithOtherTermsEndsItsLiveStreamsAndItsTokensAreRefused() throws Exception {
        String byKind = f.token("Item.byKind('a').toStream()");
        LiveStreamTest.Collector onIndex = liveStream(byKind, "Item.create({ kind: 'a', color: 'red', n: 1 })");

        f.ok("Item.definition.update({ indexes: { byKind: { terms: [{ field: '.kind' }, { field: '.color' }] } } })");

        String message = "The index `Item.byKind` expects 2 terms and an optional range but was called with 1 argument.";
        assertEndedWith(onIndex, message);
        assertRefused(byKind, message);
        // A token on the new index works, as a feed and live.
        String byKindAndColor = f.token("Item.byKind('a', 'red').toStream()");
        LiveStreamTest.Collector onNew = liveStream(byKindAndColor, "Item.create({ kind: 'a', color: 'red', n: 2 })");
        f.ok("Item.create({ kind: 'a', color: 'blue', n: 3 })");
        f.ok("Item.create({ kind: 'a', color: 'red', n: 4 })");
        onNew.awaitCount(3);
        assertThat(onNew.types()).containsExactly("status", "add", "add");
        assertThat(onNew.lines.get(2)).contains("n=4");
        FeedPage page = f.streams.feed(f.streams.open(byKindAndColor, null, null, false), 16,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(page.events()).extracting(Event::type).containsExactly(EventType.ADD, EventType.ADD);
        onNew.sub.close();
    }

    @Test void aChangesOnFieldTheRecreatedIndexNoLongerCoversIsRefused() throws Exception {
        String token = f.token("Item.byKind('a').changesOn(.n)");
        f.ok("Item.definition.update({ indexes: { byKind: { terms: [{ field: '.kind' }], values: [{ field: '.label' }] } } })");
        assertRefused(token, "invalid argument `fields`: `n` not covered by the `byKind` index.");
    }

    /**
     * An index replaced by one that still takes the token's terms: the token still resolves, to the
     * new index, so a new request is served; the live stream, derived from the old definition, ends
     * and its client resumes from its last cursor.
     */
    @Test void aReplacedIndexEndsItsLiveStreamsWhichResumeOnTheNewOne() throws Exception {
        String byKind = f.token("Item.byKind('a').toStream()");
        LiveStreamTest.Collector onIndex = liveStream(byKind, "Item.create({ kind: 'a', n: 1 })");
        String cursor = onIndex.lines.get(1).split("\\|")[1];

        f.ok("Item.definition.update({ indexes: { byKind: { terms: [{ field: '.kind' }], values: [{ field: '.label' }] } } })");

        assertEndedWith(onIndex, "The index `Item.byKind` was changed since the stream started.");
        LiveStreamTest.Collector resumed = subscribe(byKind, cursor);
        resumed.awaitCount(1);
        f.ok("Item.create({ kind: 'a', n: 2 })");
        resumed.awaitCount(2);
        assertThat(resumed.types()).containsExactly("status", "add");
        assertThat(resumed.lines.get(1)).contains("n=2");
        resumed.sub.close();
    }

    /**
     * A collection deleted and created again under its name: the token resolves to the new one, whose
     * history is its own (the records of the one before are not its events), and live streams on the
     * old one end.
     */
    @Test void aCollectionCreatedAgainUnderItsNameIsANewSource() throws Exception {
        String token = f.token("Item.all().toStream()");
        LiveStreamTest.Collector live = liveStream(token, "Item.create({ kind: 'old', n: 1 })");

        f.ok("Collection.byName('Item')!.delete()");
        f.ok("Collection.create({ name: 'Item' })");

        live.awaitCount(3);
        assertThat(live.lines.get(2)).startsWith("error||invalid_request: Error evaluating provided stream, ");
        f.ok("Item.create({ kind: 'new', n: 2 })");
        FeedPage page = f.streams.feed(f.streams.open(token, null, null, false), 16,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(page.events()).hasSize(1);
        assertThat(page.events().getFirst().data().toString()).contains("new");
        LiveStreamTest.Collector again = subscribe(token, null);
        again.awaitCount(2);
        assertThat(again.types()).containsExactly("status", "add");
        assertThat(again.lines.get(1)).contains("new");
        again.sub.close();
    }

    /**
     * A feed whose index is replaced between two pages: the next page is derived from the new
     * definition, not taken from the page read ahead under the old one (here the new index covers
     * {@code label}, so label changes are updates; the old one ignored them).
     */
    @Test void aFeedPageAfterTheIndexWasReplacedIsNotThePageReadAheadBefore() throws Exception {
        String byKind = f.token("Item.byKind('a').toStream()");
        for (int i = 0; i < 3; i++) f.ok("Item.create({ kind: 'a', n: " + i + ", label: 'x' })");
        f.ok("Item.byKind('a').forEach(d => d.update({ label: 'y' }))");
        FeedPage first = f.streams.feed(f.streams.open(byKind, null, null, false), 2,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(first.events()).extracting(Event::type).containsExactly(EventType.ADD, EventType.ADD);
        assertThat(first.hasNext()).isTrue(); // the next page is being read ahead, under the old definition

        f.ok("Item.definition.update({ indexes: { byKind: { terms: [{ field: '.kind' }], values: [{ field: '.label' }] } } })");

        FeedPage second = f.streams.feed(f.streams.open(byKind, first.cursor(), null, false), 2,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(second.events()).extracting(Event::type).containsExactly(EventType.ADD, EventType.UPDATE);
        assertThat(second.hasNext()).isTrue();
    }

    /** Schema changes that leave a source's collection and index as they were end nothing. */
    @Test void otherSchemaChangesLeaveLiveStreamsAlone() throws Exception {
        String byKind = f.token("Item.byKind('a').toStream()");
        String all = f.token("Item.all().toStream()");
        LiveStreamTest.Collector onIndex = liveStream(byKind, "Item.create({ kind: 'a', n: 1 })");
        LiveStreamTest.Collector onAll = subscribe(all, null);
        onAll.awaitCount(2);
        assertThat(onAll.types()).containsExactly("status", "add");

        f.ok("Item.definition.update({ indexes: { byN: { terms: [{ field: '.n' }] } }, history_days: 3 })");
        f.ok("Collection.create({ name: 'Other' })");
        f.ok("Collection.byName('Other')!.delete()");
        f.ok("Item.create({ kind: 'a', n: 2 })");

        onIndex.awaitCount(3);
        onAll.awaitCount(3);
        assertThat(onIndex.types()).containsExactly("status", "add", "add");
        assertThat(onAll.types()).containsExactly("status", "add", "add");
        assertThat(onIndex.sub.isDone()).isFalse();
        onIndex.sub.close();
        onAll.sub.close();
    }
}
