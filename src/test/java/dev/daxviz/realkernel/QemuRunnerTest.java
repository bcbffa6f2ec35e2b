package dev.daxviz.realkernel;

import dev.daxviz.model.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runner's deadlines and crash reports, with a fake qemu (a script) instead of the real one: it hangs, exits at
 * once, or prints an oops and ends without the END marker. Each must give a clean status within its deadline, and
 * the oops must be reported with the function from its RIP line.
 */
class QemuRunnerTest {
    @TempDir
    Path dir;

    private Path fake(String body) throws IOException {
        return FakeQemu.write(dir, body);
    }

    private QemuRunner.Spec spec(Path qemu, int bootSeconds, int runSeconds) {
        MachineLayout m = new MachineLayout(2 * Units.GiB, List.of(new MachineLayout.Region("data", Units.GiB,
                262 * Units.MiB, 256 * Units.MiB)));
        return new QemuRunner.Spec(qemu, "tcg", dir.resolve("vmlinux"), dir.resolve("initrd.gz"), m,
                dir.resolve("console.log"), dir.resolve("proto.log"), dir.resolve("qemu.out"),
                Duration.ofSeconds(bootSeconds), Duration.ofSeconds(runSeconds));
    }

    @Test
    void aGuestThatNeverStartsIsABootFailureAtTheBootDeadline() throws Exception {
        QemuRunner.Spec s = spec(fake("sleep 600\n"), 2, 300);
        long t0 = System.nanoTime();
        QemuRunner.Outcome o = QemuRunner.run(s, l -> { }, CancelToken.none());
        double took = (System.nanoTime() - t0) / 1e9;
        assertThat(o.status()).isEqualTo(QemuRunner.Status.BOOT_TIMEOUT);
        assertThat(o.sawInit()).isFalse();
        assertThat(took).isBetween(1.9, 6.0);
    }

    @Test
    void qemuThatExitsAtOnceIsReportedWithWhatItSaid() throws Exception {
        QemuRunner.Spec s = spec(fake("echo 'qemu-system-x86_64: failed to set MSR 0x10a to 0x69' >&2\nexit 134\n"),
                60, 300);
        QemuRunner.Outcome o = QemuRunner.run(s, l -> { }, CancelToken.none());
        assertThat(o.status()).isEqualTo(QemuRunner.Status.EXITED_EARLY);
        assertThat(o.qemuExit()).isEqualTo(134);
        assertThat(o.qemuOutput()).contains("failed to set MSR 0x10a");
        assertThat(o.seconds()).isLessThan(5);
    }

    @Test
    void aGuestThatHangsAfterBootingHitsTheRunDeadline() throws Exception {
        QemuRunner.Spec s = spec(fake("echo 'INIT uptime=2.5 kernel=6.1.0-57-amd64' > \"$proto\"\nsleep 600\n"), 30, 3);
        List<String> lines = new ArrayList<>();
        QemuRunner.Outcome o = QemuRunner.run(s, lines::add, CancelToken.none());
        assertThat(o.status()).isEqualTo(QemuRunner.Status.RUN_TIMEOUT);
        assertThat(o.sawInit()).isTrue();
        assertThat(lines).containsExactly("INIT uptime=2.5 kernel=6.1.0-57-amd64");
        assertThat(o.seconds()).isBetween(2.9, 8.0);
    }

    @Test
    void anOopsWithoutEndIsReportedAsAnOopsOfTheRunningEvent() throws Exception {
        // the console of a real 6.12 run (reference/6.12-d.console.log): the oops killed the injector
        Path console = dir.resolve("oops.txt");
        try (var in = getClass().getResourceAsStream("/realkernel/reference/6.12-d.console.log")) {
            Files.write(console, in.readAllBytes());
        }
        QemuRunner.Spec s = spec(fake("printf 'INIT uptime=2.7 kernel=6.12.95+deb12-amd64\\r\\nSETUP-END uptime=5.4\\r\\n"
                + "EVENT i=0 n=1/1 kind=poison uptime=5.5\\r\\nPAGE p=0 pfn=0x40a0e how=exact role=/data/b.bin+4096\\r\\n'"
                + " > \"$proto\"\ncat '" + console + "' > \"$con\"\nexit 0\n"), 30, 60);
        QemuRunner.Outcome o = QemuRunner.run(s, l -> { }, CancelToken.none());
        assertThat(o.status()).isEqualTo(QemuRunner.Status.NO_END);
        RealRun r = ProtocolParser.parse(Files.readAllLines(dir.resolve("proto.log")),
                Files.readString(dir.resolve("console.log")));
        assertThat(r.complete()).isFalse();
        assertThat(r.events()).hasSize(1);
        RealRun.Event e = r.events().get(0);
        assertThat(e.oops()).isEqualTo(new RealRun.Oops("dax_lock_folio",
                "BUG: kernel NULL pointer dereference, address: 0000000000000001"));
        assertThat(e.returnCode()).isNull();
        assertThat(e.finished()).isFalse();
        assertThat(e.pages()).extracting(RealRun.Page::pfn).containsExactly("0x40a0e");
    }

    @Test
    void cancelKillsQemuAtOnce() throws Exception {
        Path pidFile = dir.resolve("pid");
        QemuRunner.Spec s = spec(fake("echo $$ > '" + pidFile + "'\necho 'INIT uptime=1' > \"$proto\"\nsleep 600\n"),
                30, 300);
        CancelToken cancel = new CancelToken();
        CompletableFuture<QemuRunner.Outcome> run = CompletableFuture.supplyAsync(() -> QemuRunner.run(s, l -> { },
                cancel));
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        long t0 = System.nanoTime();
        cancel.cancel();
        assertThatThrownBy(() -> run.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(Cancelled.class);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
        for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the fake qemu is gone").isFalse();
    }

    @Test
    void theCommandLineIsTheMeasuredOne() {
        QemuRunner.Spec s = spec(dir.resolve("qemu"), 60, 300);
        assertThat(String.join(" ", s.argv())).isEqualTo(dir.resolve("qemu") + " -accel tcg -cpu max -smp 1 -m 2048M "
                + "-display none -monitor none -no-reboot -serial file:" + dir.resolve("console.log") + " -serial file:"
                + dir.resolve("proto.log") + " -kernel " + dir.resolve("vmlinux") + " -initrd " + dir.resolve("initrd.gz")
                + " -append console=ttyS0 memmap=262M!1024M panic=-1 loglevel=3");
    }
}
