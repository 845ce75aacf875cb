package io.eddy.fql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
 * {@code -Dgolden.update=true} to (re)write the expected files, then review the diff ({@link
 * GoldenFiles}; the lexer's are in {@link GoldenLexerTest}).
 */
class GoldenParserTest {
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
        return GoldenFiles.tests(dir, extension, render);
    }
}
