package io.eddy.server.wire;

import static io.eddy.server.wire.WireFormat.SIMPLE;
import static io.eddy.server.wire.WireFormat.TAGGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ModuleValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaggedJsonReaderTest {

    private static Value tagged(String json) throws Exception {
        return TaggedJson.parse(json.replace('\'', '"'), TAGGED);
    }

    private static Value simple(String json) throws Exception {
        return TaggedJson.parse(json.replace('\'', '"'), SIMPLE);
    }

    @Test
    void scalars() throws Exception {
        assertThat(tagged("'x'")).isEqualTo(new StringValue("x"));
        assertThat(tagged("true")).isEqualTo(BoolValue.TRUE);
        assertThat(tagged("null")).isEqualTo(NullValue.NULL);
        assertThat(tagged("{'@int':'42'}")).isEqualTo(new IntValue(42));
        assertThat(tagged("{'@int':'-2147483648'}")).isEqualTo(new IntValue(Integer.MIN_VALUE));
        assertThat(tagged("{'@long':'9223372036854775807'}")).isEqualTo(new LongValue(Long.MAX_VALUE));
        assertThat(tagged("{'@double':'1.5'}")).isEqualTo(new DoubleValue(1.5));
        assertThat(tagged("{'@double':'1.0E10'}")).isEqualTo(new DoubleValue(1e10));
        assertThat(tagged("{'@double':'NaN'}")).isEqualTo(new DoubleValue(Double.NaN));
        assertThat(tagged("{'@double':'-Infinity'}")).isEqualTo(new DoubleValue(Double.NEGATIVE_INFINITY));
        assertThat(tagged("{'@double':'3'}")).isEqualTo(new DoubleValue(3));
    }

    @Test
    void timesDatesBytesModules() throws Exception {
        assertThat(tagged("{'@time':'2024-10-09T14:49:17.620Z'}"))
                .isEqualTo(new TimeValue(Instant.parse("2024-10-09T14:49:17.620Z")));
        assertThat(tagged("{'@time':'2024-10-09T16:49:17.620001+02:00'}"))
                .isEqualTo(new TimeValue(Instant.parse("2024-10-09T14:49:17.620001Z")));
        assertThat(tagged("{'@date':'2024-10-09'}")).isEqualTo(new DateValue(LocalDate.of(2024, 10, 9)));
        assertThat(tagged("{'@bytes':'aGkh'}")).isEqualTo(new BytesValue(new byte[] {'h', 'i', '!'}));
        assertThat(tagged("{'@mod':'Product'}")).isEqualTo(new ModuleValue("Product"));
    }

    @Test
    void arraysAndObjects() throws Exception {
        assertThat(tagged("[{'@int':'1'},'a',[]]"))
                .isEqualTo(ArrayValue.of(new IntValue(1), new StringValue("a"), ArrayValue.EMPTY));
        Value o = tagged("{'b':{'@int':'1'},'a':{'c':null}}");
        assertThat(o).isEqualTo(new ObjectValue(Map.of("b", new IntValue(1), "a", new ObjectValue(mapOf("c", NullValue.NULL)))));
        assertThat(((ObjectValue) o).fields().keySet()).containsExactly("b", "a");
        assertThat(tagged("{}")).isEqualTo(ObjectValue.EMPTY);
    }

    @Test
    void objectTagUnwraps() throws Exception {
        assertThat(tagged("{'@object':{'@int':'literal key','n':{'@int':'1'}}}"))
                .isEqualTo(new ObjectValue(mapOf("@int", new StringValue("literal key"), "n", new IntValue(1))));
        assertThat(tagged("{'@object':{}}")).isEqualTo(ObjectValue.EMPTY);
    }

    @Test
    void referencesAndDocumentsBecomeRefs() throws Exception {
        assertThat(tagged("{'@ref':{'id':'401','coll':{'@mod':'Product'}}}")).isEqualTo(new DocRefValue("Product", "401"));
        assertThat(tagged("{'@doc':{'id':'401','coll':{'@mod':'Product'},'ts':{'@time':'2024-10-09T14:49:17.620Z'},'name':'x'}}"))
                .isEqualTo(new DocRefValue("Product", "401"));
        assertThat(tagged("{'@ref':{'name':'Product','coll':{'@mod':'Collection'}}}"))
                .isEqualTo(new DocRefValue("Collection", "Product"));
        assertThat(tagged("{'@doc':{'name':'myFn','coll':{'@mod':'Function'},'ts':{'@time':'2024-10-09T14:49:17Z'}}}"))
                .isEqualTo(new DocRefValue("Function", "myFn"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1                                   | numbers must be tagged",
            "[1.5]                               | numbers must be tagged",
            "{'a':{'b':2}}                       | numbers must be tagged",
            "{'@int':'1','x':'y'}                | too many keys in tagged value",
            "{'x':'y','@int':'1'}                | too many keys in tagged value",
            "{'@int':'1','@long':'1'}            | too many keys in tagged value",
            "{'@int':1}                          | @int requires a string value",
            "{'@int':'1.5'}                      | invalid integer '1.5'",
            "{'@int':'2147483648'}               | invalid integer '2147483648'",
            "{'@long':'x'}                       | invalid long 'x'",
            "{'@double':'1d'}                    | invalid double '1d'",
            "{'@double':'0x1p3'}                 | invalid double '0x1p3'",
            "{'@double':' 1'}                    | invalid double ' 1'",
            "{'@time':'2024-10-09'}              | invalid time '2024-10-09'",
            "{'@date':'2024-13-01'}              | invalid date '2024-13-01'",
            "{'@bytes':'not base64!'}            | invalid bytes: not standard base64",
            "{'@mod':''}                         | @mod requires a module name",
            "{'@mod':{}}                         | @mod requires a string value",
            "{'@object':[]}                      | @object requires an object value",
            "{'@set':{'data':[]}}                | @set values are output only and not accepted as input",
            "{'@stream':'tok'}                   | @stream values are output only and not accepted as input",
            "{'@uuid':'x'}                       | invalid tag '@uuid'",
            "{'@foo':'x'}                        | invalid tag '@foo'",
            "{'@ref':'Product:1'}                | @ref requires an object value",
            "{'@ref':{'id':'1'}}                 | @ref field 'coll' is required",
            "{'@ref':{'id':'1','coll':'P'}}      | @ref field 'coll' requires a module value",
            "{'@ref':{'coll':{'@mod':'P'}}}      | @ref field 'id' is required",
            "{'@ref':{'id':{'@int':'1'},'coll':{'@mod':'P'}}} | @ref field 'id' requires a string value",
            "{'@doc':{'id':'abc','coll':{'@mod':'P'}}} | @doc field 'id' must be an integer",
            "{'@ref':{'id':'1','coll':{'@mod':'Collection'}}} | @ref field 'name' is required",
            "{'@ref':{'name':1,'coll':{'@mod':'Role'}}} | numbers must be tagged",
            "{'@ref':{'name':true,'coll':{'@mod':'Role'}}} | @ref field 'name' requires a string value",
    })
    void taggedInputRules(String json, String message) {
        assertThatThrownBy(() -> tagged(json)).isInstanceOf(InvalidValueException.class).hasMessage(message);
    }

    @Test
    void simpleFormatTakesPlainJson() throws Exception {
        assertThat(simple("1")).isEqualTo(new IntValue(1));
        assertThat(simple("2147483648")).isEqualTo(new LongValue(2147483648L));
        assertThat(simple("-1.25")).isEqualTo(new DoubleValue(-1.25));
        assertThat(simple("1e3")).isEqualTo(new DoubleValue(1000));
        assertThat(simple("{'@int':'1','a':[true,null]}"))
                .as("no tag processing in simple input")
                .isEqualTo(new ObjectValue(mapOf("@int", new StringValue("1"), "a", new ArrayValue(List.of(BoolValue.TRUE, NullValue.NULL)))));
        assertThatThrownBy(() -> simple("123456789012345678901234567890"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("out of range");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> tagged("{'a':'1','a':'2'}"))
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void roundTripsEveryInputType() throws Exception {
        Value v = new ObjectValue(mapOf(
                "i", new IntValue(1), "l", new LongValue(-2), "d", new DoubleValue(0.1),
                "t", TimeValue.ofMicros(1728485357620001L), "date", new DateValue(LocalDate.of(2000, 2, 29)),
                "b", new BytesValue(new byte[] {0, 1, (byte) 255}), "m", new ModuleValue("Math"),
                "r", new DocRefValue("Product", "12"), "nr", new DocRefValue("Role", "admin2"),
                "a", ArrayValue.of(BoolValue.FALSE, NullValue.NULL, new StringValue("s")),
                "@weird", new ObjectValue(mapOf("@int", new IntValue(3)))));
        String json = TaggedJson.toJson(v, TAGGED, 0);
        assertThat(TaggedJson.parse(json, TAGGED)).isEqualTo(v);
    }

    private static Map<String, Value> mapOf(Object... kv) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Value) kv[i + 1]);
        }
        return m;
    }
}
