package io.eddy.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueryTagsTest {

    @Test
    void parsesAndEchoesInOrder() throws Exception {
        QueryTags tags = QueryTags.parse("b=2,a=x_Y9");
        assertThat(tags.tags()).containsExactly(Map.entry("b", "2"), Map.entry("a", "x_Y9"));
        assertThat(tags.echo()).isEqualTo("b=2,a=x_Y9");
        assertThat(QueryTags.parse(null)).isSameAs(QueryTags.NONE);
        assertThat(QueryTags.parse("").echo()).isNull();
    }

    @Test
    void limits() throws Exception {
        String k40 = "k".repeat(40);
        String v80 = "v".repeat(80);
        assertThat(QueryTags.parse(k40 + "=" + v80).tags()).containsEntry(k40, v80);
        String pairs25 = IntStream.range(0, 25).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
        assertThat(QueryTags.parse(pairs25).tags()).hasSize(25);

        assertThatThrownBy(() -> QueryTags.parse(k40 + "k=v"))
                .hasMessage("Invalid header 'x-query-tags': tag key '" + k40 + "k' is longer than 40 bytes");
        assertThatThrownBy(() -> QueryTags.parse("k=" + v80 + "v"))
                .hasMessage("Invalid header 'x-query-tags': value of tag 'k' is longer than 80 bytes");
        assertThatThrownBy(() -> QueryTags.parse(pairs25 + ",z=1"))
                .hasMessage("Invalid header 'x-query-tags': too many tags (26); at most 25 are allowed");
        assertThatThrownBy(() -> QueryTags.parse("a=" + "v".repeat(3000)))
                .hasMessage("Invalid header 'x-query-tags': header is longer than 3000 bytes");
    }

    @Test
    void charsetAndShape() {
        for (String bad : new String[] {"a", "a=", "=b", "a=b,", "a-b=c", "a=b c", "a=b=c", "é=1", ",a=b"}) {
            assertThatThrownBy(() -> QueryTags.parse(bad)).as(bad)
                    .hasMessageStartingWith("Invalid header 'x-query-tags': invalid tag '");
        }
        assertThatThrownBy(() -> QueryTags.parse("a=1,a=2"))
                .hasMessage("Invalid header 'x-query-tags': duplicate tag key 'a'");
        assertThat(QueryTags.parseOrNull("bad tag")).isNull();
    }
}
