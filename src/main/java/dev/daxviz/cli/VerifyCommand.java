package dev.daxviz.cli;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.realkernel.CancelToken;
import dev.daxviz.realkernel.Cancelled;
import dev.daxviz.realkernel.DiffRow;
import dev.daxviz.realkernel.FidelityNote;
import dev.daxviz.realkernel.Verifier;
import dev.daxviz.realkernel.VerifyJson;
import dev.daxviz.realkernel.VerifyOptions;
import dev.daxviz.realkernel.VerifyReport;
import dev.daxviz.scenario.Problem;
import dev.daxviz.scenario.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code daxviz verify SCENARIO --kernel 6.1|6.12 [--json] [--accel tcg|kvm|auto] [--offline] [--kernel-deb FILE]
 * [--keep-logs DIR] [--timeout S]}: boots Debian's kernel in qemu, runs the scenario there and compares it with the
 * simulation. Exit codes: 0 agree, 3 differ, 4 real kernel unavailable (or the scenario cannot run on one), 2 invalid
 * scenario, 1 internal error. Progress goes to standard error, never to standard output.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {"Check a scenario against a real kernel: "
        + "boot Debian's 6.1 or 6.12 in qemu on an emulated pmem device, run the scenario there, and show what "
        + "really happened beside the simulation.",
    "Needs qemu-system-x86, busybox-static, xfsprogs, ndctl, gcc, libc6-dev, xz-utils and zstd; the kernel package is "
        + "fetched from Debian's archive once and cached."},
        footer = {"", "Exit codes: 0 the real kernel agrees, 3 it differs, 4 no real kernel (a missing tool, no kernel "
                + "package, or a scenario no real kernel can run), 2 invalid input, 1 internal error."})
final class VerifyCommand implements Callable<Integer> {
    static final int DIFFER = 3;
    static final int UNAVAILABLE = 4;

    @Parameters(paramLabel = "SCENARIO", description = "A scenario file (.yaml or .json) or builtin:NAME.")
    String scenario;

    @Option(names = "--kernel", paramLabel = "6.1|6.12", description = "The real kernel to boot (default: the "
            + "scenario's kernel).")
    String kernel;

    @Option(names = "--json", description = "Print the report as JSON and nothing else on standard output.")
    boolean json;

    @Option(names = "--accel", paramLabel = "tcg|kvm|auto", description = "How qemu runs the guest (default tcg; auto "
            + "tries KVM under the boot deadline, then TCG).")
    String accel = "tcg";

    @Option(names = "--offline", description = "Use the newest cached kernel; never ask Debian's archive.")
    boolean offline;

    @Option(names = "--kernel-deb", paramLabel = "FILE", description = "Use this kernel package instead of "
            + "Debian's archive.")
    Path kernelDeb;

    @Option(names = "--keep-logs", paramLabel = "DIR", description = "Write the raw logs here (default: a new "
            + "folder under the cache's runs/).")
    Path keepLogs;

    @Option(names = "--timeout", paramLabel = "S", description = "Deadline of the whole guest run in seconds "
            + "(default 300).")
    Integer timeout;

    @Option(names = "--boot-timeout", paramLabel = "S", description = "Seconds the guest may take to start "
            + "(default 60).")
    Integer bootTimeout;

    @Option(names = "--cache", paramLabel = "DIR", hidden = true, description = "The cache folder.")
    Path cache;

