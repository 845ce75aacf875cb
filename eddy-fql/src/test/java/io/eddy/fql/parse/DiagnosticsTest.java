package io.eddy.fql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    @Test
    void rendersFaunasSummaryFormat() {
        SourceText source = new SourceText("Collection.al()");
        assertThat(Diagnostics.render(source, new Span(11, 13), "The function `al` doesn't exist on `Collection`"))
                .isEqualTo("""
                        error: The function `al` doesn't exist on `Collection`
                        at *query*:1:12
                          |
                        1 | Collection.al()
                          |            ^^
                          |""");
    }

    @Test
    void anEmptySpanGetsOneCaret() {
        assertThat(Diagnostics.render(new SourceText("abc"), new Span(3, 3), "m")).endsWith("""
                1 | abc
                  |    ^
                  |""");
    }

    @Test
    void aMultiLineSpanIsUnderlinedToTheEndOfItsFirstLine() {
        SourceText source = new SourceText("let x = {\n  a: 1\n}\nx");
        assertThat(Diagnostics.render(source, new Span(8, 18), "m")).isEqualTo("""
                error: m
                at *query*:1:9
                  |
                1 | let x = {
                  |         ^
                  |""");
        assertThat(Diagnostics.render(source, new Span(4, 18), "m")).contains("  |     ^^^^^\n");
    }

    @Test
    void theGutterGrowsWithTheLineNumber() {
        SourceText source = new SourceText("\n".repeat(99) + "oops");
        assertThat(Diagnostics.render(source, new Span(99, 103), "m")).isEqualTo("""
                error: m
                at *query*:100:1
                    |
                100 | oops
                    | ^^^^
                    |""");
    }

    @Test
    void hintsUseTheirOwnLabel() {
        assertThat(Diagnostics.renderHint(new SourceText("x"), new Span(0, 1), "defined here"))
                .startsWith("hint: defined here\nat *query*:1:1\n");
        assertThat(Diagnostics.renderBlock("error", "*udf:f*", new SourceText("x"), new Span(0, 1), "m"))
                .startsWith("error: m\nat *udf:f*:1:1\n");
    }

    @Test
    void carriageReturnsAndLeadingNewlinesAreHandled() {
        assertThat(Diagnostics.render(new SourceText("a\r\nbc\r\n"), new Span(3, 5), "m")).isEqualTo("""
                error: m
                at *query*:2:1
                  |
                2 | bc
                  | ^^
                  |""");
        assertThat(Diagnostics.render(new SourceText("\n"), new Span(0, 0), "m")).contains("at *query*:1:1\n");
    }

    @Test
    void spansPastTheEndAreClamped() {
        assertThat(Diagnostics.render(new SourceText("ab"), new Span(5, 9), "m")).contains("at *query*:1:3\n");
    }
}
