package dev.daxviz.cli;

import dev.daxviz.scenario.Lessons;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code daxviz list}: the built-in lessons. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in scenarios (use them as "
        + "builtin:NAME).")
final class ListCommand implements Callable<Integer> {
    @Option(names = {"-l", "--long"}, description = "Also print each lesson's description.")
    boolean descriptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int w = Lessons.all().stream().mapToInt(l -> l.name().length()).max().orElse(8);
        for (Lessons.Lesson l : Lessons.all()) {
            out.println(String.format("%-" + w + "s  %s", l.name(), l.title()));
            if (descriptions) {
                out.println(indent(l.description(), w + 2));
                out.println();
            }
        }
        out.flush();
        return DaxvizCli.OK;
    }

    private static String indent(String text, int n) {
        String pad = " ".repeat(n);
        return pad + text.replace("\n", "\n" + pad);
    }
}
