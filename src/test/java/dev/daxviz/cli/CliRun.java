package dev.daxviz.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the command line in this JVM: its exit code and what it wrote to standard output and error. */
record CliRun(int rc, String out, String err) {

    static CliRun of(String... args) {
        return of(new CommandLine(new DaxvizCli()), args);
    }

    /** Runs {@code cl} (the daxviz command, perhaps with extra subcommands) with the exit-code rules. */
    static CliRun of(CommandLine cl, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = DaxvizCli.execute(cl, args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new CliRun(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
