package dev.daxviz;

import dev.daxviz.cli.DaxvizCli;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.Lessons;
import dev.daxviz.scenario.Scenarios;
import dev.daxviz.scenario.WorldSummary;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the runnable jar. With arguments: the command line ({@link DaxvizCli}). Without: until the
 * window exists, a text summary of the built-in default scenario's world.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("render")) {
            // pictures need no display, and drawing without one is the same on every machine
            System.setProperty("java.awt.headless", "true");
        }
        if (args.length == 0 && !java.awt.GraphicsEnvironment.isHeadless()) {
            dev.daxviz.ui.App.launch(null);
            return;
        }
        if (args.length == 2 && args[0].equals("open") && !java.awt.GraphicsEnvironment.isHeadless()) {
            dev.daxviz.ui.App.launch(args[1]);
            return;
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return summary(out, err);
        }
        return DaxvizCli.execute(args, out, err);
    }

    private static int summary(PrintStream out, PrintStream err) {
        try {
            BuiltScenario b = Scenarios.build(Lessons.PREFIX + Lessons.DEFAULT, null);
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            o.println("DaxViz " + DaxvizCli.version() + " — the window is not built yet; this is the world of the "
                    + "built-in default scenario (" + b.scenario().title() + ").");
            o.println("Run 'daxviz --help' for the commands, 'daxviz run builtin:" + Lessons.DEFAULT
                    + "' to poison it.");
            o.println();
            o.print(WorldSummary.of(b.world()));
            o.flush();
            return DaxvizCli.OK;
        } catch (RuntimeException e) {
            err.println("daxviz: internal error: " + e);
            return DaxvizCli.INTERNAL;
        }
    }
}
