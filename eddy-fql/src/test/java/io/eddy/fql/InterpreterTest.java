package io.eddy.fql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.*;
import io.eddy.fql.api.QueryOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interpreter and standard library end to end over a real store. */
class InterpreterTest {
    @TempDir Path dir;
    EngineFixture db;

    @BeforeEach void open() { db = new EngineFixture(dir); }
    @AfterEach void close() { db.close(); }

    private void product() {
        db.ok("""
            Collection.create({ name: "Product", indexes: {
              byType: { terms: [{ field: ".type" }], values: [{ field: ".name" }, { field: ".price", order: "desc" }] } } })""");
    }

    @Test void literalsAndArithmetic() {
        assertThat(db.ok("1 + 2 * 3")).isEqualTo(new IntValue(7));
        assertThat(db.ok("100_00")).isEqualTo(new IntValue(10000));
        assertThat(db.ok("7 / 2")).isEqualTo(new IntValue(3));
        assertThat(db.ok("7.0 / 2")).isEqualTo(new DoubleValue(3.5));
        assertThat(db.ok("2147483647 + 1")).isEqualTo(new LongValue(2147483648L));
        assertThat(db.ok("-(3) % 2")).isEqualTo(new IntValue(-1));
        assertThat(db.ok("\"a\" + 'b'")).isEqualTo(new StringValue("ab"));
        assertThat(db.ok("let name = \"x\"; \"Hello #{name}!\"")).isEqualTo(new StringValue("Hello x!"));
        assertThat(db.ok("null ?? 5")).isEqualTo(new IntValue(5));
        assertThat(db.ok("1 == 1.0 && !(2 < 1) || false")).isEqualTo(BoolValue.TRUE);
        assertThat(db.ok("\"s\" isa String")).isEqualTo(BoolValue.TRUE);
    }

    @Test void letsBlocksFunctionsAndIf() {
        assertThat(db.ok("let f = (x, y) => x * y\nlet g = x => f(x, 2)\ng(21)")).isEqualTo(new IntValue(42));
        assertThat(db.ok("{ let a = 1; { let a = 2; a } + a }")).isEqualTo(new IntValue(3));
        assertThat(db.ok("if (1 > 2) 'a' else 'b'")).isEqualTo(new StringValue("b"));
        assertThat(db.ok("if (false) 'a'")).isEqualTo(NullValue.NULL);
        assertThat(db.ok("[1, 2, 3].map(x => x * 2)")).isEqualTo(ArrayValue.of(new IntValue(2), new IntValue(4), new IntValue(6)));
        assertThat(db.ok("[{a: 1}, {a: 2}].map(.a)")).isEqualTo(ArrayValue.of(new IntValue(1), new IntValue(2)));
        assertThat(db.ok("{ a: { b: [10, 20] } }.a.b[1]")).isEqualTo(new IntValue(20));
        assertThat(db.ok("let o = { a: null }; o?.a?.b")).isEqualTo(NullValue.NULL);
    }

    @Test void projectionOnObjectsAndArrays() {
        assertThat(db.ok("{ a: 1, b: 2, c: 3 } { a, c }"))
                .isEqualTo(new ObjectValue(Map.of("a", new IntValue(1), "c", new IntValue(3))));
        assertThat(db.ok("[{ a: 1, b: 2 }] { b, d: .a + 1 }").toString()).contains("b=2").contains("d=2");
    }

