package io.eddy.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre-encoded field names write exactly what Jackson's own escaping writes, remembered or not. */
class FieldNamesTest {

    private interface Body {
        void write(JsonGenerator g, String name) throws Exception;
    }

    private static String render(List<String> names, Body body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (String n : names) {
                body.write(g, n);
                g.writeNumber(1);
            }
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void namesThatNeedEscapingAreWrittenAsJacksonWritesThem() throws Exception {
        List<String> names = List.of("owner", "a\"b", "back\\slash", "tab\there", "é ü 中", "\u0001", "\u007f", "@int", "", "😀",
                "x😀y", "q".repeat(FieldNames.MAX_UTF8_NAME + 1));
        String expected = render(names, JsonGenerator::writeFieldName);
        assertThat(render(names, FieldNames::write)).isEqualTo(expected);
        assertThat(render(names, FieldNames::write)).as("again, from the remembered names").isEqualTo(expected);
        Body fromUtf8 = (g, name) -> {
            byte[] bytes = ("..." + name).getBytes(StandardCharsets.UTF_8);
            FieldNames.write(g, bytes, 3, bytes.length - 3);
        };
        assertThat(render(names, fromUtf8)).as("from UTF-8 bytes").isEqualTo(expected);
        assertThat(render(names, fromUtf8)).as("again, from the names kept by their bytes").isEqualTo(expected);
    }

    @Test
    void pastTheBoundNamesAreStillWrittenCorrectly() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < FieldNames.MAX_REMEMBERED + 100; i++) {
            many.add("field_" + i + "_\"q\"");
        }
        assertThat(render(many, FieldNames::write)).isEqualTo(render(many, JsonGenerator::writeFieldName));
    }
}
