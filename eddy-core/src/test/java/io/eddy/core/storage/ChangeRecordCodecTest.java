package io.eddy.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.changelog.ChangeOp;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.codec.RandomValues;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.ObjectValue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The committer copies a document's stored bytes into its change record instead of encoding it again. */
class ChangeRecordCodecTest {
    @Test
    void copyingTheStoredAfterVersionGivesTheSameBytesAsEncodingIt() {
        long seed = RandomValues.seed();
        System.out.println("ChangeRecordCodecTest seed=" + seed);
        Random r = new Random(seed);
        RandomValues values = new RandomValues(r);
        for (int i = 0; i < 500; i++) {
            long ts = r.nextLong(1, Long.MAX_VALUE);
            ObjectValue data = values.object(3, 6);
            byte[] stored = RocksTransaction.encodeDoc(DocumentValue.PENDING_TS, data);
            Keys.patchTs(stored, ts);
            DocumentValue after = new DocumentValue("C", "7", ts, RocksTransaction.decodeData(stored));
            DocumentValue before = r.nextBoolean() ? null : new DocumentValue("C", "7", ts - 1, values.object(2, 4));
            ChangeRecord rec = new ChangeRecord(ts, i, "C", 3, "7", before == null ? ChangeOp.CREATE : ChangeOp.UPDATE,
                    before, after, 0);
            byte[] copied = ChangeRecordCodec.encode(rec, stored);
            assertThat(copied).as("seed %d, record %d", seed, i).isEqualTo(ChangeRecordCodec.encode(rec));
            ChangeRecord decoded = ChangeRecordCodec.decode(Keys.logKey(ts, i), copied);
            // Versions come back over the record's own bytes (decoded on first use), equal to the originals.
            assertThat(decoded.after().data().storedForm().bytes()).isSameAs(copied);
            if (before != null) assertThat(decoded.before().data().storedForm().bytes()).isSameAs(copied);
            assertThat(decoded).isEqualTo(rec.withStoredBytes(copied.length));
        }
    }

    /** A reader of one collection's records shares its name string; a record of another gets its own. */
    @Test
    void decodingForAnExpectedCollectionSharesItsNameOnlyWhenItMatches() {
        String expected = new String("Product");
        byte[] expectedUtf8 = expected.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (String coll : new String[] {"Product", "Products", "Produc", "Other", "Prodüct"}) {
            DocumentValue after = new DocumentValue(coll, "9", 100, ObjectValue.EMPTY);
            ChangeRecord rec = new ChangeRecord(100, 2, coll, 5, "9", ChangeOp.CREATE, null, after, 0);
            byte[] bytes = ChangeRecordCodec.encode(rec);
            ChangeRecord plain = ChangeRecordCodec.decode(Keys.logKey(100, 2), bytes);
            ChangeRecord shared = ChangeRecordCodec.decode(Keys.logKey(100, 2), bytes, expected, expectedUtf8);
            assertThat(shared).isEqualTo(plain).isEqualTo(rec.withStoredBytes(bytes.length));
            if (coll.equals(expected)) assertThat(shared.coll()).isSameAs(expected);
            else assertThat(shared.coll()).isNotSameAs(expected).isEqualTo(coll);
        }
    }
}