    @Test void documentsCrud() {
        product();
        Value created = db.ok("Product.create({ name: \"Music as History\", type: \"book\", price: 16_89, stock: 20 })");
        assertThat(created).isInstanceOf(DocumentValue.class);
        DocumentValue doc = (DocumentValue) created;
        assertThat(doc.ts()).isPositive();
        assertThat(doc.data().get("price")).isEqualTo(new IntValue(1689));

        String id = doc.id();
        assertThat(db.ok("Product.byId(\"" + id + "\")!.name")).isEqualTo(new StringValue("Music as History"));
        db.ok("let p = Product.byType('book').where(.name == \"Music as History\").first()!\np.update({ stock: p.stock + 10 })");
        assertThat(db.ok("Product.byId(\"" + id + "\")!.stock")).isEqualTo(new IntValue(30));
        DocumentValue updated = (DocumentValue) db.ok("Product.byType('book')\n .where(.name == \"Music as History\").first()!\n .update({ price: 110_00 })");
        assertThat(updated.data().get("price")).isEqualTo(new IntValue(11000));
        assertThat(updated.ts()).isGreaterThan(doc.ts());
        assertThat(db.ok("Product.byId(\"" + id + "\") { name, price }"))
                .isEqualTo(new ObjectValue(Map.of("name", new StringValue("Music as History"), "price", new IntValue(11000))));
        assertThat(db.ok("Product.byId(\"" + id + "\")!.delete()")).isInstanceOf(NullDocumentValue.class);
        assertThat(db.ok("Product.byId(\"" + id + "\")")).isInstanceOf(NullDocumentValue.class);
        assertThat(db.ok("Product.byId(\"" + id + "\").exists()")).isEqualTo(BoolValue.FALSE);
    }

    @Test void setsAndIndexes() {
        product();
        db.ok("[['a', 'book', 300], ['b', 'book', 100], ['c', 'toy', 200], ['b', 'book', 200]]"
                + ".forEach(x => Product.create({ name: x[0], type: x[1], price: x[2] }))");
        assertThat(db.ok("Product.all().count()")).isEqualTo(new IntValue(4));
        // byType orders by name asc, then price desc
        assertThat(db.ok("Product.byType('book').map(p => p.name + p.price.toString()).toArray()"))
                .isEqualTo(ArrayValue.of(new StringValue("a300"), new StringValue("b200"), new StringValue("b100")));
        assertThat(db.ok("Product.where(.price >= 200).count()")).isEqualTo(new IntValue(3));
        assertThat(db.ok("Product.all().order(desc(.price)).take(2).map(.price).toArray()"))
                .isEqualTo(ArrayValue.of(new IntValue(300), new IntValue(200)));
        assertThat(db.ok("Product.all().map(.type).distinct().order().toArray()"))
                .isEqualTo(ArrayValue.of(new StringValue("book"), new StringValue("toy")));
        assertThat(db.ok("Product.byType('toy').first()!.name")).isEqualTo(new StringValue("c"));
        assertThat(db.ok("Product.byType('none').first()")).isEqualTo(NullValue.NULL);
        assertThat(db.fail("Product.byType('none').first()!").code()).isEqualTo("null_value");
        assertThat(db.ok("Product.byType('book', { from: 'b' }).count()")).isEqualTo(new IntValue(2));
        assertThat(db.ok("Product.all().isEmpty()")).isEqualTo(BoolValue.FALSE);
        assertThat(db.ok("Set.sequence(0, 5).map(x => x * x).toArray()")).isEqualTo(
                ArrayValue.of(new IntValue(0), new IntValue(1), new IntValue(4), new IntValue(9), new IntValue(16)));
        assertThat(db.fail("Product.byType()").code()).isEqualTo("invalid_index_invocation");
    }

    @Test void paginationWithCursors() {
        db.ok("Collection.create({ name: \"Item\" })");
        db.ok("Set.sequence(0, 100).forEach(i => Item.create({ n: i }))");
        Value first = db.ok("Item.all()");
        assertThat(first).isInstanceOf(SetPageValue.class);
        SetPageValue page = (SetPageValue) first;
        assertThat(page.data()).hasSize(16);
        int seen = page.data().size();
        String after = page.after();
        while (after != null) {
            ObjectValue next = (ObjectValue) db.ok("Set.paginate(\"" + after + "\")");
            seen += ((ArrayValue) next.get("data")).size();
            after = next.has("after") ? ((StringValue) next.get("after")).value() : null;
        }
        assertThat(seen).isEqualTo(100);
        ObjectValue p = (ObjectValue) db.ok("Item.all().order(desc(.n)).paginate(40)");
        assertThat(((ArrayValue) p.get("data")).get(0).toString()).contains("n=99");
        ObjectValue p2 = (ObjectValue) db.ok("Set.paginate(\"" + ((StringValue) p.get("after")).value() + "\", 50)");
        assertThat(((DocumentValue) ((ArrayValue) p2.get("data")).get(0)).data().get("n")).isEqualTo(new IntValue(59));
        assertThat(db.fail("Set.paginate(\"garbage\")").code()).isEqualTo("invalid_cursor");
    }

