package io.eddy.fql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.fql.api.QueryOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistake is never an internal error: hand-picked edge cases, then seeded random token soup
 * (the seed is printed; replay with {@code -Dseed=N}).
 */
class NoInternalErrorTest {
    @TempDir Path dir;
    EngineFixture db;

    @BeforeEach void open() {
        db = new EngineFixture(dir);
        db.ok("Collection.create({ name: 'P', indexes: { byT: { terms: [{ field: '.t' }], values: [{ field: '.v', order: 'desc' }] } } })");
        db.ok("P.create({ t: 'a', v: 1, o: { x: [1, 2] } }); P.create({ t: 'b', v: 'str' })");
    }

    @AfterEach void close() { db.close(); }

    private void noInternalError(String q, String context) {
        QueryOutcome o = db.run(q);
        if (o instanceof QueryOutcome.Failure f) {
            assertThat(f.code()).as(context + " query: " + q + "\n" + f.message()).isNotEqualTo("internal_error");
            assertThat(f.httpStatus()).as(context + " query: " + q).isLessThan(500);
        }
    }

    @Test void edgeCases() {
        for (String q : List.of(
                "P.byId(0)", "P.create({ id: 0 })", "P.create({ id: '-5' })", "P.create({ id: '99999999999999999999' })",
                "[1, 2].take(-1)", "[1, 2].slice(5, 1)", "'abc'.slice(-1)", "'abc'.at(99)", "Math.round(1.5, 99)",
                "Time.epoch(9223372036854775807, 'days')", "Time('2024-01-01T00:00:00Z').add(9223372036854775807, 'days')",
                "Date('2024-13-01')", "Time('x').year", "P.all().paginate(0)", "P.all().paginate(16001)", "P.all().pageSize(-1)",
                "Set.paginate(123)", "Set.paginate('')", "Set.sequence(5, 1).toArray()", "P.byT('a', { from: [1, 2, 3] })",
                "P.byT('a', { bogus: 1 })", "P.byT(P.all())", "P.create({ s: P.all() })", "P.all().map(x => x.o.x[5])",
                "P.all().order(5)", "P.all().where(.v > 0).toArray()", "P.all().map(.v + 1).toArray()", "P.all().count() / 0",
                "Collection.create({ name: 'X', indexes: { a: { terms: [{ field: '.x' }], values: [{ field: '.y', order: 'bogus' }] } } })",
                "Collection.create({ name: 'X', indexes: { a: { terms: [{ field: 5 }] } } })", "Collection.create({ name: 5 })",
                "Collection.create({})", "Collection.byName(5)", "P.definition.update({ name: 'Math' })", "P.definition.update({ indexes: 5 })",
                "abort(P.all())", "abort(x => x)", "log(P.all())", "P.all().toStream().foo", "P.all().toStream() { a }.b",
                "-9223372036854775807 - 2", "9223372036854775807 * 2", "-(-9223372036854775807 - 1)", "1 % 0", "1.0 / 0",
                "{ a: 1 }[5]", "[1][\"a\"]", "null[0]", "null.x.y", "'a' < 1", "1 isa 2", "P.byId('1')!.update(5)",
                "P.all().first()!.update({ id: '5' })", "P.all().first()!.replace({ coll: 1 })", "Object.fromEntries([[1, 2]])",
                "Math.max()", "Math.sum([1, 'a'])", "[].reduce((a, b) => a)", "P.all().changesOn()", "P.all().changesOn(5)",
                "Set.single(P.all().first()).toStream()", "let f = (a) => a; f()", "P.all().forEach(p => p.delete()); P.all().count()")) {
            noInternalError(q, "edge case");
        }
    }

    @Test void randomTokenSoup() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("NoInternalErrorTest seed: " + seed);
        Random r = new Random(seed);
        String[] tokens = {"P", ".all()", ".byT(", "'a'", "1", "2.5", "null", "true", "(", ")", "[", "]", "{", "}", ",", ":",
                ".", "x", "=>", "let", "x =", ";", "\n", "+", "-", "*", "/", "%", "==", "<", "&&", "||", "!", "?.", "??",
                ".map(", ".where(", ".first()", ".count()", ".toStream()", ".paginate(", ".order(", "desc(", ".v", ".t",
                "if", "else", "\"s#{1}\"", "Set.sequence(0, 3)", "Math.abs(", "abort(", ".update({", "v: 1", "})", "Time.now()",
                ".toArray()", "[0]", "isa", "Int", ".o", "{ v }", ".changesOn(", "newId()", "Set.single(", "Collection"};
        for (int i = 0; i < 1500; i++) {
            StringBuilder q = new StringBuilder();
            int n = 1 + r.nextInt(12);
            for (int j = 0; j < n; j++) q.append(tokens[r.nextInt(tokens.length)]).append(r.nextInt(4) == 0 ? " " : "");
            noInternalError(q.toString(), "seed " + seed + " #" + i);
        }
    }
}
