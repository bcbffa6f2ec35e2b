package dev.daxviz.scenario;

import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Result;
import dev.daxviz.engine.TraceStep;
import dev.daxviz.engine.Touch;
import dev.daxviz.model.Address;
import dev.daxviz.model.PageState;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A scenario run as the result JSON of scenario-format.md ("Result"), field for field and in the spec's order.
 * pfns, physical addresses, device offsets and user addresses are hex strings; the output is deterministic.
 * DaxViz's optional additions: an owner's {@code agno}, a step's {@code depth}, a model event's {@code skipped}
 * reason, and {@code eventsNotRun} (events after an oops) at the end. {@code returnCode} is null for an event in
 * which the kernel crashed (memory_failure() never returned).
 */
public final class ResultJson {
    private ResultJson() {
    }

    public static String write(RunResult r) {
        return Json.write(tree(r));
    }

    public static Map<String, Object> tree(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("scenario", r.title());
        m.put("kernel", r.kernel());
        m.put("setupLog", new ArrayList<>(r.built().setupLog()));
        List<Object> events = new ArrayList<>();
        Outcome.Shutdown lastShutdown = null;
        for (RunResult.EventRun e : r.events()) {
            events.add(event(e));
            if (e.result() != null && e.result().outcome().shutdown() != null) {
                lastShutdown = e.result().outcome().shutdown();
            }
        }
        m.put("events", events);
        m.put("final", fin(r.finalWorld(), lastShutdown));
        if (!r.notRun().isEmpty()) {
            m.put("eventsNotRun", new ArrayList<>(r.notRun()));
        }
        return m;
    }

    static Map<String, Object> event(RunResult.EventRun e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", e.index());
        m.put("kind", e.kind());
        Result res = e.result();
        if (res == null) {
            m.put("log", new ArrayList<>(e.log()));
            if (e.skipped() != null) {
                m.put("skipped", e.skipped());
            }
            return m;
        }
        Outcome o = res.outcome();
        m.put("address", o.address() == null ? null : address(o.address(), o.length()));
        m.put("path", new ArrayList<>(o.path()));
        List<Object> owners = new ArrayList<>();
        for (Outcome.Owner ow : o.owners()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("type", ow.type());
            x.put("ino", ow.ino());
            x.put("path", ow.path());
            x.put("fork", ow.fork());
            x.put("fileOffset", ow.fileOffset());
            x.put("shared", ow.shared());
            x.put("agno", ow.agno());
            owners.add(x);
        }
        m.put("owners", owners);
        m.put("page", o.page() == null ? null : page(o.page()));
        List<Object> signals = new ArrayList<>();
        for (Outcome.Signal s : o.signals()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("pid", s.pid());
            x.put("comm", s.comm());
            x.put("signal", s.signal());
            x.put("code", s.code());
            x.put("addr", Units.hex(s.addr()));
            x.put("addrLsb", s.addrLsb());
            x.put("cause", s.cause());
            signals.add(x);
        }
        m.put("signals", signals);
        m.put("oops", o.oops() == null ? null : ordered("function", o.oops().function(), "message",
                o.oops().message()));
        m.put("shutdown", o.shutdown() == null ? null : ordered("reason", o.shutdown().reason(), "message",
                o.shutdown().message()));
        // after an oops or a panic memory_failure() never returned: no return code
        m.put("returnCode", o.oops() != null ? null : o.returnCode());
        m.put("result", o.result());
        m.put("log", new ArrayList<>(o.log()));
        List<Object> steps = new ArrayList<>();
        for (TraceStep st : res.trace()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("function", st.function());
            x.put("file", st.file());
            x.put("narration", st.narration());
            List<Object> touches = new ArrayList<>();
            for (Touch t : st.touches()) {
                touches.add(new LinkedHashMap<>(t.fields()));
            }
            x.put("touches", touches);
            x.put("depth", st.depth());
            steps.add(x);
        }
        m.put("steps", steps);
        return m;
    }

    static Map<String, Object> address(Address a, long length) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pfn", Units.hex(a.pfn()));
        m.put("physAddr", Units.hex(a.physAddr()));
        m.put("deviceOffset", a.deviceOffset() == null ? null : Units.hex(a.deviceOffset()));
        m.put("daddr", a.daddr());
        m.put("agno", a.agno());
        m.put("agbno", a.agbno());
        m.put("length", length);
        return m;
    }

    static Map<String, Object> page(Outcome.PageReport p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pfn", Units.hex(p.pfn()));
        m.put("hwpoison", p.hwpoison());
        m.put("shared", p.shared());
        m.put("shareCount", p.shareCount());
        m.put("mapping", p.mapping());
        m.put("index", p.index());
        return m;
    }

    static Map<String, Object> fin(World w, Outcome.Shutdown last) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (w.hasFs() && w.fs().isShutdown()) {
            String reason = w.fs().shutdownReason();
            String msg = last != null && last.reason().equals(reason) ? last.message() : null;
            m.put("shutdown", ordered("reason", reason, "message", msg));
        } else {
            m.put("shutdown", null);
        }
        List<Object> procs = new ArrayList<>();
        for (Process p : w.processes()) {
            procs.add(ordered("pid", p.pid(), "comm", p.comm(), "state", p.state().id()));
        }
        m.put("processes", procs);
        TreeSet<Long> poisoned = new TreeSet<>();
        for (Map.Entry<Long, PageState> e : w.pages().entrySet()) {
            if (e.getValue().hwpoison()) {
                poisoned.add(e.getKey());
            }
        }
        List<Object> pfns = new ArrayList<>();
        for (long p : poisoned) {
            pfns.add(Units.hex(p));
        }
        m.put("hwpoisonPfns", pfns);
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