    @Option(names = "--qemu", paramLabel = "PATH", hidden = true, description = "The qemu binary (tests).")
    Path qemu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        VerifyOptions o = options();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CancelToken cancel = new CancelToken();
        Thread main = Thread.currentThread();
        // Ctrl-C: kill qemu at once, and give the verifying thread a moment to clean up
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                main.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "daxviz-verify-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        VerifyReport r;
        try {
            r = Verifier.verify(scenario, o, (stage, detail) -> {
                err.println("[" + stage.title() + "] " + detail);
                err.flush();
            }, cancel);
        } catch (Cancelled c) {
            err.println("daxviz: verify cancelled; qemu was stopped");
            return UNAVAILABLE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C)
            }
        }
        saveReport(r, err);
        if (json) {
            out.print(VerifyJson.write(r));
        } else {
            out.print(human(r));
        }
        out.flush();
        switch (r.verdict()) {
            case AGREE:
                return DaxvizCli.OK;
            case DIFFER:
                return DIFFER;
            case REFUSED:
                err.println("daxviz: " + scenario + " cannot be checked against a real kernel: " + r.error());
                return UNAVAILABLE;
            default:
                err.println("daxviz: the real kernel is not available: " + r.error());
                return UNAVAILABLE;
        }
    }

    private VerifyOptions options() {
        VerifyOptions o = VerifyOptions.defaults();
        if (kernel != null) {
            KernelProfile p = Kernels.parse(kernel);
            o = o.withKernel(p.id());
        }
        if (!List.of("tcg", "kvm", "auto").contains(accel)) {
            throw invalid("--accel", "'" + accel + "' is not an accelerator", "use tcg, kvm or auto");
        }
        o = o.withAccel(accel).withOffline(offline);
        if (kernelDeb != null) {
            if (!Files.isRegularFile(kernelDeb)) {
                throw invalid("--kernel-deb", kernelDeb + " is not a file", "name a linux-image-*.deb");
            }
            if (offline) {
                throw invalid("--kernel-deb", "--kernel-deb and --offline both choose the kernel", "give one of them");
            }
            o = o.withKernelDeb(kernelDeb.toAbsolutePath());
        }
        if (timeout != null && timeout <= 0 || bootTimeout != null && bootTimeout <= 0) {
            throw invalid(timeout != null && timeout <= 0 ? "--timeout" : "--boot-timeout", "a deadline must be a "
                    + "positive number of seconds", "e.g. --timeout 300");
        }
        o = o.withDeadlines(bootTimeout == null ? o.bootDeadline() : Duration.ofSeconds(bootTimeout),
                timeout == null ? o.runDeadline() : Duration.ofSeconds(timeout));
        if (keepLogs != null) {
            o = o.withLogsDir(keepLogs.toAbsolutePath());
        }
        if (cache != null) {
            o = o.withCacheRoot(cache.toAbsolutePath());
        }
        if (qemu != null) {
            o = o.withQemu(qemu.toAbsolutePath());
        }
        return o;
    }

    private static ScenarioException invalid(String option, String what, String fix) {
        return new ScenarioException(List.of(new Problem(option, 1, 1, "", what, fix)));
    }

    /** The report as JSON beside the raw logs. */
    private static void saveReport(VerifyReport r, PrintWriter err) {
        if (r.logs() == null) {
            return;
        }
        try {
            Files.writeString(r.logs().report(), VerifyJson.write(r));
        } catch (IOException e) {
            err.println("daxviz: could not write " + r.logs().report() + ": " + e.getMessage());
        }
    }

    static String human(VerifyReport r) {
        StringBuilder b = new StringBuilder();
        b.append(r.scenario()).append("  [kernel ").append(r.kernel().profile());
        if (r.kernel().unameR() != null) {
            b.append(": ").append(r.kernel().unameR()).append(", ").append(r.kernel().packageName()).append(' ')
                    .append(r.kernel().packageVersion());
        }
        b.append(r.accel() == null ? "" : ", " + r.accel()).append("]\n");
        b.append("verdict: ").append(verdictWords(r)).append('\n');
        if (r.error() != null) {
            b.append("why: ").append(r.error()).append('\n');
        }
        for (FidelityNote n : r.plan().notes()) {
            if (n.fidelity() != dev.daxviz.realkernel.Fidelity.EXACT) {
                b.append("  ").append(n.fidelity().id()).append(": ").append(n.item()).append(" — ").append(n.why())
                        .append('\n');
            }
        }
        String section = null;
        for (DiffRow d : r.rows()) {
            String sec = d.event() != null ? "event " + d.event() + " (" + kind(r, d.event()) + "):"
                    : d.field().startsWith("final") ? "final:" : "setup:";
            if (!sec.equals(section)) {
                section = sec;
                b.append(sec).append('\n');
            }
            b.append("  ").append(mark(d.status())).append(' ').append(d.field()).append(": ");
            if (d.simulated().equals(d.real())) {
                b.append(indent(d.simulated()));
            } else {
                b.append("simulated ").append(indent(d.simulated())).append("\n      real ").append(indent(d.real()));
            }
            if (!d.note().isEmpty() && d.status() != DiffRow.Status.SAME) {
                b.append("\n      (").append(d.note()).append(')');
            }
            b.append('\n');
        }
        if (!r.stageSeconds().isEmpty()) {
            b.append("seconds:");
            r.stageSeconds().forEach((k, v) -> b.append(' ').append(k).append(' ').append(v).append(';'));
            b.append('\n');
        }
        if (r.logs() != null) {
            b.append("raw logs: ").append(r.logs().dir()).append('\n');
        }
        return b.toString();
    }

    private static String kind(VerifyReport r, int event) {
        return r.plan().events().stream().filter(e -> e.index() == event).map(e -> e.kind()).findFirst().orElse("?");
    }

    private static String verdictWords(VerifyReport r) {
        return switch (r.verdict()) {
            case AGREE -> "the real kernel agrees with the simulation";
            case DIFFER -> "the real kernel differs from the simulation (" + r.differences().size() + " rows)";
            case REFUSED -> "not reproducible on a real kernel";
            case UNAVAILABLE -> "the real kernel could not be run";
        };
    }

    private static String mark(DiffRow.Status s) {
        return switch (s) {
            case SAME -> "=";
            case DIFFERS -> "≠";
            case APPROXIMATE -> "≈";
            case NOT_REPRODUCIBLE -> "-";
        };
    }

    private static String indent(String s) {
        return s.replace("\n", "\n        ");
    }
}
