package io.eddy.server;

import static io.eddy.server.testing.WireAssertions.assertEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.server.testing.StreamServer;
import io.eddy.server.testing.StreamServer.OpenStream;
import io.eddy.server.testing.WireAssertions;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token whose collection or index changed after it was made, over {@code /stream/1} and
 * {@code /feed/1} (HTTP/1.1 and h2c): a request is refused with 400 {@code invalid_request}, "Error
 * evaluating provided stream, ..." ("event source" for feeds), as Fauna answers when the token's set
 * no longer evaluates; an open stream gets that error as its last event and its response ends. Never
 * a 500, never a stream that goes quiet.
 */
@Timeout(120)
class StreamSchemaChangeOverHttpTest extends OverHttpTestBase {
    private static final AtomicInteger collections = new AtomicInteger();


    /** A fresh collection with a one-term index {@code byKind}. */
    private static String collection(HttpClient c) {
        String name = "Changing" + collections.incrementAndGet();
        s.query(c, "Collection.create({ name: '" + name + "', indexes: { byKind: { terms: [{ field: '.kind' }] } } })");
        return name;
    }

    private static String body(String token) {
        return WireAssertions.JSON.createObjectNode().put("token", token).toString();
    }

    /**
     * Opens a stream on {@code token}, sees a live add, makes {@code change} to the schema, and checks
     * that the stream ends with the error event; then that new requests are refused.
     */
    private static void assertChangeEndsAndRefuses(Protocol p, String coll, String token, String change, String why)
            throws Exception {
        HttpClient c = client(p);
        try (OpenStream st = s.openStream(c, body(token))) {
            assertThat(st.awaitHead().statusCode()).isEqualTo(200);
            assertThat(st.next().get("type").asText()).isEqualTo("status");
            s.query(c, coll + ".create({ kind: 'a', color: 'red' })");
            assertThat(st.next().get("type").asText()).isEqualTo("add");

            s.query(c, change);

            JsonNode error = st.next();
            assertEvent(error);
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("error").get("code").asText()).isEqualTo("invalid_request");
            assertThat(error.get("error").get("message").asText()).isEqualTo("Error evaluating provided stream, " + why);
            st.completed().get(10, TimeUnit.SECONDS); // the response ends after the error event
        }

        HttpResponse<String> stream = StreamServer.send(c, s.post("/stream/1", body(token)).build());
        assertThat(stream.statusCode()).as(stream.body()).isEqualTo(400);
        JsonNode streamError = WireAssertions.parse(stream.body()).get("error");
        assertThat(streamError.get("code").asText()).isEqualTo("invalid_request");
        assertThat(streamError.get("message").asText()).isEqualTo("Error evaluating provided stream, " + why);

        HttpResponse<String> feed = StreamServer.send(c, s.post("/feed/1", body(token)).build());
        assertThat(feed.statusCode()).as(feed.body()).isEqualTo(400);
        JsonNode feedError = WireAssertions.parse(feed.body()).get("error");
        assertThat(feedError.get("code").asText()).isEqualTo("invalid_request");
        assertThat(feedError.get("message").asText()).isEqualTo("Error evaluating provided event source, " + why);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aDeletedCollection(Protocol p) throws Exception {
        String coll = collection(client(p));
        String token = s.token(client(p), coll + ".all().toStream()");
        assertChangeEndsAndRefuses(p, coll, token, "Collection.byName('" + coll + "')!.delete()",
                "Collection `" + coll + "` does not exist.");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aDroppedIndex(Protocol p) throws Exception {
        String coll = collection(client(p));
        String token = s.token(client(p), coll + ".byKind('a').toStream()");
        assertChangeEndsAndRefuses(p, coll, token, coll + ".definition.update({ indexes: { byKind: null } })",
                "The index `byKind` does not exist on collection `" + coll + "`.");
    }

    /** (Before, the token's one term was matched against the new index's two term fields, past its end.) */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anIndexRecreatedWithOtherTerms(Protocol p) throws Exception {
        String coll = collection(client(p));
        String token = s.token(client(p), coll + ".byKind('a').toStream()");
        assertChangeEndsAndRefuses(p, coll, token,
                coll + ".definition.update({ indexes: { byKind: { terms: [{ field: '.kind' }, { field: '.color' }] } } })",
                "The index `" + coll + ".byKind` expects 2 terms but was called with 1 argument.");
    }
}
