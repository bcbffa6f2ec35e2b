package dev.daxviz.ui.flow;

import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Touch;
import dev.daxviz.engine.TraceStep;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.ui.Session;
import dev.daxviz.ui.playback.PlaybackSnapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The failure's blast as a diagram for one instant: the poisoned page, the owners the kernel has found so far, the
 * processes that map each owner (with their early-kill setting), the signals sent so far and who died, and the
 * shutdown. Everything is derived from the event's trace up to the current step: nothing is re-run.
 */
public record FlowModel(String pageLabel, List<OwnerNode> owners, List<ProcNode> processes, List<int[]> edges,
                        String shutdown, String oops, boolean complete) {

    /** An owner: a file (with its offset) or metadata. {@code found}: the trace has reached it. */
    public record OwnerNode(String label, String detail, boolean file, boolean shared, boolean found) {
    }

    /** A process that maps an owner; {@code signal} "AR"/"AO" once signalled, {@code killed} once dead. */
    public record ProcNode(int pid, String label, String note, String signal, boolean killed, boolean touched) {
    }

    public static FlowModel of(Session.State st, PlaybackSnapshot snap) {
        if (snap.eventIndex() < 0) {
            return lastOrEmpty(st, snap);
        }
        Session.EventEntry ev = st.events().get(snap.eventIndex());
        int upTo = snap.current() == null ? Integer.MAX_VALUE : indexOf(ev, snap);
        return build(ev, upTo, snap.badges(), snap.killed(), snap.banner());
    }

    private static FlowModel lastOrEmpty(Session.State st, PlaybackSnapshot snap) {
        if (snap.step() < 0 && snap.total() > 0) {
            return new FlowModel(null, List.of(), List.of(), List.of(), null, null, false);
        }
        for (int e = st.events().size() - 1; e >= 0; e--) {
            Session.EventEntry ev = st.events().get(e);
            if (ev.result() != null) {
                return build(ev, Integer.MAX_VALUE, snap.badges(), snap.killed(), snap.banner());
            }
        }
        return new FlowModel(null, List.of(), List.of(), List.of(), null, null, false);
    }

    private static int indexOf(Session.EventEntry ev, PlaybackSnapshot snap) {
        List<TraceStep> t = ev.result().trace();
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i) == snap.current()) {
                return i;
            }
        }
        return t.size() - 1;
    }

    private static FlowModel build(Session.EventEntry ev, int upTo, Map<Integer, String> badges, Set<Integer> killed,
                                   String banner) {
        Outcome o = ev.result().outcome();
        World before = ev.before();
        List<TraceStep> trace = ev.result().trace();
        Set<Long> seenInodes = new HashSet<>();
        Set<Long> seenSpecial = new HashSet<>();
        for (int i = 0; i <= Math.min(upTo, trace.size() - 1); i++) {
            for (Touch t : trace.get(i).touches()) {
                if (t instanceof Touch.RmapRec r) {
                    if (r.record().isInodeOwner()) {
                        seenInodes.add(r.record().owner());
                    } else {
                        seenSpecial.add(r.record().owner());
                    }
                } else if (t instanceof Touch.PageEntry pe) {
                    seenInodes.add(pe.ino());
                }
            }
        }
        boolean complete = upTo >= trace.size() - 1;
        List<OwnerNode> owners = new ArrayList<>();
        List<Long> ownerInos = new ArrayList<>();
        Set<String> specials = new HashSet<>();
        for (Outcome.Owner w : o.owners()) {
            if (w.ino() != null && "data".equals(w.fork())) {
                boolean found = complete || seenInodes.contains(w.ino());
                owners.add(new OwnerNode(w.path(), "ino " + w.ino() + (w.fileOffset() != null ? " · +"
                        + Units.human(w.fileOffset()) : ""), true, w.shared(), found));
                ownerInos.add(w.ino());
            } else if ("device".equals(w.type())) {
                owners.add(new OwnerNode(w.path(), "device-dax mapping", true, false, true));
                ownerInos.add(-1L);
            } else if (!"null".equals(w.type()) && specials.add(w.type() + w.fork())) {
                String what = w.ino() != null ? w.path() + " (" + w.fork() + " fork)"
                        : RmapOwner.describe(RmapOwner.byTypeName(w.type()));
                boolean found = complete || (w.ino() != null ? seenInodes.contains(w.ino())
                        : seenSpecial.contains(RmapOwner.byTypeName(w.type())));
                owners.add(new OwnerNode(what, "metadata", false, false, found));
                ownerInos.add(Long.MIN_VALUE);
            }
        }
        if (o.owners().stream().anyMatch(w -> "null".equals(w.type())) && owners.isEmpty()) {
            owners.add(new OwnerNode("free space", "no rmap record: nobody owns it", false, false, true));
            ownerInos.add(Long.MIN_VALUE);
        }
        Map<Integer, ProcNode> procs = new LinkedHashMap<>();
        List<int[]> edges = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int oi = 0; oi < ownerInos.size(); oi++) {
            long ino = ownerInos.get(oi);
            if (ino == Long.MIN_VALUE) {
                continue;
            }
            for (Process p : before.processes()) {
                for (Vma v : p.vmas()) {
                    if (v.ino() != ino) {
                        continue;
                    }
                    if (!procs.containsKey(p.pid())) {
                        String note = p.earlyKill() == Process.EarlyKill.EARLY ? "early kill"
                                : p.earlyKill() == Process.EarlyKill.LATE ? "late kill (prctl)"
                                : before.sysctl().memoryFailureEarlyKill() == 1 ? "early (sysctl)" : "late kill (default)";
                        procs.put(p.pid(), new ProcNode(p.pid(), p.comm() + ":" + p.pid(), note, badges.get(p.pid()),
                                killed.contains(p.pid()), !v.present().isEmpty()));
                        order.add(p.pid());
                    }
                    int[] edge = {oi, order.indexOf(p.pid())};
                    if (edges.stream().noneMatch(e -> e[0] == edge[0] && e[1] == edge[1])) {
                        edges.add(edge);
                    }
                }
            }
        }
        String page = o.address() == null ? "the whole device (removal)"
                : "pfn " + o.address().pfnHex() + (o.address().agno() != null ? " · AG " + o.address().agno() + "/"
                + o.address().agbno() : "");
        String shut = banner != null && banner.startsWith("Filesystem") ? banner : null;
        String oops = banner != null && banner.startsWith("Kernel") ? banner : null;
        return new FlowModel(page, owners, new ArrayList<>(procs.values()), edges, shut, oops, complete);
    }
}
