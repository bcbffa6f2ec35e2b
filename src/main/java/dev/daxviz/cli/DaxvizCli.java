package dev.daxviz.cli;

import dev.daxviz.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The command line: {@code run}, {@code validate}, {@code list}, {@code render}, {@code import}, {@code verify},
 * {@code --help}, {@code --version}. Exit codes: 0 done, 2 invalid input (every message on standard error), 1 internal
 * error (one line; the details with {@code --verbose}); {@code verify} adds 3 (the real kernel differs) and 4 (no
 * real kernel: a missing tool or kernel package, or a scenario no real kernel can run).
 */
@Command(name = "daxviz", mixinStandardHelpOptions = true, versionProvider = DaxvizCli.Version.class,
        description = "See, teach and review how Linux handles a poisoned page of persistent memory (fsdax + XFS "
                + "reflink).%nWith no arguments: the window, on the built-in default lesson (a text summary of its world when there is no display).%nopen SCENARIO|IMAGE: the window on that scenario, or on an XFS image (read only).",
        subcommands = {RunCommand.class, ValidateCommand.class, ListCommand.class, RenderCommand.class,
                ImportCommand.class, VerifyCommand.class},
        footer = {"", "Exit codes: 0 done, 2 invalid input, 1 internal error (verify: 3 the real kernel differs, 4 no "
                + "real kernel).",
                "A SCENARIO is a .yaml/.json file or builtin:NAME ('daxviz list' shows the names)."})
public final class DaxvizCli implements Runnable {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int INVALID = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show the details of internal errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(new CommandLine(new DaxvizCli()), args, out, err);
    }

    /** Runs {@code cl} (the daxviz command, perhaps with extra subcommands in tests) with the exit-code rules. */
    public static int execute(CommandLine cl, String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o);
        cl.setErr(e);
        boolean verbose = Arrays.asList(args).contains("--verbose");
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ScenarioException se) {
                se.problems().forEach(p -> e.println(p));
                e.flush();
                return INVALID;
            }
            e.println("daxviz: internal error: " + oneLine(ex) + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                StringWriter sw = new StringWriter();
                ex.printStackTrace(new PrintWriter(sw));
                e.print(sw);
            }
            e.flush();
            return INTERNAL;
        });
        int rc;
        try {
            rc = cl.execute(args);
        } catch (Throwable t) { // an Error (out of memory, stack overflow) that picocli does not handle
            e.println("daxviz: internal error: " + oneLine(t) + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                t.printStackTrace(e);
            }
            rc = INTERNAL;
        }
        o.flush();
        e.flush();
        return rc;
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        s = s.replace('\n', ' ').replace('\r', ' ');
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }

    /** The version from the jar's manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"daxviz " + version(), "Java " + System.getProperty("java.version")};
        }
    }

    public static String version() {
        String v = DaxvizCli.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }
}
