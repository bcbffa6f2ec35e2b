package dev.daxviz.realkernel;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Outcome;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.Process;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.realkernel.DiffRow.Status;
import dev.daxviz.realkernel.GuestPlan.PageRole;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The simulation beside the real run, as {@link DiffRow}s: per event whether it ran, where each poisoned page was
 * found, return code, result word, shutdown, oops, every signal (process by name, file, file offset, code, lsb, in
 * the kernel's order) and the kernel lines as templates; then the setup's kernel lines, the geometry of both
 * filesystems, and each process's final state. Pfns, pids, addresses and inode numbers are never compared.
 */
public final class Comparison {
    private final RunResult sim;
    private final GuestPlan plan;
    private final RealRun real;
    private final Map<Integer, World> before;
    private final List<DiffRow> rows = new ArrayList<>();

    private Comparison(RunResult sim, GuestPlan plan, RealRun real) {
        this.sim = sim;
        this.plan = plan;
        this.real = real;
        this.before = GuestTranslator.worldsBefore(sim);
    }

    public static List<DiffRow> compare(RunResult sim, GuestPlan plan, RealRun real) {
        Comparison c = new Comparison(sim, plan, real);
        c.setup();
        List<BuiltScenario.Step> steps = sim.built().steps();
        for (int i = 0; i < steps.size(); i++) {
            c.event(steps.get(i), plan.events().get(i));
        }
        c.finalStates();
        return List.copyOf(c.rows);
    }

    /** Whether the real kernel agrees with the simulation: no row differs. */
    public static boolean agree(List<DiffRow> rows) {
        return rows.stream().noneMatch(r -> r.status() == Status.DIFFERS);
    }

    private void setup() {
        if (!real.errors().isEmpty()) {
            row(null, "guest setup", "ok", String.join("; ", real.errors()), Status.DIFFERS,
                    "the guest could not build the scenario's world");
        }
        List<String> s = LogNormaliser.templates(sim.built().setupLog(), true);
        List<String> r = LogNormaliser.templates(real.setupLog(), true);
        row(null, "setup log", lines(s), lines(r), s.equals(r) ? Status.SAME : Status.DIFFERS, "");
        World w = sim.built().world();
        if (w.hasFs() && !real.geometry().isEmpty()) {
            Geometry g = w.fs().geometry();
            info("geometry agblocks", String.valueOf(g.agblocks()), str(real.geometry().get("agblocks")));
            info("geometry log start", g.hasInternalLog() ? "AG " + g.logAgno() + " block " + g.logAgbno() : "external",
                    realLogStart());
            List<String> si = new ArrayList<>();
            for (Inode i : w.fs().inodes().values()) {
                if (i.isRegular() && si.size() < 4) {
                    si.add(i.path() + " " + i.ino());
                }
            }
            List<String> ri = new ArrayList<>();
            real.inodes().forEach((p, ino) -> {
                if (ri.size() < 4) {
                    ri.add(p + " " + ino);
                }
            });
            row(null, "geometry first inodes", String.join(", ", si), String.join(", ", ri),
                    si.equals(ri) ? Status.SAME : Status.APPROXIMATE, "the guest's directories take inode numbers too; "
                            + "owners are compared by path");
        }
    }

    private String realLogStart() {
        Long start = real.geometry().get("logstart");
        Long agblklog = real.geometry().get("agblklog");
        if (start == null || agblklog == null) {
            return "?";
        }
        if (start == 0) {
            return "external";
        }
        return "AG " + (start >> agblklog) + " block " + (start & ((1L << agblklog) - 1));
    }

    private void info(String field, String s, String r) {
        row(null, field, s, r, Objects.equals(s, r) ? Status.SAME : Status.APPROXIMATE,
                "a layout detail: poisons are carried over by role, not by block number");
    }

    private void event(BuiltScenario.Step step, GuestPlan.PlannedEvent pe) {
        Scenario.EventDef def = step.def();
        int idx = def.index();
        RunResult.EventRun se = sim.events().stream().filter(e -> e.index() == idx).findFirst().orElse(null);
        RealRun.Event re = real.events().stream().filter(e -> e.index() == idx).findFirst().orElse(null);
        boolean simRan = se != null;
        boolean realRan = re != null;
        if (!simRan || !realRan) {
            row(idx, "ran", simRan ? "yes" : "no (the simulated kernel crashed before it)", realRan ? "yes"
                    : "no" + (real.stop() != null ? " (the guest stopped: " + real.stop() + ")" : ""),
                    simRan == realRan ? Status.SAME : Status.DIFFERS, "");
            if (!simRan || !realRan) {
                return;
            }
        }
        if (step instanceof BuiltScenario.FailureStep f) {
            failure(idx, f.event(), se, re, pe);
        } else {
            model(idx, se, re);
        }
    }

    private void failure(int idx, FailureEvent ev, RunResult.EventRun se, RealRun.Event re, GuestPlan.PlannedEvent pe) {
        if (se.result() == null) {
            row(idx, "ran", "skipped: " + se.skipped(), re.pages().isEmpty() ? "skipped" : "ran", re.pages().isEmpty()
                    ? Status.SAME : Status.DIFFERS, "");
            return;
        }
        Outcome o = se.result().outcome();
        boolean poison = ev instanceof FailureEvent.Poison;
        FailureEvent.Source src = poison ? ((FailureEvent.Poison) ev).source() : null;
        for (int k = 0; k < pe.pages().size(); k++) {
            PageRole r = pe.pages().get(k);
            RealRun.Page rp = k < re.pages().size() ? re.pages().get(k) : null;
            String s = "pfn " + dev.daxviz.model.Units.hex(r.simPfn()) + ": " + r.role();
            String rv = rp == null ? "not reached" : rp.pfn() == null ? "not found" : "pfn " + rp.pfn() + ": " + r.role()
                    + ("exact".equals(rp.how()) ? "" : " (" + rp.how() + ")");
            Status st = rp == null || rp.pfn() == null ? Status.DIFFERS
                    : r.fidelity() == Fidelity.EXACT && "exact".equals(rp.how()) ? Status.SAME : Status.APPROXIMATE;
            row(idx, "page " + k + " location", s, rv, st, st == Status.APPROXIMATE ? (r.note().isEmpty()
                    ? "the guest found the role's block " + (rp == null ? "" : rp.how()) : r.note()) : "");
        }
        if (poison) {
            String rc = re.returnCode() == null ? null : String.valueOf(re.returnCode());
            Status st = Objects.equals(o.returnCode() == null ? null : String.valueOf(o.returnCode()), rc) ? Status.SAME
                    : rc == null && re.oops() == null ? Status.APPROXIMATE : Status.DIFFERS;
            row(idx, "returnCode", str(o.returnCode()), rc == null ? (re.oops() != null ? "none (the kernel crashed)"
                    : "unknown") : rc, st, st == Status.APPROXIMATE ? "the injecting process died of its SIGBUS before "
                    + "madvise returned" : "");
        } else {
            row(idx, "returnCode", str(o.returnCode()), "not visible", Status.NOT_REPRODUCIBLE, "kill_dax ignores the "
                    + "holder's notify_failure return; user space never sees it");
        }
        compareValue(idx, "result", o.result(), re.result());
        compareValue(idx, "shutdown", o.shutdown() == null ? "none" : o.shutdown().reason(),
                re.shutdown() == null ? "none" : re.shutdown());
        compareValue(idx, "oops", o.oops() == null ? "none" : o.oops().function() + ": "
                + LogNormaliser.template(o.oops().message()), re.oops() == null ? "none" : re.oops().function() + ": "
                + LogNormaliser.template(re.oops().message()));
        List<RealRun.Signal> again = repeatsToTheDying(re.signals());
        List<RealRun.Signal> once = new ArrayList<>(re.signals());
        again.forEach(once::remove);
        signals(idx, o, once);
        if (!again.isEmpty()) {
            row(idx, "signals again", "none", again.size() + " more kernel line(s): " + String.join(", ",
                    again.stream().map(RealRun.Signal::comm).toList()), Status.APPROXIMATE, DYING);
        }
        boolean drop = poison && src != FailureEvent.Source.MADVISE;
        List<String> s = LogNormaliser.templates(o.log(), drop);
        List<String> r = LogNormaliser.templates(re.log(), drop);
        List<String> rOnce = withoutRepeats(r, again);
        Status logStatus = s.equals(r) ? Status.SAME : s.equals(rOnce) ? Status.APPROXIMATE : Status.DIFFERS;
        row(idx, "log", lines(s), lines(r), logStatus, (drop ? "the 'Injecting memory failure' line of the software "
                + "injection is left out" : "") + (logStatus == Status.APPROXIMATE ? (drop ? "; " : "") + DYING : ""));
        if (poison && o.page() != null) {
            row(idx, "page.hwpoison", String.valueOf(o.page().hwpoison()), "not visible", Status.NOT_REPRODUCIBLE,
                    "user space cannot read PG_hwpoison of a device page (/proc/kpageflags skips ZONE_DEVICE pages)");
        }
    }

    private static final String DYING = "a process that dies of its SIGBUS had not run yet when the kernel found it "
            + "again (at the next page or owner); the simulation signals it once (kernel-semantics.md §9)";

    /**
     * The kernel's further "Sending SIGBUS" lines to a process that dies of SIGBUS, already signalled in this event
     * and not delivered again (no handler report): it had not run, so it had not died yet.
     */
    private List<RealRun.Signal> repeatsToTheDying(List<RealRun.Signal> signals) {
        List<RealRun.Signal> out = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (RealRun.Signal s : signals) {
            if (!seen.add(s.pid()) && s.code() == null && dies(s.mapper())) {
                out.add(s);
            }
        }
        return out;
    }

    private boolean dies(int mapper) {
        if (mapper < 1 || mapper > plan.mappers().size()) {
            return false;
        }
        int pid = plan.mappers().get(mapper - 1).pid();
        return sim.built().world().process(pid).map(p -> p.onSigbus() == Process.OnSigbus.DIE).orElse(false);
    }

    /** The log without one "Sending SIGBUS" line per repeated signal. */
    private static List<String> withoutRepeats(List<String> log, List<RealRun.Signal> again) {
        List<String> out = new ArrayList<>(log);
        for (RealRun.Signal s : again) {
            String line = LogNormaliser.template("Memory failure: 0x0000: Sending SIGBUS to " + s.comm() + ":0 due to");
            String prefix = line.substring(line.indexOf("Sending"));
            for (int i = out.size() - 1; i >= 0; i--) {
                if (out.get(i).contains(prefix)) {
                    out.remove(i);
                    break;
                }
            }
        }
        return out;
    }

    private void signals(int idx, Outcome o, List<RealRun.Signal> realSignals) {
        World w = before.get(idx);
        int n = Math.max(o.signals().size(), realSignals.size());
        if (n == 0) {
            row(idx, "signals", "none", "none", Status.SAME, "");
        }
        for (int i = 0; i < n; i++) {
            String s = i < o.signals().size() ? describe(w, o.signals().get(i)) : "—";
            RealRun.Signal rs = i < realSignals.size() ? realSignals.get(i) : null;
            String r = rs == null ? "—" : describe(rs);
            Status st = s.equals(r) ? Status.SAME : Status.DIFFERS;
            String note = "";
            if (rs != null && rs.code() == null && i < o.signals().size()
                    && GuestPlan.kernelComm(o.signals().get(i).comm()).equals(rs.comm())) {
                st = Status.APPROXIMATE;
                note = "sent (kernel line) but not delivered again: a SIGBUS already pending is not queued twice";
            }
            row(idx, "signal " + (i + 1), s, r, st, note);
        }
    }

    private static String describe(World w, Outcome.Signal s) {
        String file = s.cause();
        String off = "?";
        Process p = w == null ? null : w.process(s.pid()).orElse(null);
        if (p != null) {
            for (Vma v : p.vmas()) {
                if (s.addr() >= v.start() && s.addr() < v.start() + v.length()) {
                    file = v.path();
                    off = String.valueOf(v.fileOffset() + (s.addr() - v.start()));
                }
            }
        }
        return shortCode(s.code()) + " " + GuestPlan.kernelComm(s.comm()) + " " + file + "+" + off + " lsb " + s.addrLsb();
    }

    private static String describe(RealRun.Signal s) {
        if (s.code() == null) {
            return "? " + s.comm() + " (no handler report)";
        }
        return shortCode(s.code()) + " " + s.comm() + " " + s.file() + "+" + (s.offset() == null ? "?" : s.offset())
                + " lsb " + s.lsb();
    }

    private static String shortCode(String code) {
        return code.startsWith("BUS_MCEERR_") ? code.substring(11) : code;
    }

    private void model(int idx, RunResult.EventRun se, RealRun.Event re) {
        boolean realSkipped = re.outcomes().stream().anyMatch(x -> x.startsWith("skipped"));
        String s = se.skipped() == null ? "applied" : "skipped: " + se.skipped();
        String r = realSkipped ? "skipped" : "applied" + (re.outcomes().isEmpty() ? "" : " (" + String.join("; ",
                re.outcomes()) + ")");
        row(idx, "applied", s, r, (se.skipped() == null) != realSkipped ? Status.SAME : Status.DIFFERS, "");
        List<String> sl = LogNormaliser.templates(se.log(), true);
        List<String> rl = LogNormaliser.templates(re.log(), true);
        if (!sl.isEmpty() || !rl.isEmpty()) {
            row(idx, "log", lines(sl), lines(rl), sl.equals(rl) ? Status.SAME : Status.DIFFERS, "");
        }
    }

    private void finalStates() {
        List<Process> procs = sim.finalWorld().processes();
        for (GuestPlan.PlannedMapper m : plan.mappers()) {
            Process p = procs.stream().filter(x -> x.pid() == m.pid()).findFirst().orElse(null);
            String s = p == null ? "?" : p.state().id();
            String r = real.finalStates().get(m.index());
            if (r == null) {
                row(null, "final state " + m.comm() + ":" + m.pid(), s, "unknown", Status.NOT_REPRODUCIBLE,
                        "the guest ended before its final check" + (real.stop() != null ? " (" + real.stop() + ")" : ""));
            } else {
                row(null, "final state " + m.comm() + ":" + m.pid(), s, r, s.equals(r) ? Status.SAME : Status.DIFFERS,
                        "");
            }
        }
    }

    private void compareValue(int idx, String field, String s, String r) {
        row(idx, field, str(s), str(r), Objects.equals(s, r) ? Status.SAME : Status.DIFFERS, "");
    }

    private static String lines(List<String> l) {
        return l.isEmpty() ? "(none)" : String.join("\n", l);
    }

    private static String str(Object o) {
        return o == null ? "none" : o.toString();
    }

    private void row(Integer event, String field, String s, String r, Status st, String note) {
        rows.add(new DiffRow(event, field, s, r, st, note));
    }
}
