package io.eddy.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WalPrefetcher} follows the writer of the newest {@code *.log} file through this process's
 * {@code /proc/self/fd} and reads ahead of its offset. Writers here are channels this test opens, standing in
 * for RocksDB's (RocksTuningTest checks it finds RocksDB's own writer).
 */
class WalPrefetcherTest {
    private static final int AHEAD = 64 * 1024;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir Path dir;
    private long now;

    @BeforeEach
    void needsProc() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux's /proc is needed");
    }

    @Test
    void readsAheadOfTheWriterOfARecycledFileUpToItsEnd() throws IOException {
        Path log = oldFile("000007.log", 1 << 20); // a recycled file: its old size, overwritten from 0
        WalPrefetcher prefetcher = WalPrefetcher.manual(dir, AHEAD);
        try (FileChannel writer = FileChannel.open(log, StandardOpenOption.WRITE)) {
            write(writer, 100);
            prefetcher.tick(now += SECOND);
            assertThat(prefetcher.currentLog()).isEqualTo(log.toRealPath());
            assertThat(prefetcher.prefetchedTo()).isEqualTo(100 + AHEAD);

            write(writer, 200_000);
            prefetcher.tick(now += 1); // no rescan: the writer is known
            assertThat(prefetcher.prefetchedTo()).isEqualTo(200_100 + AHEAD);

            prefetcher.tick(now += 1); // the writer did not move: nothing new to read
            assertThat(prefetcher.prefetchedTo()).isEqualTo(200_100 + AHEAD);

            writer.position((1 << 20) - 1_000);
            prefetcher.tick(now += 1);
            assertThat(prefetcher.prefetchedTo()).as("never past the file's end").isEqualTo(1 << 20);
        } finally {
            prefetcher.close();
        }
    }

    @Test
    void followsTheNewestLogAndItsWriter() throws IOException {
        Path first = oldFile("000009.log", 1 << 20);
        Path notALog = oldFile("LOG", 1 << 20);
        Path second = oldFile("000012.log", 1 << 20);
        WalPrefetcher prefetcher = WalPrefetcher.manual(dir, AHEAD);
        try (FileChannel w1 = FileChannel.open(first, StandardOpenOption.WRITE);
                FileChannel other = FileChannel.open(notALog, StandardOpenOption.WRITE)) {
            write(w1, 10);
            prefetcher.tick(now += SECOND);
            assertThat(prefetcher.currentLog()).as("000012.log is newest but nobody writes it").isNull();

            try (FileChannel w2 = FileChannel.open(second, StandardOpenOption.WRITE)) {
                write(w2, 5_000);
                prefetcher.tick(now += SECOND);
                assertThat(prefetcher.currentLog()).isEqualTo(second.toRealPath());
                assertThat(prefetcher.prefetchedTo()).isEqualTo(5_000 + AHEAD);
            }
            // Its writer closed (the log was switched and the old one freed): forget it.
            prefetcher.tick(now += 1);
            assertThat(prefetcher.currentLog()).isNull();
            assertThat(prefetcher.prefetchedTo()).isZero();

            Path third = oldFile("000020.log", 1 << 20);
            try (FileChannel w3 = FileChannel.open(third, StandardOpenOption.WRITE)) {
                prefetcher.tick(now += SECOND);
                assertThat(prefetcher.currentLog()).isEqualTo(third.toRealPath());
                assertThat(prefetcher.prefetchedTo()).isEqualTo(AHEAD);
            }
        } finally {
            prefetcher.close();
        }
    }

    @Test
    void aReaderOfTheLogIsNotTakenForItsWriter() throws IOException {
        Path log = oldFile("000005.log", 1 << 20);
        WalPrefetcher prefetcher = WalPrefetcher.manual(dir, AHEAD);
        // The reader is opened first, so it has the lower descriptor and is listed first in /proc/self/fd.
        try (FileChannel reader = FileChannel.open(log, StandardOpenOption.READ);
                FileChannel writer = FileChannel.open(log, StandardOpenOption.WRITE)) {
            reader.position(300_000);
            write(writer, 7_000);
            prefetcher.tick(now += SECOND);
            assertThat(prefetcher.prefetchedTo()).as("ahead of the writer's offset").isEqualTo(7_000 + AHEAD);
        } finally {
            prefetcher.close();
        }
    }

    @Test
    void aFreshFileWrittenAtItsEndNeedsNoReads() throws IOException {
        Path log = dir.resolve("000003.log");
        WalPrefetcher prefetcher = WalPrefetcher.manual(dir, AHEAD);
        try (FileChannel writer = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(writer, 50_000);
            prefetcher.tick(now += SECOND);
            assertThat(prefetcher.currentLog()).isEqualTo(log.toRealPath());
            assertThat(prefetcher.prefetchedTo()).as("appends: nothing past the end to read").isZero();
        } finally {
            prefetcher.close();
        }
    }

    private Path oldFile(String name, int size) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, new byte[size]);
        return f;
    }

    private static void write(FileChannel writer, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) writer.write(b);
    }
}
