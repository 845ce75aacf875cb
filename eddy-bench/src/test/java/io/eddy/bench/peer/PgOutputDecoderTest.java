package io.eddy.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {
    private static void cstring(DataOutputStream o, String s) throws IOException {
        o.write(s.getBytes(StandardCharsets.UTF_8));
        o.write(0);
    }

    private static void text(DataOutputStream o, String v) throws IOException {
        if (v == null) {
            o.write('n');
            return;
        }
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        o.write('t');
        o.writeInt(b.length);
        o.write(b);
    }

    @Test
    void decodesRelationInsertUpdateDeleteAndCommit() throws IOException {
        ByteArrayOutputStream rel = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(rel);
        o.write('R');
        o.writeInt(16384);
        cstring(o, "public");
        cstring(o, "docs");
        o.write('d');
        o.writeShort(3);
        String[] cols = {"id", "owner", "sent_ns"};
        int[] oids = {20, 25, 20};
        for (int i = 0; i < 3; i++) {
            o.write(0);
            cstring(o, cols[i]);
            o.writeInt(oids[i]);
            o.writeInt(-1);
        }
        ByteArrayOutputStream ins = new ByteArrayOutputStream();
        o = new DataOutputStream(ins);
        o.write('I');
        o.writeInt(16384);
        o.write('N');
        o.writeShort(3);
        text(o, "1");
        text(o, "o5");
        text(o, "777");
        ByteArrayOutputStream upd = new ByteArrayOutputStream();
        o = new DataOutputStream(upd);
        o.write('U');
        o.writeInt(16384);
        o.write('O');
        o.writeShort(3);
        text(o, "1");
        text(o, "o5");
        text(o, "777");
        o.write('N');
        o.writeShort(3);
        text(o, "1");
        text(o, "o6");
        text(o, null);
        ByteArrayOutputStream keyOnly = new ByteArrayOutputStream();
        o = new DataOutputStream(keyOnly);
        o.write('U');
        o.writeInt(16384);
        o.write('K');
        o.writeShort(3);
        text(o, "1");
        text(o, null);
        text(o, null);
        o.write('N');
        o.writeShort(3);
        text(o, "2");
        text(o, "o7");
        text(o, "5");

        List<PgOutputDecoder.Row> rows = new ArrayList<>();
        int[] commits = {0};
        PgOutputDecoder.Listener l = new PgOutputDecoder.Listener() {
            @Override public void onRow(PgOutputDecoder.Row row) { rows.add(row); }

            @Override public void onCommit() { commits[0]++; }
        };
        PgOutputDecoder d = new PgOutputDecoder();
        ByteBuffer begin = ByteBuffer.allocate(21);
        begin.put((byte) 'B').putLong(0x16B3F28L).putLong(848_620_800_000_123L).putInt(731).flip(); // 2026-11-22T00:00:00.000123Z
        d.decode(begin, l);
        d.decode(ByteBuffer.wrap(rel.toByteArray()), l);
        d.decode(ByteBuffer.wrap(ins.toByteArray()), l);
        d.decode(ByteBuffer.wrap(upd.toByteArray()), l);
        d.decode(ByteBuffer.wrap(keyOnly.toByteArray()), l);
        d.decode(ByteBuffer.wrap(new byte[] {'C', 0}), l);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).op()).isEqualTo('I');
        assertThat(rows.get(0).get("owner")).isEqualTo("o5");
        assertThat(PgOutputDecoder.json(rows.get(0))).isEqualTo("{\"id\":1,\"owner\":\"o5\",\"sent_ns\":777,\"commit_us\":1795305600000123}");
        assertThat(rows.get(0).commitMicros()).isEqualTo(1_795_305_600_000_123L);
        assertThat(rows.get(1).op()).isEqualTo('U');
        assertThat(PgOutputDecoder.json(rows.get(1))).isEqualTo("{\"id\":1,\"owner\":\"o6\",\"sent_ns\":null,\"commit_us\":1795305600000123}");
        // the 'O' tuple: the whole old row (REPLICA IDENTITY FULL), beside the new one
        assertThat(rows.get(1).old("owner")).isEqualTo("o5");
        assertThat(rows.get(1).old("sent_ns")).isEqualTo("777");
        assertThat(rows.get(0).oldValues()).isNull();
        // a 'K' tuple is the old key alone (a changed key without REPLICA IDENTITY FULL): no old row
        assertThat(rows.get(2).get("owner")).isEqualTo("o7");
        assertThat(rows.get(2).oldValues()).isNull();
        assertThat(commits[0]).isEqualTo(1);
    }
}
