package dev.daxviz.realkernel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initramfs writer, read back by the newc rules the kernel applies (buffer-format.rst): "070701", thirteen
 * 8-digit hex fields, the NUL-terminated name, padding to 4 bytes after the header+name and after the data, and a
 * TRAILER!!! entry.
 */
class CpioArchiveTest {
    record Entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data) {
    }

    static List<Entry> read(byte[] gz) throws IOException {
        byte[] b = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
        List<Entry> out = new ArrayList<>();
        int p = 0;
        while (true) {
            assertThat(new String(b, p, 6, StandardCharsets.US_ASCII)).isEqualTo("070701");
            long[] f = new long[13];
            for (int i = 0; i < 13; i++) {
                f[i] = Long.parseLong(new String(b, p + 6 + 8 * i, 8, StandardCharsets.US_ASCII), 16);
            }
            int nameSize = (int) f[11];
            String name = new String(b, p + 110, nameSize - 1, StandardCharsets.UTF_8);
            assertThat(b[p + 110 + nameSize - 1]).isZero();
            p = (p + 110 + nameSize + 3) & ~3;
            byte[] data = Arrays.copyOfRange(b, p, p + (int) f[6]);
            p = (p + (int) f[6] + 3) & ~3;
            if (name.equals("TRAILER!!!")) {
                assertThat(p).isEqualTo(b.length);
                return out;
            }
            assertThat(f[2]).as("uid").isZero();
            assertThat(f[5]).as("mtime").isZero();
            out.add(new Entry(name, (int) f[1], (int) f[9], (int) f[10], data));
        }
    }

    @Test
    void entriesReadBackAsWritten() throws Exception {
        byte[] gz = CpioArchive.build(a -> {
            a.dir("/dev");
            a.charDevice("/dev/console", 0600, 5, 1);
            a.file("/init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            a.symlink("/bin/sh", "busybox");
            a.file("/scen/plan.sh", 0644, "x".getBytes(StandardCharsets.UTF_8));
        });
        List<Entry> e = read(gz);
        assertThat(e).extracting(Entry::name).containsExactly("dev", "dev/console", "init", "bin/sh", "scen/plan.sh");
        assertThat(e.get(0).mode()).isEqualTo(0040755);
        assertThat(e.get(1).mode()).isEqualTo(0020600);
        assertThat(e.get(1).rdevMajor()).isEqualTo(5);
        assertThat(e.get(1).rdevMinor()).isEqualTo(1);
        assertThat(e.get(2).mode()).isEqualTo(0100755);
        assertThat(new String(e.get(2).data(), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\n");
        assertThat(e.get(3).mode()).isEqualTo(0120777);
        assertThat(new String(e.get(3).data(), StandardCharsets.UTF_8)).isEqualTo("busybox");
        // the same content gives the same bytes
        assertThat(CpioArchive.build(a -> a.file("/x", 0644, new byte[] {1, 2, 3})))
                .isEqualTo(CpioArchive.build(a -> a.file("/x", 0644, new byte[] {1, 2, 3})));
    }
}
