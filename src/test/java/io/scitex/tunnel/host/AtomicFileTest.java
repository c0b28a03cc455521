package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void writesContentAsUtf8() throws Exception {
        Path target = dir.resolve("unit.service");

        AtomicFile.write(target, "[Unit]\nDescription=ключ 😀\n", AtomicFile.PUBLIC);

        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("[Unit]\nDescription=ключ 😀\n");
    }

    @Test
    void givesNewFileMode644() throws Exception {
        Path target = dir.resolve("known_hosts");

        AtomicFile.write(target, "x", AtomicFile.PUBLIC);

        assertThat(AtomicFile.PUBLIC).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(mode(target)).isEqualTo("rw-r--r--");
    }

    @Test
    void givesMode644EvenWhenReplacingAPrivateFile() throws Exception {
        Path target = Files.writeString(dir.resolve("unit.service"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

        AtomicFile.write(target, "new", AtomicFile.PUBLIC);

        assertThat(mode(target)).isEqualTo("rw-r--r--");
    }

    @Test
    void appliesTheModeAsked() throws Exception {
        Path target = dir.resolve("secret");

        AtomicFile.write(target, "x", PosixFilePermissions.fromString("rw-------"));

        assertThat(mode(target)).isEqualTo("rw-------");
    }

    @Test
    void replacesExistingContentCompletely() throws Exception {
        Path target = Files.writeString(dir.resolve("unit.service"), "a much longer old content\n".repeat(100));

        AtomicFile.write(target, "short\n", AtomicFile.PUBLIC);

        assertThat(Files.readString(target)).isEqualTo("short\n");
    }

    @Test
    void replacesFileRatherThanWritingThroughIt() throws Exception {
        Path target = Files.writeString(dir.resolve("unit.service"), "old");
        Path hardLink = Files.createLink(dir.resolve("other-name"), target);

        AtomicFile.write(target, "new", AtomicFile.PUBLIC);

        assertThat(Files.readString(hardLink)).isEqualTo("old");
        assertThat(Files.readString(target)).isEqualTo("new");
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        Path target = dir.resolve("unit.service");

        AtomicFile.write(target, "one", AtomicFile.PUBLIC);
        AtomicFile.write(target, "two", AtomicFile.PUBLIC);

        assertThat(names()).containsExactly("unit.service");
    }

    @Test
    void leavesNoTemporaryFileWhenReplacingFails() throws Exception {
        Path target = Files.createDirectory(dir.resolve("unit.service"));
        Files.writeString(target.resolve("inside"), "x");

        assertThatThrownBy(() -> AtomicFile.write(target, "new", AtomicFile.PUBLIC)).isInstanceOf(IOException.class);
        assertThat(names()).containsExactly("unit.service");
    }

    @Test
    void writeFullyKeepsWritingAfterAShortWrite() throws Exception {
        Path file = dir.resolve("unit.service");
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileChannel threeBytesAtATime = new ShortWrites(real, 3)) {
            AtomicFile.writeFully(threeBytesAtATime, StandardCharsets.UTF_8.encode("[Unit]\nDescription=x\n"));
        }

        assertThat(Files.readString(file)).isEqualTo("[Unit]\nDescription=x\n");
    }

    @Test
    void failsWhenDirectoryIsMissing() {
        assertThatThrownBy(() -> AtomicFile.write(dir.resolve("absent/unit.service"), "x", AtomicFile.PUBLIC))
                .isInstanceOf(IOException.class);
    }

    /** A channel that takes at most a few bytes per write, as a write into a filling disk does. */
    private static final class ShortWrites extends FileChannel {
        private final FileChannel real;
        private final int most;

        ShortWrites(FileChannel real, int most) {
            this.real = real;
            this.most = most;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            ByteBuffer some = source.slice();
            some.limit(Math.min(most, some.remaining()));
            int written = real.write(some);
            source.position(source.position() + written);
            return written;
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() {
            // the real channel is closed by its owner
        }
    }
}
