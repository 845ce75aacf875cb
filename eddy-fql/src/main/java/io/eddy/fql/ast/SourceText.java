package io.eddy.fql.ast;

/**
 * The text of a query as shown in diagnostics, with line and column lookup. For a driver template,
 * interpolated values appear in it as placeholders.
 */
public record SourceText(String text) {

    /** 1-based line of an offset. */
    public int line(int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** 1-based column of an offset. */
    public int column(int offset) {
        int clamped = Math.min(offset, text.length());
        int start = clamped == 0 ? -1 : text.lastIndexOf('\n', clamped - 1);
        return clamped - start;
    }

    /** The text of line {@code line} (1-based), without its newline. */
    public String lineText(int line) {
        String[] lines = text.split("\n", -1);
        return line >= 1 && line <= lines.length ? lines[line - 1] : "";
    }

    public String slice(Span span) {
        return text.substring(Math.min(span.start(), text.length()), Math.min(span.end(), text.length()));
    }
}
