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

/**
 * The golden-file mechanism of the lexer and parser tests: each {@code <name>.fql} under
 * {@code src/test/resources/golden/<dir>/} is rendered and compared with its sibling
 * {@code <name><extension>}. One trailing newline of a {@code .fql} file is ignored, so editors can keep
 * it. Run with {@code -Dgolden.update=true} to (re)write the expected files, then review the diff.
 */
final class GoldenFiles {
    private static final Path ROOT = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private GoldenFiles() {}

    static Stream<DynamicTest> tests(String dir, String extension, Function<String, String> render) {
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
