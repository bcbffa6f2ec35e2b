package dev.daxviz.realkernel;

import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.World;
import dev.daxviz.scenario.Json;
import dev.daxviz.scenario.ResultJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verification as JSON: the verdict, the kernel that ran (profile, {@code uname -r}, package and version), the
 * accelerator, seconds per stage, every item's fidelity, both geometries, the simulated result exactly as
 * {@code daxviz run --json} writes it, the real events in the same shape, the diff rows and the raw logs' paths.
 */
public final class VerifyJson {
    private VerifyJson() {
    }

    public static String write(VerifyReport r) {
        return Json.write(tree(r));
    }

    public static Map<String, Object> tree(VerifyReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("scenario", r.scenario());
        m.put("verdict", r.verdict().name().toLowerCase(java.util.Locale.ROOT));
        m.put("error", r.error());
        VerifyReport.KernelInfo k = r.kernel();
        m.put("kernel", k == null ? null : ordered("profile", k.profile(), "unameR", k.unameR(), "package",
                k.packageName(), "version", k.packageVersion(), "fetched", k.fetched(), "built", k.built()));
        m.put("accel", r.accel());
        m.put("stageSeconds", new LinkedHashMap<>(r.stageSeconds()));
        List<Object> fidelity = new ArrayList<>();
        for (FidelityNote n : r.plan().notes()) {
            fidelity.add(ordered("item", n.item(), "fidelity", n.fidelity().id(), "why", n.why()));
        }
        m.put("fidelity", fidelity);
        m.put("geometry", ordered("simulated", simGeometry(r.simulated().built().world()), "real",
                r.real() == null ? null : realGeometry(r.real())));
        m.put("simulated", ResultJson.tree(r.simulated()));
        m.put("real", r.real() == null ? null : real(r.real(), r.plan()));
        List<Object> diff = new ArrayList<>();
        for (DiffRow d : r.rows()) {
            diff.add(ordered("event", d.event(), "field", d.field(), "simulated", d.simulated(), "real", d.real(),
                    "status", d.status().id(), "note", d.note()));
        }
        m.put("diff", diff);
        VerifyReport.RawLogs l = r.logs();
        m.put("logs", l == null ? null : ordered("dir", str(l.dir()), "console", str(l.console()), "protocol",
                str(l.protocol()), "plan", str(l.plan()), "qemuOutput", str(l.qemuOutput()), "report", str(l.report())));
        return m;
    }

    private static Map<String, Object> simGeometry(World w) {
        if (!w.hasFs()) {
            return null;
        }
        Geometry g = w.fs().geometry();
        Map<String, Object> inodes = new LinkedHashMap<>();
        for (Inode i : w.fs().inodes().values()) {
            if (i.isRegular()) {
                inodes.put(i.path(), i.ino());
            }
        }
        return ordered("agcount", g.agcount(), "agblocks", g.agblocks(), "dblocks", g.dblocks(), "logStart",
                g.hasInternalLog() ? ordered("agno", g.logAgno(), "agbno", g.logAgbno()) : "external", "logBlocks",
                g.logBlocks(), "inodes", inodes);
    }

    private static Map<String, Object> realGeometry(RealRun r) {
        if (r.geometry().isEmpty()) {
            return null;
        }
        Map<String, Long> g = r.geometry();
        Object log = "external";
        Long start = g.get("logstart");
        Long agblklog = g.get("agblklog");
        if (start != null && start != 0 && agblklog != null) {
            log = ordered("agno", start >> agblklog, "agbno", start & ((1L << agblklog) - 1));
        }
        return ordered("agcount", g.get("agcount"), "agblocks", g.get("agblocks"), "dblocks", g.get("dblocks"),
                "logStart", log, "logBlocks", g.get("logblocks"), "inodes", new LinkedHashMap<>(r.inodes()));
    }

    private static Map<String, Object> real(RealRun r, GuestPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernelRelease", r.kernelRelease());
        m.put("complete", r.complete());
        m.put("stop", r.stop());
        m.put("errors", new ArrayList<>(r.errors()));
        m.put("setupLog", new ArrayList<>(r.setupLog()));
        m.put("stateLog", new ArrayList<>(r.stateLog()));
        List<Object> events = new ArrayList<>();
        for (RealRun.Event e : r.events()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("index", e.index());
            x.put("kind", e.kind());
            List<Object> pages = new ArrayList<>();
            for (RealRun.Page p : e.pages()) {
                pages.add(ordered("page", p.page(), "role", p.role(), "pfn", p.pfn(), "how", p.how(), "rc", p.rc()));
            }
            x.put("pages", pages);
            List<Object> signals = new ArrayList<>();
            for (RealRun.Signal s : e.signals()) {
                Integer pid = s.mapper() > 0 && s.mapper() <= plan.mappers().size()
                        ? plan.mappers().get(s.mapper() - 1).pid() : null;
                signals.add(ordered("pid", pid, "realPid", s.pid(), "comm", s.comm(), "signal", "SIGBUS", "code",
                        s.code(), "addr", s.addr(), "addrLsb", s.lsb(), "file", s.file(), "fileOffset", s.offset()));
            }
            x.put("signals", signals);
            x.put("oops", e.oops() == null ? null : ordered("function", e.oops().function(), "message",
                    e.oops().message()));
            x.put("shutdown", e.shutdown() == null ? null : ordered("reason", e.shutdown()));
            x.put("returnCode", e.returnCode());
            x.put("result", e.result());
            x.put("outcomes", new ArrayList<>(e.outcomes()));
            x.put("finished", e.finished());
            x.put("log", new ArrayList<>(e.log()));
            events.add(x);
        }
        m.put("events", events);
        List<Object> procs = new ArrayList<>();
        for (GuestPlan.PlannedMapper pm : plan.mappers()) {
            procs.add(ordered("pid", pm.pid(), "comm", pm.comm(), "state", r.finalStates().get(pm.index())));
        }
        m.put("final", ordered("processes", procs));
        return m;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
