package io.eddy.fql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.*;
import io.eddy.fql.api.QueryOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for the interpreter, one per language construct: {@code golden/interp/<name>.fql} holds
 * queries separated by lines of {@code ---}, run in order against a fresh database; {@code <name>.out}
 * holds each query's rendered result or error, each followed by its summary (the output of {@code log}
 * and {@code dbg}; an error's message and place). {@code -Dgolden.update=true} rewrites the outputs.
 * Volatile parts (ids, timestamps, cursors) are masked so outputs are stable.
 */
class GoldenInterpreterTest {
    private static final Path DIR = Paths.get("src/test/resources/golden/interp");

    @TempDir Path dir;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".fql"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(String name) throws IOException {
        String source = Files.readString(DIR.resolve(name + ".fql"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        try (EngineFixture db = new EngineFixture(dir)) {
            for (String query : source.split("\n---\n")) {
                String q = query.strip();
                if (q.isEmpty()) continue;
                out.add("> " + q.replace("\n", "\n  "));
                QueryOutcome o = db.run(q);
                out.add(switch (o) {
                    // What log() and dbg() wrote follows the result, as it does an error's summary.
                    case QueryOutcome.Success s -> print(s.data()) + (s.summary().isEmpty() ? "" : "\n" + s.summary().stripTrailing());
                    case QueryOutcome.Failure f -> "error " + f.httpStatus() + " " + f.code() + ": " + f.message()
                            + (f.abort() != null ? " abort=" + print(f.abort()) : "")
                            + (f.summary().isEmpty() ? "" : "\n" + f.summary());
                });
                out.add("");
            }
        }
        String actual = mask(String.join("\n", out));
        Path golden = DIR.resolve(name + ".out");
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /** Replaces values that differ between runs. */
    private static String mask(String s) {
        return s.replaceAll("\\b\\d{15,19}\\b", "<id>")
                .replaceAll("ts=\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "ts=<ts>")
                .replaceAll("(after|cursor|token)=\"[A-Za-z0-9_-]{20,}\"", "$1=<opaque>")
                .replaceAll("(after|cursor|token): \"[A-Za-z0-9_-]{20,}\"", "$1: <opaque>")
                .replaceAll("@stream\\([A-Za-z0-9_-]+\\)", "@stream(<token>)");
    }

    /** An FQL-like rendering of a result value. */
    static String print(Value v) {
        return switch (v) {
            case NullValue n -> "null";
            case BoolValue b -> Boolean.toString(b.value());
            case IntValue i -> Integer.toString(i.value());
            case LongValue l -> l.value() + "L";
            case DoubleValue d -> Double.toString(d.value()) + "d";
            case StringValue s -> "\"" + s.value().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
            case TimeValue t -> "Time(" + t.value() + ")";
            case DateValue d -> "Date(" + d.value() + ")";
            case BytesValue b -> "Bytes(" + b + ")";
            case ModuleValue m -> m.name();
            case DocRefValue r -> r.coll() + "(" + r.id() + ")";
            case NullDocumentValue n -> n.coll() + "(" + n.id() + ") /* " + n.cause() + " */";
            case DocumentValue d -> d.coll() + "(" + d.id() + ") " + print(d.data());
            case NamedDocumentValue n -> n.coll() + ".byName(\"" + n.name() + "\") " + print(n.data());
            case ArrayValue a -> {
                List<String> parts = new ArrayList<>();
                for (Value e : a.elements()) parts.add(print(e));
                yield "[" + String.join(", ", parts) + "]";
            }
            case ObjectValue o -> {
                List<String> parts = new ArrayList<>();
                for (var e : o.fields().entrySet()) parts.add(e.getKey() + ": " + print(e.getValue()));
                yield "{ " + String.join(", ", parts) + (parts.isEmpty() ? "}" : " }");
            }
            case SetPageValue p -> {
                List<String> parts = new ArrayList<>();
                for (Value e : p.data()) parts.add(print(e));
                yield "Set[" + String.join(", ", parts) + "]" + (p.after() == null ? "" : " after=\"" + p.after() + "\"");
            }
            case EventSourceValue e -> "@stream(" + e.token() + ")";
            default -> v.toString();
        };
    }
}
