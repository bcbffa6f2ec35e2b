package dev.daxviz.realkernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole verification with a fake qemu and a fake cached kernel (--offline): the base initramfs is really built,
 * qemu is a script that hangs, exits at once, or prints an oops without the END marker. Each must end in a clean
 * report within the deadlines, never an exception. Needs the tools that build the guest (busybox, xfsprogs, ndctl,
 * gcc); skipped without them unless {@code -Ddaxviz.realkernel.required=true}.
 */
class VerifierFakeQemuTest {
    @TempDir
    static Path cache;

    @BeforeAll
    static void fakeKernel() throws IOException {
        FakeQemu.installKernel(cache);
    }

    @TempDir
    Path dir;

    private VerifyReport verify(String body, int bootSeconds, List<String> stages) throws IOException {
        Path q = FakeQemu.write(dir, body);
        VerifyOptions o = VerifyOptions.defaults().withKernel("6.1").withOffline(true).withCacheRoot(cache)
                .withQemu(q).withLogsDir(dir.resolve("logs"))
                .withDeadlines(Duration.ofSeconds(bootSeconds), Duration.ofSeconds(30));
        return Verifier.verify("builtin:default", o, (s, d) -> stages.add(s.title()), CancelToken.none());
    }

    @Test
    void aHangingGuestIsABootFailure() throws Exception {
        long t0 = System.nanoTime();
        VerifyReport r = verify("sleep 600\n", 2, new ArrayList<>());
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
        assertThat(r.verdict()).isEqualTo(VerifyReport.Verdict.UNAVAILABLE);
        assertThat(r.error()).startsWith("the guest did not start within 2 s (no INIT line on its protocol port)");
        assertThat(r.logs().console().getParent()).isEqualTo(dir.resolve("logs"));
        // the vmlinuz is booted when there is no vmlinux, with the plan's memory and memmap
        String argv = Files.readString(dir.resolve("argv"));
        assertThat(argv).contains("vmlinuz\n", "-m\n2048M\n", "memmap=262M!1024M panic=-1 loglevel=3");
    }

    @Test
    void qemuThatExitsAtOnceIsReportedWithItsMessage() throws Exception {
        VerifyReport r = verify("echo 'qemu: could not load kernel' >&2\nexit 1\n", 60, new ArrayList<>());
        assertThat(r.verdict()).isEqualTo(VerifyReport.Verdict.UNAVAILABLE);
        assertThat(r.error()).isEqualTo("qemu exited (status 1) before the guest started: qemu: could not load kernel");
        assertThat(r.kernel().packageVersion()).isEqualTo("6.1.999-1");
    }

    @Test
    void anOopsWithoutEndIsReportedAsTheEventsOops() throws Exception {
        Path console = dir.resolve("oops.txt");
        Files.writeString(console, Fixtures.text("reference/6.12-d.console.log"));
        List<String> stages = new ArrayList<>();
        VerifyReport r = verify("printf 'INIT uptime=2.7 kernel=6.1.0-99-amd64\\nSETUP-END uptime=5\\n"
                + "EVENT i=0 n=1/1 kind=poison uptime=5\\nPAGE p=0 pfn=0x40619 how=exact role=/data/a.bin+4096\\n'"
                + " > \"$proto\"\ncat '" + console + "' > \"$con\"\n", 60, stages);
        assertThat(r.verdict()).isEqualTo(VerifyReport.Verdict.DIFFER);
        assertThat(r.real().events().get(0).oops().function()).isEqualTo("dax_lock_folio");
        DiffRow oops = r.rows().stream().filter(d -> d.field().equals("oops")).findFirst().orElseThrow();
        assertThat(oops.simulated()).isEqualTo("none");
        assertThat(oops.real()).isEqualTo("dax_lock_folio: BUG: kernel NULL pointer dereference, address: "
                + "0000000000000001");
        assertThat(oops.status()).isEqualTo(DiffRow.Status.DIFFERS);
        assertThat(stages).containsSubsequence("tools", "build guest", "boot", "setup", "event", "compare");
        assertThat(r.accel()).isEqualTo("tcg");
    }
}
