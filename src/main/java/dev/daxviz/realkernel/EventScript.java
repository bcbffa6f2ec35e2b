package dev.daxviz.realkernel;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.Address;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.realkernel.GuestPlan.PageRole;
import dev.daxviz.realkernel.GuestPlan.PlannedEvent;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.Scenario;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events half of a plan. Each event is framed by {@code event_begin}/{@code event_end} (which syncs every live
 * mapper and collects the kernel's new lines); a poison is one injection per page, each page located by its role.
 * Sources: {@code mce} and {@code inject} write the pfn to debugfs corrupt-pfn (the same path from
 * {@code memory_failure} on), {@code madvise} is done by the process itself, {@code consume} is approximated by a
 * madvise from the consuming process (no real consumption exists: a software injection only marks the page, and
 * TCG raises no machine check on a load).
 */
final class EventScript {
    private final RunResult sim;
    private final Scenario s;
    private final MachineLayout machine;
    private final Map<Integer, Integer> mapperOf;
    private final List<FidelityNote> notes;
    private final Map<Integer, World> before;
    private final Set<String> rwMaps = new HashSet<>();
    private final List<PlannedEvent> planned = new ArrayList<>();
    /** Per poisoned page of the plan, the madvise target (null for an injection), in planned order. */
    private final List<List<RoleResolver.MadviseTarget>> madvise = new ArrayList<>();

    EventScript(RunResult sim, MachineLayout machine, Map<Integer, Integer> mapperOf, List<FidelityNote> notes) {
        this.sim = sim;
        this.s = sim.built().scenario();
        this.machine = machine;
        this.mapperOf = mapperOf;
        this.notes = notes;
        this.before = GuestTranslator.worldsBefore(sim);
    }

    /** Resolves every event (roles of poisoned pages, refusals) and notes its fidelity. */
    List<PlannedEvent> plan() {
        for (BuiltScenario.Step step : sim.built().steps()) {
            Scenario.EventDef def = step.def();
            String item = "events[" + def.index() + "] " + def.kind();
            World w = before.get(def.index());
            List<PageRole> pages = new ArrayList<>();
            List<RoleResolver.MadviseTarget> targets = new ArrayList<>();
            try {
                if (step instanceof BuiltScenario.FailureStep f && f.event() instanceof FailureEvent.Poison p) {
                    poison(item, w, p, pages, targets);
                } else {
                    notes.add(modelEvent(item, def, w));
                }
            } catch (Refusal r) {
                notes.add(FidelityNote.refused(item, r.getMessage()));
            }
            planned.add(new PlannedEvent(def.index(), def.kind(), pages));
            madvise.add(targets);
        }
        return planned;
    }

    private void poison(String item, World w, FailureEvent.Poison p, List<PageRole> pages,
                        List<RoleResolver.MadviseTarget> targets) {
        RoleResolver roles = new RoleResolver(w, machine);
        Process proc = p.pid() == null ? null : w.process(p.pid()).orElse(null);
        boolean byProcess = p.source() == FailureEvent.Source.MADVISE || p.source() == FailureEvent.Source.CONSUME;
        List<String> approx = new ArrayList<>();
        for (long k = 0; k < p.pages(); k++) {
            long pfn = p.pfn() + k;
            PageRole r = roles.resolve(pfn);
            pages.add(r);
            if (r.fidelity() == Fidelity.APPROXIMATE) {
                approx.add("page " + k + " (" + r.role() + "): " + r.note());
            }
            if (byProcess && proc != null) {
                if (p.source() == FailureEvent.Source.CONSUME && w.page(pfn).hwpoison()) {
                    throw new Refusal(lateReader(proc));
                }
                RoleResolver.MadviseTarget t = roles.throughMapping(proc, pfn);
                if (t == null) {
                    throw new Refusal("process " + proc.pid() + " (" + proc.comm() + ") does not map pfn "
                            + Units.hex(pfn) + " in the simulation, so it cannot madvise it");
                }
                targets.add(t);
            } else {
                targets.add(null);
            }
        }
        if (p.source() == FailureEvent.Source.CONSUME) {
            approx.add(0, "no real consumption exists: a software injection only marks the page and TCG raises no "
                    + "machine check on a load, so the consuming process madvises the page instead (it is current, "
                    + "and action required is forced either way)");
        }
        notes.add(approx.isEmpty() ? FidelityNote.exact(item + " (" + how(p.source()) + ")")
                : FidelityNote.approximate(item + " (" + how(p.source()) + ")", String.join("; ", approx)));
    }

    private static String how(FailureEvent.Source src) {
        return switch (src) {
            case MCE, INJECT -> "debugfs corrupt-pfn; its 'Injecting memory failure at pfn' line is ignored";
            case MADVISE -> "madvise(MADV_HWPOISON) by the process";
            case CONSUME -> "madvise(MADV_HWPOISON) by the consuming process";
        };
    }

    private static String lateReader(Process p) {
        return "process " + p.pid() + " (" + p.comm() + ") reads a page that is already poisoned: a late-kill mapper "
                + "reading a poisoned page later cannot be reproduced (a software-injected error cannot be consumed: "
                + "the page stays mapped and readable)";
    }

    private FidelityNote modelEvent(String item, Scenario.EventDef def, World w) {
        if (def instanceof Scenario.Touch t) {
            Process p = w.process(t.pid()).orElse(null);
            for (long o = Units.alignDown(t.offset(), Units.PAGE_SIZE); o < t.offset() + t.length(); o += Units.PAGE_SIZE) {
                Address a = w.hasFs() ? w.addressing().ofFile(t.path(), o) : null;
                if (a != null && w.page(a.pfn()).hwpoison() && p != null) {
                    throw new Refusal(lateReader(p));
                }
            }
            if (t.write()) {
                rwMaps.add(t.pid() + "\0" + t.path());
            }
            return FidelityNote.exact(item + " (a " + (t.write() ? "write" : "read") + " through the mapping)");
        }
        if (def instanceof Scenario.Remove) {
            if (GuestTranslator.devdax(s)) {
                throw new Refusal("removing a devdax namespace was not measured on a real kernel");
            }
            return FidelityNote.exact(item + " (the namespace's fsdax device is unbound from nd_pmem)");
        }
        return FidelityNote.exact(item);
    }

    /** Mappings a write touch needs writable: "pid\0path". */
    Set<String> rwMaps() {
        return rwMaps;
    }

    /** The lines that find every planned page's block when the setup is done. */
    static List<String> locateLines(List<PlannedEvent> events) {
        List<String> out = new ArrayList<>();
        for (PlannedEvent e : events) {
            for (int k = 0; k < e.pages().size(); k++) {
                out.add(locate("locate", e.index(), k, e.pages().get(k)));
            }
        }
        return out;
    }

    static String locate(String fn, int event, int page, PageRole r) {
        List<String> w = new ArrayList<>(List.of(fn, String.valueOf(event), String.valueOf(page)));
        w.addAll(r.guestRole());
        return ShellWords.line(w);
    }

    void write(StringBuilder out) {
        List<BuiltScenario.Step> steps = sim.built().steps();
        boolean layoutChanged = false;
        for (int i = 0; i < steps.size(); i++) {
            Scenario.EventDef def = steps.get(i).def();
            out.append(ShellWords.line("event_begin", String.valueOf(def.index()), (i + 1) + "/" + steps.size(),
                    def.kind())).append('\n');
            PlannedEvent pe = planned.get(i);
            if (steps.get(i) instanceof BuiltScenario.FailureStep f) {
                if (f.event() instanceof FailureEvent.Remove) {
                    out.append("remove_device\n");
                }
                for (int k = 0; k < pe.pages().size(); k++) {
                    PageRole r = pe.pages().get(k);
                    if (layoutChanged) {
                        out.append(locate("relocate", def.index(), k, r)).append('\n');
                    }
                    RoleResolver.MadviseTarget t = madvise.get(i).get(k);
                    FailureEvent.Poison p = (FailureEvent.Poison) f.event();
                    if (t == null) {
                        out.append(ShellWords.line("poison_inject", String.valueOf(def.index()), String.valueOf(k),
                                r.role())).append('\n');
                    } else {
                        out.append(ShellWords.line("poison_madvise", String.valueOf(def.index()), String.valueOf(k),
                                r.role(), String.valueOf(mapperOf.get(p.pid())), guestPath(t.path()),
                                String.valueOf(t.offset()))).append('\n');
                    }
                }
            } else {
                out.append(modelLine(def)).append('\n');
                layoutChanged |= changesLayout(def);
            }
            out.append("event_end ").append(def.index()).append('\n');
        }
    }

    /** Whether an event may move blocks, so that later poisons must find their blocks again. */
    private static boolean changesLayout(Scenario.EventDef def) {
        return def instanceof Scenario.Write || def instanceof Scenario.Punch || def instanceof Scenario.Unlink
                || def instanceof Scenario.Touch t && t.write();
    }

    private String modelLine(Scenario.EventDef def) {
        if (def instanceof Scenario.Write w) {
            if (w.pid() != null) {
                return ShellWords.line("mapper_do", String.valueOf(mapperOf.get(w.pid())), "pwrite", guestPath(w.path()),
                        String.valueOf(w.offset()), String.valueOf(w.length()));
            }
            return ShellWords.line("run", "daxhelper", "pwrite", guestPath(w.path()), String.valueOf(w.offset()),
                    String.valueOf(w.length()));
        }
        if (def instanceof Scenario.Touch t) {
            return ShellWords.line("mapper_do", String.valueOf(mapperOf.get(t.pid())), "touch", guestPath(t.path()),
                    String.valueOf(t.offset()), String.valueOf(t.length()), t.write() ? "w" : "r");
        }
        if (def instanceof Scenario.Punch p) {
            return ShellWords.line("run", "xfs_io", "-c", "fpunch " + p.offset() + " " + p.length(), guestPath(p.path()));
        }
        if (def instanceof Scenario.Unlink u) {
            return ShellWords.line("run", "rm", guestPath(u.path()));
        }
        if (def instanceof Scenario.Exit e) {
            return ShellWords.line("mapper_exit", String.valueOf(mapperOf.get(e.pid())));
        }
        throw new IllegalStateException("not a model event: " + def.kind());
    }

    private String guestPath(String path) {
        return GuestTranslator.devdax(s) ? path : "/mnt" + path;
    }
}
