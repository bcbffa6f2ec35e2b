package dev.daxviz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code daxviz verify} without booting anything: its exit codes, its messages (what, where, how to fix), and that
 * standard output holds only JSON under --json. A run that needs the real kernel is in RealKernelTest.
 */
class VerifyCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void aScenarioNoRealKernelCanRunExitsFourWithTheReasons() throws Exception {
        CliRun r = run("verify", "builtin:kernel-5.17");
        assertThat(r.rc()).isEqualTo(4);
        assertThat(r.err()).contains("daxviz: builtin:kernel-5.17 cannot be checked against a real kernel: kernel 5.17: "
                + "no kernel before 5.19 is within Debian's reach").doesNotContain("Exception");
        assertThat(r.out()).contains("verdict: not reproducible on a real kernel");
        CliRun j = run("verify", "builtin:big-1tib", "--json");
        assertThat(j.rc()).isEqualTo(4);
        JsonNode n = new ObjectMapper().readTree(j.out());
        assertThat(n.get("verdict").asText()).isEqualTo("refused");
        assertThat(n.get("error").asText()).contains("does not fit in the guest");
        assertThat(n.get("simulated").get("kernel").asText()).isEqualTo("6.1");
        assertThat(n.get("fidelity").get(1).get("fidelity").asText()).isEqualTo("notReproducible");
    }

    @Test
    void aMissingToolExitsFourNamingItAndTheInstallLine(@TempDir Path tmp) throws Exception {
        CliRun r = run("verify", "builtin:default", "--json", "--qemu", tmp.resolve("no-qemu").toString(), "--cache",
                tmp.toString());
        assertThat(r.rc()).isEqualTo(4);
        assertThat(r.err()).contains("daxviz: the real kernel is not available: the real-kernel check needs "
                + "qemu-system-x86_64").contains("apt-get install -y --no-install-recommends qemu-system-x86");
        // progress goes to standard error, only the JSON to standard output
        assertThat(r.err()).contains("[tools] checking the host tools");
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.get("verdict").asText()).isEqualTo("unavailable");
        assertThat(n.get("simulated").get("events").get(0).get("signals")).hasSize(3);
    }

    @Test
    void badOptionsAreInvalidInput() {
        assertThat(run("verify", "builtin:default", "--accel", "warp").err())
                .contains("--accel:1:1: (document): 'warp' is not an accelerator — use tcg, kvm or auto");
        assertThat(run("verify", "builtin:default", "--accel", "warp").rc()).isEqualTo(2);
        assertThat(run("verify", "builtin:default", "--kernel", "4.19").rc()).isEqualTo(2);
        assertThat(run("verify", "builtin:default", "--timeout", "0").err()).contains("a deadline must be a positive "
                + "number of seconds");
        assertThat(run("verify", "builtin:default", "--kernel-deb", "/nonexistent.deb").err())
                .contains("/nonexistent.deb is not a file — name a linux-image-*.deb");
        assertThat(run("verify", "builtin:nope").rc()).isEqualTo(2);
        CliRun help = run("verify", "--help");
        assertThat(help.rc()).isZero();
        assertThat(help.out()).contains("--kernel=6.1|6.12", "--accel=tcg|kvm|auto", "--offline", "--kernel-deb=FILE",
                "--keep-logs=DIR", "--timeout=S", "Exit codes: 0 the real kernel agrees, 3 it differs, 4 no real kernel");
    }
}
