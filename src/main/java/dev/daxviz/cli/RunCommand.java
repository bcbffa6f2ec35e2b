package dev.daxviz.cli;

import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Result;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.scenario.ResultJson;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code daxviz run SCENARIO [--json] [--kernel ID]}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario's events and show what the "
        + "kernel did: signals, shutdown, log lines and the path taken.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "A scenario file (.yaml or .json) or builtin:NAME.")
    String scenario;

    @Option(names = "--json", description = "Print the result as JSON (scenario-format.md, \"Result\") and nothing else.")
    boolean json;

    @Option(names = "--kernel", paramLabel = "ID", description = "Run under this kernel profile instead of the "
            + "scenario's own (5.17, 6.1, 6.12).")
    String kernel;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunResult r = Scenarios.run(scenario, Kernels.parse(kernel));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(ResultJson.write(r));
        } else {
            out.print(human(r));
        }
        out.flush();
        return DaxvizCli.OK;
    }

    static String human(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.title()).append("  [kernel ").append(r.kernel()).append("]\n");
        b.append("setup:\n");
        for (String l : r.built().setupLog()) {
            b.append("  | ").append(l).append('\n');
        }
        if (r.events().isEmpty() && r.notRun().isEmpty()) {
            b.append("no events\n");
        }
        for (RunResult.EventRun e : r.events()) {
            b.append("event ").append(e.index()).append(": ").append(e.kind());
            Result res = e.result();
            if (res == null) {
                b.append(e.skipped() != null ? " — not applied: " + e.skipped() : "").append('\n');
                for (String l : e.log()) {
                    b.append("  | ").append(l).append('\n');
                }
                continue;
            }
            Outcome o = res.outcome();
            if (o.address() != null) {
                b.append(" at pfn ").append(Units.hex(o.address().pfn()));
                if (o.address().agno() != null) {
                    b.append(" (AG ").append(o.address().agno()).append(" agbno ").append(o.address().agbno())
                            .append(')');
                }
                if (o.length() > Units.PAGE_SIZE) {
                    b.append(", ").append(o.length() / Units.PAGE_SIZE).append(" pages");
                }
            }
            b.append('\n');
            b.append("  path: ").append(String.join(" → ", o.path())).append('\n');
            for (Outcome.Owner ow : o.owners()) {
                b.append("  owner: ").append(ow.type());
                if (ow.ino() != null) {
                    b.append(' ').append(ow.ino()).append(' ').append(ow.path()).append(" (").append(ow.fork())
                            .append(" fork, offset ").append(ow.fileOffset()).append(ow.shared() ? ", shared" : "")
                            .append(')');
                }
                b.append('\n');
            }
            if (o.signals().isEmpty()) {
                b.append("  signals: none\n");
            }
            for (Outcome.Signal s : o.signals()) {
                b.append("  signal: ").append(s.signal()).append(' ').append(s.code()).append(" to ").append(s.comm())
                        .append(':').append(s.pid()).append(" at ").append(Units.hex(s.addr())).append(" (lsb ")
                        .append(s.addrLsb()).append(") for ").append(s.cause()).append('\n');
            }
            if (o.oops() != null) {
                b.append("  OOPS in ").append(o.oops().function()).append(": ").append(o.oops().message()).append('\n');
            }
            b.append("  shutdown: ").append(o.shutdown() == null ? "none" : o.shutdown().reason()).append('\n');
            b.append("  result: ").append(o.result() == null ? "(no recovery action line)" : o.result())
                    .append(o.oops() != null ? ", no return code (the kernel crashed)" : ", return code "
                            + o.returnCode()).append('\n');
            for (String l : o.log()) {
                b.append("  | ").append(l).append('\n');
            }
        }
        if (!r.notRun().isEmpty()) {
            b.append("events ").append(r.notRun()).append(" did not run: the kernel crashed before them\n");
        }
        b.append("final:");
        if (r.finalWorld().hasFs()) {
            b.append(" filesystem ").append(r.finalWorld().fs().state().id());
            if (r.finalWorld().fs().shutdownReason() != null) {
                b.append(" (").append(r.finalWorld().fs().shutdownReason()).append(')');
            }
            b.append(';');
        }
        for (Process p : r.finalWorld().processes()) {
            b.append(' ').append(p.comm()).append(':').append(p.pid()).append(' ').append(p.state().id()).append(';');
        }
        long poisoned = r.finalWorld().pages().values().stream().filter(s -> s.hwpoison()).count();
        b.append(" HWPoison pages: ").append(poisoned).append('\n');
        return b.toString();
    }
}
