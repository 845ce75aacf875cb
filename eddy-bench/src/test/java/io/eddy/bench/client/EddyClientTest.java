package io.eddy.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.bench.workload.Doc;
import io.eddy.bench.workload.Filter;
import org.junit.jupiter.api.Test;

class EddyClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createIsAnFqlTemplateWithOneTaggedValue() throws Exception {
        JsonNode q = JSON.readTree(EddyClient.writeBody("Doc", new Doc("o7", "s1", 42, 123L, null), "pay")).get("query");
        assertThat(q.get("fql").get(0).asText()).isEqualTo("Doc.create(");
        JsonNode v = q.get("fql").get(1).get("value");
        assertThat(v.get("owner").asText()).isEqualTo("o7");
        assertThat(v.get("score").get("@int").asText()).isEqualTo("42");
        assertThat(v.get("sent_ns").get("@long").asText()).isEqualTo("123");
        assertThat(v.get("payload").asText()).isEqualTo("pay");
        assertThat(q.get("fql").get(2).asText()).isEqualTo(")");
    }

    @Test
    void updateTargetsTheDocumentAndLeavesOutNullStatus() throws Exception {
        JsonNode q = JSON.readTree(EddyClient.writeBody("Doc", new Doc("o1", null, 5, 9L, "123"), "pay")).get("query");
        assertThat(q.get("fql").get(0).asText()).isEqualTo("Doc.byId(\"123\")!.update(");
        JsonNode v = q.get("fql").get(1).get("value");
        assertThat(v.has("status")).isFalse();
        assertThat(v.has("owner")).isFalse();
        assertThat(v.get("sent_ns").get("@long").asText()).isEqualTo("9");
    }

    @Test
    void filtersRouteWritesToOneSubscriber() {
        Doc d = Filter.F1.doc(1234, 1000, 5, null);
        assertThat(d.owner()).isEqualTo("o234");
        assertThat(Filter.F1.source("C", 3, 10, null)).isEqualTo("C.byOwner(\"o3\").toStream()");
        assertThat(Filter.F5.source("C", 3, 10, null)).isEqualTo("C.byOwner(\"o3\").changesOn(.status)");
        assertThat(Filter.F4.source("C", 0, 10, new String[] {"9"})).isEqualTo("Set.single(C.byId(\"9\")).toStream()");
        // F5: status changes on even rounds only
        assertThat(Filter.F5.doc(3, 10, 0, new String[10]).status()).isNotNull();
        assertThat(Filter.F5.doc(13, 10, 0, new String[10]).status()).isNull();
        assertThat(Doc.payload(200)).hasSize(200).matches("[a-z]+");
    }
}
