package dev.daxviz.realkernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A cpio archive in the "newc" format the kernel unpacks as an initramfs (Documentation/driver-api/early-userspace/
 * buffer-format.rst), gzip-compressed. Everything is owned by root with mtime 0, so the same content gives the same
 * bytes. Device nodes are written as entries (no mknod, no root needed on the host). The kernel accepts several
 * archives one after the other, later files winning: the per-scenario archive is appended to the cached base.
 */
final class CpioArchive implements AutoCloseable {
    static final int DIR = 0040000;
    static final int FILE = 0100000;
    static final int SYMLINK = 0120000;
    static final int CHARDEV = 0020000;

    private final GZIPOutputStream out;
    private long written;
    private int ino = 1;

    CpioArchive(OutputStream target) {
        try {
            this.out = new GZIPOutputStream(target, 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small archive in memory. */
    static byte[] build(java.util.function.Consumer<CpioArchive> fill) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioArchive a = new CpioArchive(bytes)) {
            fill.accept(a);
        }
        return bytes.toByteArray();
    }

    void dir(String name) {
        entry(name, DIR | 0755, new byte[0], 0, 0);
    }

    void file(String name, int perm, byte[] data) {
        entry(name, FILE | perm, data, 0, 0);
    }

    void symlink(String name, String target) {
        entry(name, SYMLINK | 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    void charDevice(String name, int perm, int major, int minor) {
        entry(name, CHARDEV | perm, new byte[0], major, minor);
    }

    private void entry(String name, int mode, byte[] data, int rdevMajor, int rdevMinor) {
        byte[] n = (name.startsWith("/") ? name.substring(1) : name).getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        long[] fields = {ino++, mode, 0, 0, (mode & 0170000) == DIR ? 2 : 1, 0, data.length, 0, 0, rdevMajor,
            rdevMinor, n.length + 1, 0};
        for (long f : fields) {
            h.append(String.format("%08x", f));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(n);
        write(new byte[] {0});
        pad();
        write(data);
        pad();
    }

    private void write(byte[] b) {
        try {
            out.write(b);
            written += b.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pad() {
        int p = (int) ((4 - written % 4) % 4);
        if (p > 0) {
            write(new byte[p]);
        }
    }

    /** Writes the trailer and finishes the gzip stream (the target stays open). */
    @Override
    public void close() {
        entry("TRAILER!!!", 0, new byte[0], 0, 0);
        try {
            out.finish();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
