package dev.daxviz.cli;

import dev.daxviz.scenario.Lessons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes and streams of the command line: 0 done, 2 invalid input (stderr), 1 internal error. */
class CliTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static CliRun run(CommandLine cl, String... args) {
        return CliRun.of(cl, args);
    }

    @Test
    void runJsonPrintsOnlyJson() {
        CliRun r = run("run", "builtin:default", "--json");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).startsWith("{\n  \"format\": 1,").endsWith("}\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void runWithoutJsonSummarisesSignalsShutdownAndLog() {
        CliRun r = run("run", "builtin:default");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("BUS_MCEERR_AO to reader-a:101", "shutdown: none",
                "recovery action for dax page: Recovered", "memory_failure → ");
    }

    @Test
    void kernelOverrideChangesTheResultsKernel() {
        CliRun r = run("run", "builtin:later-reader-6.12", "--kernel", "6.1", "--json");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("\"kernel\": \"6.1\"");
    }

    @Test
    void invalidInputExitsTwoWithMessagesOnStderr(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "format: 1\ndevice: {size: 256MiB, physAddr: 0x100000000, sise: 1}\n");
        CliRun r = run("run", bad.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(bad + ":2:47: device.sise: unknown key 'sise'");
        assertThat(run("validate", "builtin:default", bad.toString()).rc()).isEqualTo(2);
        assertThat(run("run", tmp.resolve("missing.yaml").toString()).rc()).isEqualTo(2);
        assertThat(run("run", "builtin:nope").rc()).isEqualTo(2);
        assertThat(run("run", "builtin:default", "--kernel", "4.19").err()).contains("'4.19' is not a kernel profile");
        assertThat(run("run", "builtin:default", "--kernel", "5.17").err())
                .contains("DAX and reflink cannot be used together!");
        assertThat(run("frobnicate").rc()).isEqualTo(2);
    }

    @Test
    void validateListHelpAndVersionExitZero() {
        CliRun v = run("validate", "builtin:default", "builtin:devdax");
        assertThat(v.rc()).isZero();
        assertThat(v.out()).contains("builtin:default: ok", "builtin:devdax: ok");
        CliRun l = run("list");
        assertThat(l.rc()).isZero();
        assertThat(l.out().lines().count()).isEqualTo(Lessons.all().size()).isGreaterThanOrEqualTo(20);
        assertThat(run("--help").rc()).isZero();
        assertThat(run("run", "--help").out()).contains("--kernel");
        assertThat(run("--version").out()).startsWith("daxviz ");
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("something\nbroke");
        }
    }

    @Test
    void internalErrorsExitOneWithOneLineUnlessVerbose() {
        CliRun r = run(new CommandLine(new DaxvizCli()).addSubcommand(new Boom()), "boom");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("daxviz: internal error: IllegalStateException: something broke");
        CliRun v = run(new CommandLine(new DaxvizCli()).addSubcommand(new Boom()), "boom", "--verbose");
        assertThat(v.rc()).isEqualTo(1);
        assertThat(v.err()).contains("at dev.daxviz.cli.CliTest$Boom.run");
    }
}
