package io.eddy.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.fql.api.TemplateNode;
import io.eddy.fql.api.TemplateNode.ArrayNode;
import io.eddy.fql.api.TemplateNode.Fql;
import io.eddy.fql.api.TemplateNode.ObjectNode;
import io.eddy.fql.api.TemplateNode.Text;
import io.eddy.fql.api.TemplateNode.ValueNode;
import io.eddy.server.http.ErrorCode;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryBodyParserTest {

    private static QueryBodyParser.QueryBody parse(String json, WireFormat format) throws ProtocolException {
        ByteBuf buf = Unpooled.copiedBuffer(json.replace('\'', '"'), StandardCharsets.UTF_8);
        try {
            return QueryBodyParser.parse(buf, format);
        } finally {
            buf.release();
        }
    }

    private static QueryBodyParser.QueryBody parse(String json) throws ProtocolException {
        return parse(json, WireFormat.TAGGED);
    }

    /**
     * The same body in every kind of buffer a request arrives in: heap (parsed from its array), direct
     * and composite (copied once), large (streamed), and offset by a reader index.
     */
    @Test
    void everyBufferKindParsesTheSame() throws Exception {
        String big = "x".repeat(100_000); // over the array-parsing limit: streamed
        for (String text : new String[] {"Product.all()", big}) {
            byte[] json = ("{\"query\":\"" + text + "\",\"arguments\":{\"n\":{\"@int\":\"7\"}}}").getBytes(StandardCharsets.UTF_8);
            ByteBuf direct = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(json);
            io.netty.buffer.CompositeByteBuf composite = Unpooled.compositeBuffer();
            composite.addComponent(true, Unpooled.copiedBuffer(json, 0, 5));
            composite.addComponent(true, io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(json, 5, json.length - 5));
            ByteBuf offset = Unpooled.buffer().writeBytes("junk".getBytes(StandardCharsets.UTF_8)).writeBytes(json);
            offset.skipBytes(4);
            ByteBuf heap = Unpooled.wrappedBuffer(json);
            for (ByteBuf buf : List.of(heap, direct, composite, offset)) {
                try {
                    int readerIndex = buf.readerIndex();
                    var body = QueryBodyParser.parse(buf, WireFormat.TAGGED);
                    assertThat(body.query()).as(buf.getClass().getSimpleName()).isEqualTo(Fql.of(text));
                    assertThat(body.arguments()).containsEntry("n", new io.eddy.core.value.IntValue(7));
                    assertThat(buf.readerIndex()).as("the body is left as it was").isEqualTo(readerIndex);
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void plainStringQuery() throws Exception {
        var body = parse("{'query':'Product.where(.price > 6_50)'}");
        assertThat(body.query()).isEqualTo(Fql.of("Product.where(.price > 6_50)"));
        assertThat(body.arguments()).isEmpty();
    }

    @Test
    void jsDriverTemplates() throws Exception {
        assertThat(parse("{'query':{'fql':['Product.all()']}}").query()).isEqualTo(Fql.of("Product.all()"));
        assertThat(parse("{'query':{'fql':['Set.paginate(',{'value':'AFTER1'},')']}}").query())
                .isEqualTo(new Fql(List.of(new Text("Set.paginate("), new ValueNode(new StringValue("AFTER1")), new Text(")"))));
        assertThat(parse("{'query':{'fql':['Product.create({name: ',{'value':'x'},', quantity: ',{'value':{'@int':'3'}},'})']}}").query().parts())
                .containsExactly(new Text("Product.create({name: "), new ValueNode(new StringValue("x")),
                        new Text(", quantity: "), new ValueNode(new IntValue(3)), new Text("})"));
    }

    @Test
    void jvmDriverTemplateWithNestedFql() throws Exception {
        Fql q = parse("{'query':{'fql':['let x = ',{'value':{'@int':'15'}},'; ',{'fql':['x + ',{'value':{'@long':'1'}}]}]}}").query();
        assertThat(q.parts()).containsExactly(new Text("let x = "), new ValueNode(new IntValue(15)), new Text("; "),
                new Fql(List.of(new Text("x + "), new ValueNode(new LongValue(1)))));
    }

    @Test
    void arrayAndObjectNodes() throws Exception {
        Fql q = parse("{'query':{'fql':['f(',{'array':[{'value':{'@int':'1'}},{'fql':['2 + 3']},'raw']},', ',"
                + "{'object':{'a':{'value':'x'},'b':{'fql':['y']}}},')']}}").query();
        assertThat(q.parts().get(1)).isEqualTo(new ArrayNode(List.of(new ValueNode(new IntValue(1)),
                Fql.of("2 + 3"), Fql.of("raw"))));
        ObjectNode o = (ObjectNode) q.parts().get(3);
        assertThat(o.fields()).containsExactly(Map.entry("a", new ValueNode(new StringValue("x"))), Map.entry("b", Fql.of("y")));
    }

    @Test
    void valueAtTopLevelIsWrapped() throws Exception {
        assertThat(parse("{'query':{'value':{'@int':'1'}}}").query())
                .isEqualTo(new Fql(List.<TemplateNode>of(new ValueNode(new IntValue(1)))));
    }

    @Test
    void valuesAreAlwaysTaggedEvenInSimpleFormat() throws Exception {
        var body = parse("{'query':{'fql':[{'value':{'@ref':{'id':'1','coll':{'@mod':'P'}}}}]}}", WireFormat.SIMPLE);
        assertThat(body.query().parts()).containsExactly(new ValueNode(new DocRefValue("P", "1")));
        assertThatThrownBy(() -> parse("{'query':{'fql':[{'value':1}]}}", WireFormat.SIMPLE))
                .hasMessage("Invalid request body: invalid value at /query/fql/0/value: numbers must be tagged");
    }

    @Test
    void argumentsFollowTheFormat() throws Exception {
        assertThat(parse("{'arguments':{'x':{'@int':'1'},'y':[{'@long':'2'}]},'query':'x'}").arguments())
                .containsExactly(Map.entry("x", new IntValue(1)), Map.entry("y", ArrayValue.of(new LongValue(2))));
        assertThat(parse("{'query':'x','arguments':{'x':1,'o':{'@int':'1'}}}", WireFormat.SIMPLE).arguments())
                .containsExactly(Map.entry("x", new IntValue(1)),
                        Map.entry("o", new ObjectValue(Map.of("@int", new StringValue("1")))));
        assertThat(parse("{'query':'x','arguments':null}").arguments()).isEmpty();
        assertThatThrownBy(() -> parse("{'query':'x','arguments':{'n':1}}"))
                .hasMessage("Invalid argument 'n': numbers must be tagged");
    }

    @Test
    void unknownTopLevelFieldsAreIgnored() throws Exception {
        assertThat(parse("{'query':'1','future':{'x':[1,2]}}").query()).isEqualTo(Fql.of("1"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[]                                | Invalid request body: expected a JSON object, found an array",
            "true                              | Invalid request body: expected a JSON object, found a boolean",
            "{}                                | Invalid request body: Value for key query not found.",
            "{'arguments':{}}                  | Invalid request body: Value for key query not found.",
            "{'query':1}                       | Invalid request body: `query` must be a string or a query template object, found a number",
            "{'query':null}                    | Invalid request body: `query` must be a string or a query template object, found null",
            "{'query':'x','arguments':[]}      | Invalid request body: `arguments` must be an object, found an array",
            "{'query':{}}                      | Invalid request body: invalid query template at /query: expected an object with a single key 'fql', 'value', 'array' or 'object', found an empty object",
            "{'query':{'sql':[]}}              | Invalid request body: invalid query template at /query/sql: expected an object with a single key 'fql', 'value', 'array' or 'object', found key 'sql'",
            "{'query':{'fql':[],'value':1}}    | Invalid request body: invalid query template at /query/value: expected an object with a single key 'fql', 'value', 'array' or 'object', found more than one key",
            "{'query':{'fql':'x'}}             | Invalid request body: invalid query template at /query/fql: 'fql' must be an array of strings and template nodes, found a string",
            "{'query':{'fql':[1]}}             | Invalid request body: invalid query template at /query/fql/0: 'fql' parts must be strings or template nodes, found a number",
            "{'query':{'fql':[{'value':{'@int':'1','x':2}}]}} | Invalid request body: invalid value at /query/fql/0/value/x: too many keys in tagged value",
            "{'query':{'array':{}}}            | Invalid request body: invalid query template at /query/array: 'array' must be an array of template nodes, found an object",
            "{'query':{'array':[1]}}           | Invalid request body: invalid query template at /query/array/0: expected an object with a single key 'fql', 'value', 'array' or 'object', found a number",
            "{'query':{'object':[]}}           | Invalid request body: invalid query template at /query/object: 'object' must be an object of template nodes, found an array",
            "{'query':'x'} {}                  | Invalid request body: unexpected content after the JSON object",
            "{'query':'x','query':'y'}         | Invalid request body: Duplicate field 'query' (line 1, column 21)",
    })
    void malformedBodies(String json, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(ProtocolException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void syntaxErrorsSayWhere() {
        assertThatThrownBy(() -> parse("{'query': }"))
                .hasMessageStartingWith("Invalid request body: Unexpected character ('}'")
                .hasMessageContaining("(line 1, column 11)");
        assertThatThrownBy(() -> parse("{'query':'x'"))
                .hasMessageStartingWith("Invalid request body: Unexpected end-of-input");
    }

    @Test
    void missingBody() {
        assertThatThrownBy(() -> QueryBodyParser.parse(Unpooled.EMPTY_BUFFER, WireFormat.TAGGED))
                .hasMessage("No request body provided");
        assertThatThrownBy(() -> parse("  \n "))
                .hasMessage("No request body provided");
    }

    @Test
    void nestingLimit() {
        String deep = "{'query':{'fql':[{'value':" + "[".repeat(600) + "]".repeat(600) + "}]}}";
        assertThatThrownBy(() -> parse(deep)).hasMessage("Invalid request body: JSON exceeds nesting limit of 512");
    }

    @Test
    void invalidUtf8() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {'{', '"', 'q', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        assertThatThrownBy(() -> QueryBodyParser.parse(buf, WireFormat.TAGGED))
                .hasMessageStartingWith("Invalid request body: Invalid UTF-8");
    }
}
