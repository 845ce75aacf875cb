package io.eddy.fql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.TemplateNode;
import io.eddy.fql.api.TemplateNode.Fql;
import io.eddy.fql.api.TemplateNode.Text;
import io.eddy.fql.api.TemplateNode.ValueNode;
import io.eddy.fql.ast.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParseCacheTest {
    /** Query shapes with value slots in every kind of position. */
    private static final List<String[]> SHAPES = List.of(
            new String[] {"Doc.create(", ")"},
            new String[] {"Doc.byId(", ")!.update({ n: ", ", tags: [", ", 1] })"},
            new String[] {"let x = ", "\nif (x == ", ") { [x, ", "] } else { { a: ", " } }"},
            new String[] {"Doc.where(.owner == ", " && .score > ", ").map(d => d { owner, s: ", " }).toStream()"},
            new String[] {"\"text #{", "} and #{", "}\""},
            new String[] {"[", ", ", "].map(x => -x ?? ", ")"});

    @Test
    void aCachedShapeGivesTheTreeAFreshParseGives() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        ParseCache cache = new ParseCache();
        for (int i = 0; i < 2_000; i++) {
            String[] shape = SHAPES.get(random.nextInt(SHAPES.size()));
            List<TemplateNode> parts = new ArrayList<>();
            for (int k = 0; k < shape.length; k++) {
                parts.add(new Text(shape[k]));
                if (k < shape.length - 1) parts.add(new ValueNode(randomValue(random)));
            }
            Fql template = new Fql(parts);
            ParsedQuery fresh = Parser.parse(template);
            ParsedQuery cached = cache.parse(template);
            assertThat(cached).as("seed %d, template %s", seed, template).isEqualTo(fresh);
        }
        assertThat(cache.size()).as("shapes seen, each with the few placeholder texts of its values").isLessThan(2_000);
    }

    @Test
    void theSameTextWithASlotElsewhereIsAnotherEntry() {
        ParseCache cache = new ParseCache();
        ParsedQuery typed = cache.parse(Fql.of("f(42)"));
        ParsedQuery interpolated = cache.parse(new Fql(List.of(new Text("f("), new ValueNode(new LongValue(42)), new Text(")"))));
        assertThat(typed.source().text()).isEqualTo(interpolated.source().text());
        assertThat(literal(typed).value()).isEqualTo(new IntValue(42));
        assertThat(literal(interpolated).value()).as("the slot's own type, not the typed literal's").isEqualTo(new LongValue(42));
        ParsedQuery intSlot = cache.parse(new Fql(List.of(new Text("f("), new ValueNode(new IntValue(42)), new Text(")"))));
        assertThat(literal(intSlot).value()).isEqualTo(new IntValue(42));
    }

    @Test
    void errorsAreNotCachedAndStillReportedWithThisQuerysText() {
        ParseCache cache = new ParseCache();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.parse(Fql.of("Doc.create(")))
                    .isInstanceOf(FqlSyntaxException.class);
        }
        assertThat(cache.size()).isZero();
    }

    @Test
    void longTextsAreParsedButNotKept() {
        ParseCache cache = new ParseCache();
        String big = "[" + "1, ".repeat(ParseCache.MAX_TEXT_CHARS / 3) + "1]";
        assertThat(cache.parse(Fql.of(big))).isEqualTo(Parser.parse(big));
        assertThat(cache.size()).isZero();
    }

    private static Expr.Literal literal(ParsedQuery q) {
        return (Expr.Literal) ((io.eddy.fql.ast.Expr.Call) q.expr()).args().getFirst();
    }

    private static Value randomValue(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> new IntValue(random.nextInt(-5, 5));
            case 1 -> new LongValue(random.nextInt(-5, 5));
            case 2 -> new StringValue("s" + random.nextInt(3));
            case 3 -> BoolValue.of(random.nextBoolean());
            case 4 -> NullValue.NULL;
            case 5 -> new ArrayValue(List.of(new IntValue(random.nextInt(100)), new StringValue("x" + random.nextInt(1000))));
            default -> {
                Map<String, Value> m = new LinkedHashMap<>();
                m.put("owner", new StringValue("o" + random.nextInt(1000)));
                m.put("score", new IntValue(random.nextInt(100)));
                yield new ObjectValue(m);
            }
        };
    }
}
