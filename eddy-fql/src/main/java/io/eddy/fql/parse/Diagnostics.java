package io.eddy.fql.parse;

import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;

/**
 * Renders messages about a span of a query in Fauna's {@code summary} format:
 *
 * <pre>
 * error: The function `al` doesn't exist on `Collection`
 * at *query*:1:12
 *   |
 * 1 | Collection.al()
 *   |            ^^
 *   |
 * </pre>
 *
 * The location is the span's start, as 1-based line and column. The caret line underlines the span,
 * always with at least one {@code ^}; a span running over several lines is underlined to the end of
 * its first line. The gutter is as wide as the line number. There is no trailing newline; join
 * several blocks (an error and its hints) with {@code "\n"}.
 *
 * <p>Used for syntax errors here and for runtime errors by the interpreter.
 */
public final class Diagnostics {
    /** How Fauna names the query text in locations. */
    public static final String QUERY = "*query*";

    private Diagnostics() {}

    /** An {@code error:} block located in the query text. */
    public static String render(SourceText source, Span span, String message) {
        return renderBlock("error", QUERY, source, span, message);
    }

    /** A {@code hint:} block, to follow an error block, e.g. pointing at where a value came from. */
    public static String renderHint(SourceText source, Span span, String message) {
        return renderBlock("hint", QUERY, source, span, message);
    }

    /**
     * A block with any label ({@code error}, {@code hint}, {@code warning}, ...) located in a source
     * named {@code sourceName} ({@code *query*}, or e.g. {@code *udf:myFunction*} for a stored
     * function's body).
     */
    public static String renderBlock(String label, String sourceName, SourceText source, Span span, String message) {
        String text = source.text();
        int start = Math.min(span.start(), text.length());
        int end = Math.min(Math.max(span.end(), start), text.length());
        int line = source.line(start);
        // Not SourceText.column: that returns 0 at offset 0 when the text starts with a newline.
        int column = start - (text.lastIndexOf('\n', start - 1) + 1) + 1;
        String lineText = stripCarriageReturn(source.lineText(line));

        // Underline within the first line of the span, and at least one column (e.g. end of query).
        int underlineEnd = source.line(end) == line ? column - 1 + (end - start) : lineText.length();
        int carets = Math.max(1, underlineEnd - (column - 1));

        String number = Integer.toString(line);
        String gutter = " ".repeat(number.length());
        return label + ": " + message + "\n"
                + "at " + sourceName + ":" + line + ":" + column + "\n"
                + gutter + " |\n"
                + number + " | " + lineText + "\n"
                + gutter + " | " + " ".repeat(column - 1) + "^".repeat(carets) + "\n"
                + gutter + " |";
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
