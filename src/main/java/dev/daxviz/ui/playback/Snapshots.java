package dev.daxviz.ui.playback;

import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Touch;
import dev.daxviz.engine.TraceStep;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.ui.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The snapshot function: what to show at (step, time within step). No engine logic runs here. */
public final class Snapshots {
    private Snapshots() {
    }

    /** Smooth in and out (cubic), for motion within a step. */
    public static float ease(float x) {
        float t = Math.max(0f, Math.min(1f, x));
        return t < 0.5f ? 4 * t * t * t : 1 - (float) Math.pow(-2 * t + 2, 3) / 2;
    }

    public static PlaybackSnapshot at(Timeline tl, int step, float t) {
        Session.State st = tl.state();
        if (tl.isEmpty() || step < 0) {
            // before the first step of a trace: the world as loaded; with no trace at all: the world now
            return idle(tl, tl.isEmpty() ? st.world() : st.initial(), -1);
        }
        int k = Math.min(step, tl.size() - 1);
        Timeline.Entry cur = tl.get(k);
        Session.EventEntry ev = st.events().get(cur.event());
        List<TraceStep> trace = ev.result().trace();
        // call chain: the frames at depth < current depth are the latest steps at those depths
        List<PlaybackSnapshot.Frame> stack = new ArrayList<>();
        for (int s = 0; s <= cur.step(); s++) {
            TraceStep ts = trace.get(s);
            while (stack.size() > ts.depth()) {
                stack.remove(stack.size() - 1);
            }
            while (stack.size() < ts.depth()) {
                stack.add(new PlaybackSnapshot.Frame("…", ""));
            }
            stack.add(new PlaybackSnapshot.Frame(ts.function(), ts.file()));
        }
        List<String> dmesg = new ArrayList<>(st.setupLog());
        for (int e = 0; e < cur.event(); e++) {
            dmesg.addAll(st.events().get(e).log());
        }
        Set<String> visited = new LinkedHashSet<>();
        Set<RmapRecord> matched = new LinkedHashSet<>();
        Map<Integer, String> badges = new HashMap<>();
        Set<Integer> killed = new HashSet<>();
        String banner = bannerBefore(st, cur.event());
        int agno = -1;
        collectSignals(st, cur.event(), badges, killed);
        for (int s = 0; s <= cur.step(); s++) {
            TraceStep ts = trace.get(s);
            dmesg.addAll(ts.log());
            for (Touch touch : ts.touches()) {
                if (touch instanceof Touch.BtreeNode n) {
                    if (n.agno() != agno) {
                        visited.clear();
                        agno = n.agno();
                    }
                    visited.add(n.node());
                } else if (touch instanceof Touch.RmapRec r) {
                    matched.add(r.record());
                } else if (touch instanceof Touch.Process p && p.signal() != null) {
                    badges.put(p.pid(), p.signal().endsWith("AR") ? "AR" : "AO");
                    ev.result().worldAfter().process(p.pid()).filter(x -> !x.alive()).ifPresent(x -> killed.add(x.pid()));
                }
            }
            if (!ts.log().isEmpty() && ts.function().equals("xfs_force_shutdown")) {
                banner = "Filesystem shut down: " + shutdownOf(ev.result().outcome());
            }
            if (ts.log().stream().anyMatch(l -> l.startsWith("BUG:") || l.startsWith("Kernel panic"))) {
                banner = "Kernel crashed: " + ts.log().get(0);
            }
        }
        String currentNode = null;
        List<PlaybackSnapshot.Range> glow = new ArrayList<>();
        Set<Long> files = new HashSet<>();
        World shown = cur.step() == trace.size() - 1 ? ev.after() : ev.before();
        for (Touch touch : cur.trace().touches()) {
            if (touch instanceof Touch.BtreeNode n) {
                currentNode = n.node();
            } else if (touch instanceof Touch.Page p) {
                glow.add(new PlaybackSnapshot.Range(p.pfn(), p.pfn() + 1));
            } else if (touch instanceof Touch.Extent x) {
                long pfn = shown.device().pfnOfOffset(x.fsblock() * Units.PAGE_SIZE);
                glow.add(new PlaybackSnapshot.Range(pfn, pfn + x.blockcount()));
                files.add(x.ino());
            } else if (touch instanceof Touch.Inode i) {
                files.add(i.ino());
            } else if (touch instanceof Touch.PageEntry pe) {
                files.add(pe.ino());
            }
        }
        Set<Long> poisoned = new HashSet<>();
        shown.pages().forEach((pfn, ps) -> {
            if (ps.hwpoison()) {
                poisoned.add(pfn);
            }
        });
        for (int s = 0; s <= cur.step(); s++) {
            TraceStep ts = trace.get(s);
            if (ts.function().startsWith("dax_lock")) {
                for (Touch touch : ts.touches()) {
                    if (touch instanceof Touch.Page p && ev.after().page(p.pfn()).hwpoison()) {
                        poisoned.add(p.pfn());
                    }
                }
            }
        }
        Outcome o = ev.result().outcome();
        long pulse = o.address() != null ? o.address().pfn() : -1;
        return new PlaybackSnapshot(k, tl.size(), t, cur.trace(), List.copyOf(stack), cur.trace().narration(),
                List.copyOf(dmesg), shown, agno, Set.copyOf(visited), currentNode, Set.copyOf(matched), List.copyOf(glow),
                litForms(cur.trace().function()), Set.copyOf(files), Map.copyOf(badges), Set.copyOf(killed), banner, pulse,
                ev.label(), cur.event(), Set.copyOf(poisoned));
    }

