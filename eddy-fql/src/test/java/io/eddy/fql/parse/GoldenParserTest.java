package io.eddy.fql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden-file tests. Each {@code <name>.fql} under {@code src/test/resources/golden/<dir>/} is parsed
 * and the result compared with its sibling:
 *
 * <ul>
 *   <li>{@code parser/<name>.ast}: {@link AstPrinter} output;
 *   <li>{@code parser-spans/<name>.ast}: {@link AstPrinter} output with spans;
 *   <li>{@code parser-errors/<name>.err}: the {@link Diagnostics} summary of the syntax error.
 * </ul>
 *
 * One trailing newline of a {@code .fql} file is ignored, so editors can keep it. Run with
 * {@code -Dgolden.update=true} to (re)write the expected files, then review the diff.
 */
class GoldenParserTest {
    private static final Path ROOT = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> asts() {
        return goldens("parser", ".ast", source -> AstPrinter.print(Parser.parse(source).expr()));
    }

    @TestFactory
    Stream<DynamicTest> astsWithSpans() {
        return goldens("parser-spans", ".ast", source -> AstPrinter.print(Parser.parse(source).expr(), true));
    }

    @TestFactory
    Stream<DynamicTest> errors() {
        return goldens("parser-errors", ".err", source -> {
            try {
                ParsedQuery parsed = Parser.parse(source);
                return fail("expected a syntax error, but parsed:\n" + AstPrinter.print(parsed.expr()));
            } catch (FqlSyntaxException e) {
                assertThat(e.summary()).isEqualTo(Diagnostics.render(e.source(), e.span(), e.getMessage()));
                return e.summary();
            }
        });
    }

    private static Stream<DynamicTest> goldens(String dir, String extension, Function<String, String> render) {
        List<Path> inputs = list(ROOT.resolve(dir));
        assertThat(inputs).as("golden inputs in " + ROOT.resolve(dir).toAbsolutePath()).isNotEmpty();
        return inputs.stream().map(input -> DynamicTest.dynamicTest(dir + "/" + input.getFileName(), () -> {
            String source = read(input);
            if (source.endsWith("\n")) source = source.substring(0, source.length() - 1);
            String actual = render.apply(source) + "\n";
            Path expectedFile = input.resolveSibling(input.getFileName().toString().replaceFirst("\\.fql$", extension));
            if (UPDATE) {
                Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(expectedFile)) {
                fail("missing " + expectedFile + "; run with -Dgolden.update=true to create it. Actual:\n" + actual);
            }
            assertThat(actual).as(expectedFile.toString()).isEqualTo(read(expectedFile));
        }));
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".fql")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