    @Test void errorsHaveCodesAndPositions() {
        QueryOutcome.Failure f = db.fail("Collection.al()");
        assertThat(f.code()).isEqualTo("invalid_function_invocation");
        assertThat(f.message()).isEqualTo("The function `al` doesn't exist on `Collection`");
        assertThat(f.summary()).contains("at *query*:1:12").contains("^^");
        assertThat(db.fail("foo + 1").code()).isEqualTo("invalid_query");
        assertThat(db.fail("1 / 0").code()).isEqualTo("divide_by_zero");
        QueryOutcome.Failure abort = db.fail("abort({ a: 1 })");
        assertThat(abort.code()).isEqualTo("abort");
        assertThat(abort.abort()).isEqualTo(new ObjectValue(Map.of("a", new IntValue(1))));
        assertThat(db.fail("let x = null; x.y").code()).isEqualTo("invalid_null_access");
        assertThat(db.fail("[1].map()").code()).isEqualTo("invalid_argument");
        assertThat(db.fail("(1").code()).isEqualTo("invalid_query");
    }

    @Test void writesAreAllOrNothing() {
        db.ok("Collection.create({ name: \"Item\" })");
        db.fail("Item.create({ n: 1 }); abort('no')");
        assertThat(db.ok("Item.all().count()")).isEqualTo(new IntValue(0));
    }

    @Test void collectionDefinitionAndIndexBuild() {
        db.ok("Collection.create({ name: \"Item\" })");
        db.ok("Item.create({ kind: 'a', n: 1 }); Item.create({ kind: 'b', n: 2 }); Item.create({ kind: 'a', n: 3 })");
        db.ok("Item.definition.update({ indexes: { byKind: { terms: [{ field: '.kind' }], values: [{ field: '.n', order: 'desc' }] } } })");
        assertThat(db.ok("Item.byKind('a').map(.n).toArray()")).isEqualTo(ArrayValue.of(new IntValue(3), new IntValue(1)));
        Value def = db.ok("Collection.byName('Item')");
        assertThat(def).isInstanceOf(NamedDocumentValue.class);
        assertThat(((NamedDocumentValue) def).name()).isEqualTo("Item");
        db.ok("Collection.byName('Item')!.delete()");
        assertThat(db.ok("Collection.byName('Item')")).isInstanceOf(NullDocumentValue.class);
        assertThat(db.fail("Item.all()").code()).isEqualTo("invalid_query");
    }

    @Test void argumentsAreVariables() {
        assertThat(db.run("x + 1", Map.of("x", new IntValue(41)))).isInstanceOfSatisfying(QueryOutcome.Success.class,
                s -> assertThat(s.data()).isEqualTo(new IntValue(42)));
    }

    @Test void eventSourcesBecomeTokens() {
        product();
        Value v = db.ok("Product.where(.type == 'book').toStream()");
        assertThat(v).isInstanceOf(EventSourceValue.class);
        assertThat(db.fail("Product.all().order(.name).toStream()").code()).isEqualTo("invalid_receiver");
        assertThat(db.fail("Product.byType('book').changesOn(.stock)").message())
                .isEqualTo("invalid argument `fields`: `stock` not covered by the `byType` index.");
        assertThat(db.ok("Product.byType('book').changesOn(.price)")).isInstanceOf(EventSourceValue.class);
        List<Value> both = ((ObjectValue) db.ok("let products = Product.where(.type == 'book')\n{ products: products, streamToken: products.toStream() }")).fields().values().stream().toList();
        assertThat(both.get(0)).isInstanceOf(SetPageValue.class);
        assertThat(both.get(1)).isInstanceOf(EventSourceValue.class);
    }
}
