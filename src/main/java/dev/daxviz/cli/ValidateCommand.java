package dev.daxviz.cli;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.Problem;
import dev.daxviz.scenario.ScenarioException;
import dev.daxviz.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code daxviz validate SCENARIO...}: every problem of every file, exit 2 if any. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check scenarios without running them: "
        + "every problem is reported as file:line:col: key.path: what is wrong — how to fix it.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", arity = "1..*", description = "Scenario files or builtin:NAME.")
    List<String> scenarios;

    @Option(names = "--kernel", paramLabel = "ID", description = "Validate under this kernel profile instead of "
            + "each scenario's own.")
    String kernel;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KernelProfile k = Kernels.parse(kernel);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int rc = DaxvizCli.OK;
        for (String s : scenarios) {
            try {
                BuiltScenario b = Scenarios.build(s, k);
                long files = b.world().hasFs() ? b.world().fs().inodes().values().stream().filter(i -> i.isRegular())
                        .count() : 0;
                out.println(s + ": ok (" + files + " files, " + b.scenario().processes().size()
                        + " processes, " + b.steps().size() + " events, kernel " + b.profile().id() + ")");
            } catch (ScenarioException e) {
                for (Problem p : e.problems()) {
                    err.println(p);
                }
                rc = DaxvizCli.INVALID;
            }
        }
        out.flush();
        err.flush();
        return rc;
    }
}
