package dev.daxviz.realkernel;

import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.realkernel.GuestPlan.PlannedEvent;
import dev.daxviz.realkernel.GuestPlan.PlannedMapper;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.Scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid scenario, run by the simulation, turned into a {@link GuestPlan}: the setup (namespaces, mkfs and mount,
 * files, mappers) and the events as calls of the guest's init.sh functions, and a fidelity note per item following
 * the "Scenario → guest" table of the issue. Items no reachable kernel can reproduce are refused with the reason
 * (the plan is then {@link GuestPlan#refused()}).
 *
 * <p>The simulated run is needed, not only the scenario: a poison's pfn is carried over by its role in the world
 * as it is just before that event ({@link RoleResolver}).
 */
public final class GuestTranslator {
    /** The kernels Debian ships that the guest can boot: DaxViz profiles with a real counterpart. */
    public static final List<String> REAL_KERNELS = List.of("6.1", "6.12");

    private GuestTranslator() {
    }

    public static GuestPlan translate(RunResult sim) {
        BuiltScenario b = sim.built();
        Scenario s = b.scenario();
        List<FidelityNote> notes = new ArrayList<>();
        KernelProfile p = b.profile();
        if (!REAL_KERNELS.contains(p.id())) {
            notes.add(FidelityNote.refused("kernel " + p.id(), "no kernel before 5.19 is within Debian's reach (the "
                    + "real check boots Debian's 6.1 or 6.12); check this scenario with --kernel 6.1 or --kernel 6.12"));
        } else {
            notes.add(FidelityNote.exact("kernel " + p.id()));
        }
        MachineLayout machine;
        try {
            machine = MachineLayout.of(b.world());
            notes.add(FidelityNote.exact("device " + s.device().name() + " (" + Units.human(s.device().size()) + ", "
                    + s.device().mode().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        } catch (Refusal r) {
            notes.add(FidelityNote.refused("device " + s.device().name() + " (" + Units.human(s.device().size()) + ")",
                    r.getMessage()));
            return new GuestPlan(s.title(), p.id(), "", null, notes, List.of(), List.of());
        }
        Map<Integer, Integer> mapperOf = new HashMap<>();
        List<PlannedMapper> mappers = new ArrayList<>();
        for (int i = 0; i < s.processes().size(); i++) {
            Scenario.ProcessDef pd = s.processes().get(i);
            mapperOf.put(pd.pid(), i + 1);
            mappers.add(new PlannedMapper(i + 1, pd.pid(), pd.comm()));
        }
        StringBuilder script = new StringBuilder();
        script.append("# plan for \"").append(s.title().replace('\n', ' ')).append("\", kernel ").append(p.id())
                .append(" (written by DaxViz's GuestTranslator)\n");
        EventScript ev = new EventScript(sim, machine, mapperOf, notes);
        List<PlannedEvent> events = ev.plan();
        new SetupScript(b, machine, mapperOf, ev.rwMaps(), notes, script).write(EventScript.locateLines(events));
        ev.write(script);
        return new GuestPlan(s.title(), p.id(), script.toString(), machine, notes, events, mappers);
    }

    /** The worlds just before each event: the simulation's run, threaded. */
    static Map<Integer, World> worldsBefore(RunResult sim) {
        Map<Integer, World> before = new HashMap<>();
        World prev = sim.built().world();
        for (RunResult.EventRun e : sim.events()) {
            before.put(e.index(), prev);
            prev = e.worldAfter();
        }
        for (int i : sim.notRun()) {
            before.put(i, prev);
        }
        return before;
    }

    /** mkfs.xfs's words for the filesystem of a world (without the device). */
    static List<String> mkfsArgs(Scenario.FsDef fs, long size, MachineLayout m, boolean stripes) {
        List<String> a = new ArrayList<>();
        a.add("-d");
        a.add("agcount=" + fs.agCount() + ",size=" + size + (stripes ? ",su=2m,sw=1" : ""));
        a.add("-m");
        a.add("reflink=" + (fs.reflink() ? 1 : 0) + ",rmapbt=" + (fs.rmapbt() ? 1 : 0));
        if (fs.externalLog()) {
            a.add("-l");
            a.add("logdev=/dev/pmem" + m.namespace("log"));
        }
        if (fs.realtime()) {
            a.add("-r");
            a.add("rtdev=/dev/pmem" + m.namespace("rt") + ",size=" + m.region("rt").deviceSize());
        }
        return a;
    }

    /** The mount options of a world's filesystem. */
    static String mountOptions(Scenario.FsDef fs, MachineLayout m) {
        StringBuilder o = new StringBuilder("dax=" + fs.dax().id());
        if (fs.externalLog()) {
            o.append(",logdev=/dev/pmem").append(m.namespace("log"));
        }
        if (fs.realtime()) {
            o.append(",rtdev=/dev/pmem").append(m.namespace("rt"));
        }
        return o.toString();
    }

    static boolean devdax(Scenario s) {
        return s.device().mode() == DeviceMode.DEVDAX;
    }
}
