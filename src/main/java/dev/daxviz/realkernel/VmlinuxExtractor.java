package dev.daxviz.realkernel;

import dev.daxviz.realkernel.HostTools.Tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The uncompressed kernel (vmlinux) inside a bzImage, for qemu's PVH boot: qemu loads the ELF by its PVH note, so
 * the guest skips decompressing itself, which under TCG costs ~3.5 s for 6.1's xz and ~1 s for 6.12's zstd (boot
 * twice as fast, measured). The payload is found through the bzImage header (Documentation/arch/x86/boot.rst):
 * setup_sects at 0x1f1, payload_offset at 0x248 and payload_length at 0x24c, counted from the protected-mode code at
 * (setup_sects + 1) × 512. The decompressor complains about the 4-byte size trailing the payload, so the result is
 * judged by its ELF magic, not by the exit code.
 */
final class VmlinuxExtractor {
    private VmlinuxExtractor() {
    }

    /** Writes vmlinux and returns the compression's name, or returns null when there is no usable payload. */
    static String extract(Path bzImage, Path vmlinux, HostTools tools, CancelToken cancel) {
        byte[] b;
        try {
            b = Files.readAllBytes(bzImage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (b.length < 0x250) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int setupSects = b[0x1f1] & 0xff;
        if (setupSects == 0) {
            setupSects = 4;
        }
        long start = (setupSects + 1L) * 512 + Integer.toUnsignedLong(h.getInt(0x248));
        long length = Integer.toUnsignedLong(h.getInt(0x24c));
        if (start + length > b.length || length < 4) {
            return null;
        }
        byte[] payload = Arrays.copyOfRange(b, (int) start, (int) (start + length));
        String name;
        Tool tool;
        String[] args;
        if ((payload[0] & 0xff) == 0xfd && payload[1] == '7' && payload[2] == 'z' && payload[3] == 'X') {
            name = "xz";
            tool = Tool.XZ;
            args = new String[] {"-dc"};
        } else if ((payload[0] & 0xff) == 0x28 && (payload[1] & 0xff) == 0xb5 && (payload[2] & 0xff) == 0x2f
                && (payload[3] & 0xff) == 0xfd) {
            name = "zstd";
            tool = Tool.ZSTD;
            args = new String[] {"-dqc"};
        } else {
            return null;
        }
        byte[] elf = HostCommand.of(tools.path(tool), args[0]).input(payload).timeout(120).run(cancel).stdout();
        if (elf.length < 4 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            return null;
        }
        try {
            Files.write(vmlinux, elf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }
}
