package dev.daxviz.importer.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Positional, read-only access to an image file or a block device. Every read is bounds-checked against the
 * image length, so a truncated copy ends in an {@link ImageException} naming what was being read, never in a
 * short buffer. Every read also polls the cancellation check: walkers read in every loop, so polling here
 * makes each of them cancellable without its own bookkeeping.
 */
final class ImageReader implements Closeable {

    private final Path path;
    private final FileChannel channel;
    private final long length;
    private final BooleanSupplier cancelled;

    private ImageReader(Path path, FileChannel channel, long length, BooleanSupplier cancelled) {
        this.path = path;
        this.channel = channel;
        this.length = length;
        this.cancelled = cancelled;
    }

    /**
     * Opens {@code path} read-only.
     *
     * @param cancelled polled before every read; when it answers true (or the thread is interrupted) the read
     *                  throws {@link CancellationException}
     */
    static ImageReader open(Path path, BooleanSupplier cancelled) throws ImageException {
        Where where = Where.image(path.toString());
        if (Files.isDirectory(path)) {
            throw new ImageException(where, "is a directory", "choose the image file or the block device");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            long length = channel.size();
            if (length == 0) {
                length = blockDeviceLength(path);
            }
            return new ImageReader(path, channel, length, cancelled);
        } catch (NoSuchFileException e) {
            throw new ImageException(where, "no such file", "check the path", e);
        } catch (IOException | SecurityException e) {
            closeQuietly(channel);
            throw new ImageException(where, "cannot open it (" + e.getMessage() + ")",
                    "check that it exists and that you may read it (a device needs root or the disk group)", e);
        }
    }

    /**
     * A block device reports size 0 through its channel; the kernel tells its size in sectors under /sys. A
     * regular empty file has no entry there and keeps length 0.
     */
    private static long blockDeviceLength(Path path) throws IOException {
        Path real = path.toRealPath();
        if (!real.startsWith("/dev/")) {
            return 0;
        }
        Path sectors = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (!Files.isReadable(sectors)) {
            return 0;
        }
        return Long.parseLong(Files.readString(sectors).trim()) * 512L;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    Path path() {
        return path;
    }

    /** The image length in bytes. */
    long length() {
        return length;
    }

    /** Throws {@link CancellationException} when the import was cancelled or the thread interrupted. */
    void checkCancelled() {
        if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
            throw new CancellationException("import of " + path + " cancelled");
        }
    }

    /**
     * Reads {@code len} bytes at byte {@code offset} into a new big-endian buffer (XFS metadata is big-endian
     * except for its CRCs).
     *
     * @param where names what is being read, for the message when the image ends before it
     */
    ByteBuffer read(long offset, int len, Where where) throws ImageException {
        checkCancelled();
        if (offset < 0 || len < 0 || offset > length - len) {
            throw new ImageException(where, "image ends at byte " + length + " but this lies at bytes " + offset
                    + ".." + (offset + len - 1), ImageException.TRUNCATED);
        }
        ByteBuffer buf = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset + buf.position());
                if (n < 0) {
                    throw new ImageException(where, "image ended at byte " + (offset + buf.position())
                            + " while reading it", ImageException.TRUNCATED);
                }
            }
        } catch (IOException e) {
            throw new ImageException(where, "read error at byte " + offset + " (" + e.getMessage() + ")",
                    "check the disk or copy the image again", e);
        }
        return buf.clear();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