    /** The snapshot after everything: the final world, every signal, the last banner. */
    public static PlaybackSnapshot end(Timeline tl) {
        return tl.isEmpty() ? idle(tl, tl.state().world(), -1) : at(tl, tl.size() - 1, 1f);
    }

    private static PlaybackSnapshot idle(Timeline tl, World w, int step) {
        Session.State st = tl.state();
        List<String> dmesg = new ArrayList<>(st.setupLog());
        Map<Integer, String> badges = new HashMap<>();
        Set<Integer> killed = new HashSet<>();
        String banner = bannerBefore(st, 0);
        if (step >= 0 || tl.isEmpty()) {
            for (Session.EventEntry e : st.events()) {
                dmesg.addAll(e.log());
            }
            collectSignals(st, st.events().size(), badges, killed);
            banner = bannerBefore(st, st.events().size());
        }
        String narration = st.scenario().description() == null || st.scenario().description().isBlank()
                ? "Click a page to inspect it; poison it to watch the failure travel."
                : st.scenario().description().strip();
        Set<Long> poisoned = new HashSet<>();
        w.pages().forEach((pfn, ps) -> {
            if (ps.hwpoison()) {
                poisoned.add(pfn);
            }
        });
        return new PlaybackSnapshot(step, tl.size(), 1f, null, List.of(), narration, List.copyOf(dmesg), w, -1,
                Set.of(), null, Set.of(), List.of(), Set.of(), Set.of(), Map.copyOf(badges), Set.copyOf(killed), banner,
                -1, "", -1, Set.copyOf(poisoned));
    }

    private static void collectSignals(Session.State st, int beforeEvent, Map<Integer, String> badges,
                                       Set<Integer> killed) {
        for (int e = 0; e < beforeEvent && e < st.events().size(); e++) {
            Session.EventEntry ev = st.events().get(e);
            if (ev.result() == null) {
                continue;
            }
            for (Outcome.Signal s : ev.result().outcome().signals()) {
                badges.put(s.pid(), s.actionRequired() ? "AR" : "AO");
            }
            ev.after().processes().stream().filter(p -> p.state() == dev.daxviz.model.Process.State.KILLED)
                    .forEach(p -> killed.add(p.pid()));
        }
    }

    private static String bannerBefore(Session.State st, int beforeEvent) {
        String banner = st.initial().hasFs() && st.initial().fs().isShutdown()
                ? "Filesystem shut down before the first event (" + st.initial().fs().shutdownReason() + ")" : null;
        for (int e = 0; e < beforeEvent && e < st.events().size(); e++) {
            Session.EventEntry ev = st.events().get(e);
            if (ev.result() == null) {
                continue;
            }
            Outcome o = ev.result().outcome();
            if (o.shutdown() != null) {
                banner = "Filesystem shut down: " + shutdownOf(o);
            }
            if (o.oops() != null) {
                banner = "Kernel crashed: " + o.oops().message();
            }
        }
        return banner;
    }

    private static String shutdownOf(Outcome o) {
        return o.shutdown() == null ? "" : o.shutdown().reason();
    }

    private static Set<String> litForms(String function) {
        return switch (function) {
            case "memory_failure" -> Set.of("pfn", "phys");
            case "pmem_pgmap_memory_failure" -> Set.of("offset", "daddr");
            case "xfs_dax_notify_ddev_failure" -> Set.of("daddr", "fsblock", "ag");
            case "xfs_rmap_query_range", "xfs_dax_failure_fn" -> Set.of("ag", "file");
            default -> Set.of();
        };
    }
}
