package dev.daxviz.realkernel;

import dev.daxviz.scenario.RunResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a verification: the simulation, the real run and the rows that put them side by side.
 *
 * @param verdict      AGREE or DIFFER when the guest ran; REFUSED when the scenario cannot run on a real kernel
 *                     (the plan's refusals say why); UNAVAILABLE when the real kernel could not be run (error says why)
 * @param kernel       which kernel ran (null before it was known)
 * @param accel        how qemu ran ("tcg", "kvm"), with the reason when auto fell back
 * @param stageSeconds seconds per stage title, in order
 * @param simulated    the simulation's run (as {@code daxviz run} gives it)
 * @param plan         the guest plan, with every item's fidelity
 * @param real         what the real kernel did, or null when it did not run
 * @param rows         the side-by-side rows (empty when the guest did not run)
 * @param logs         the raw logs, or null when none were written
 * @param error        why the real kernel could not run (UNAVAILABLE), else null
 */
public record VerifyReport(Verdict verdict, String scenario, KernelInfo kernel, String accel,
                           Map<String, Double> stageSeconds, RunResult simulated, GuestPlan plan, RealRun real,
                           List<DiffRow> rows, RawLogs logs, String error) {
    public VerifyReport {
        stageSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageSeconds == null
                ? Map.of() : stageSeconds));
        rows = List.copyOf(rows);
    }

    /** The outcomes of a verification. */
    public enum Verdict { AGREE, DIFFER, REFUSED, UNAVAILABLE }

    /**
     * The kernel that ran.
     *
     * @param profile  the DaxViz profile compared ("6.1", "6.12")
     * @param unameR   {@code uname -r} in the guest (null when it did not boot)
     * @param fetched  this run downloaded or unpacked the kernel package
     * @param built    this run built the guest's base initramfs
     */
    public record KernelInfo(String profile, String unameR, String packageName, String packageVersion, boolean fetched,
                             boolean built) {
    }

    /** The raw logs of the run: kernel console, protocol port, the plan, qemu's own output, this report as JSON. */
    public record RawLogs(Path dir, Path console, Path protocol, Path plan, Path qemuOutput, Path report) {
    }

    /** The rows that differ. */
    public List<DiffRow> differences() {
        return rows.stream().filter(r -> r.status() == DiffRow.Status.DIFFERS).toList();
    }
}
