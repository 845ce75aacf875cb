package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.BoolValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.stream.derive.LeadingEquality;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which filters the dispatcher may route by a field's value, and which it must not. */
class LeadingEqualityTest {
    @TempDir Path dir;
    StreamFixture f;

    @BeforeEach void open() {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Doc', indexes: { byOwner: { terms: [{ field: '.owner' }] } } })");
    }

    @AfterEach void close() {
        f.close();
    }

    private LeadingEquality of(String fql) throws Exception {
        return f.streams.open(f.token(fql), null, null, true).source().leadingEquality();
    }

    private void routes(String fql, String field, Value value) throws Exception {
        assertThat(of(fql)).as(fql).isEqualTo(new LeadingEquality(field, value));
    }

    private void doesNotRoute(String fql) throws Exception {
        assertThat(of(fql)).as(fql).isNull();
    }

    @Test
    void aLeadingEqualityWithAConstantRoutes() throws Exception {
        routes("Doc.where(.owner == 'o1').toStream()", "owner", new StringValue("o1"));
        routes("Doc.where('o1' == .owner && .score > 90).toStream()", "owner", new StringValue("o1"));
        routes("Doc.where(d => d.status == true).toStream()", "status", BoolValue.TRUE);
        routes("let o = 7\nDoc.where(.tag == o && .x > 1 && .y < 2).toStream()", "tag", new IntValue(7));
        routes("Doc.where(.score == 1.5).map(.score).toStream()", "score", new DoubleValue(1.5));
        routes("Doc.where(.id == '123').toStream()", "id", new StringValue("123"));
    }

    /**
     * A document's id equals the string and the Int or Long it spells: a number routes by its decimal
     * text, the key the dispatcher reads from the document, however large (no double can be an id).
     */
    @Test
    void anIdComparedWithANumberRoutesByItsText() throws Exception {
        routes("Doc.where(.id == 390896421523423744).toStream()", "id", new StringValue("390896421523423744"));
        routes("Doc.where(390896421523423744 == .id && .x > 1).toStream()", "id", new StringValue("390896421523423744"));
        routes("Doc.where(.id == 12).toStream()", "id", new StringValue("12"));
        routes("let i = Doc.create({ id: '77' }).id\nDoc.where(.id == i).toStream()", "id", new StringValue("77"));
        assertThat(of("Doc.where(.id == 390896421523423744).toStream()"))
                .isEqualTo(of("Doc.where(.id == '390896421523423744').toStream()"));
        doesNotRoute("Doc.where(.id == 12.0).toStream()"); // equals no id: the filter is false for every document
        doesNotRoute("Doc.where(.id == true).toStream()");
    }

    @Test
    void anythingThatCouldBeTrueOrFailForAnotherValueDoesNot() throws Exception {
        doesNotRoute("Doc.all().toStream()");
        doesNotRoute("Doc.where(.score > 90 && .owner == 'o1').toStream()"); // the left side runs first and may fail
        doesNotRoute("Doc.where(.owner == 'o1' || .owner == 'o2').toStream()");
        doesNotRoute("Doc.where(.a.b == 'x').toStream()"); // .a missing: reading .b fails
        doesNotRoute("Doc.where(.owner == null).toStream()");
        doesNotRoute("Doc.where(.owner == ['o1']).toStream()");
        doesNotRoute("Doc.where(.score == 9007199254740993).toStream()"); // beyond exact doubles
        doesNotRoute("Doc.where(.ts == Time.now()).toStream()");
        doesNotRoute("Doc.all().map(.owner).where(x => x == 'o1').toStream()"); // not the document's field
        doesNotRoute("Doc.where(d => d.owner == d.other).toStream()");
        doesNotRoute("Doc.byOwner('o1').where(.status == 'a').toStream()"); // index sources route by terms
        doesNotRoute("Doc.where(.owner != 'o1').toStream()");
    }
}
