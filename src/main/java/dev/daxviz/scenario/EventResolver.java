package dev.daxviz.scenario;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.Address;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.ModelException;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks the events in order against the world as it will be when each runs (model events applied with the
 * editor; failure events do not change extents, so addresses resolved here stay right), checks each, and turns
 * poison targets into pfns.
 */
final class EventResolver {
    private World w;
    private final Problems pr;

    EventResolver(World w, Problems pr) {
        this.w = w;
        this.pr = pr;
    }

    List<BuiltScenario.Step> resolve(List<Scenario.EventDef> events) {
        List<BuiltScenario.Step> out = new ArrayList<>();
        for (Scenario.EventDef e : events) {
            if (e instanceof Scenario.Poison p) {
                FailureEvent.Poison ev = poison(p);
                if (ev != null) {
                    out.add(new BuiltScenario.FailureStep(p, ev));
                }
            } else if (e instanceof Scenario.Remove r) {
                out.add(new BuiltScenario.FailureStep(r, new FailureEvent.Remove()));
            } else if (modelOk(e)) {
                out.add(new BuiltScenario.ModelStep(e));
            }
        }
        return out;
    }

    private boolean modelOk(Scenario.EventDef e) {
        if (!w.hasFs() && !(e instanceof Scenario.Exit) && !(e instanceof Scenario.Touch)) {
            pr.add(e.locs().self(), "a " + e.kind() + " needs a filesystem, and this device has none",
                    "remove this event");
            return false;
        }
        String path = e instanceof Scenario.Write x ? x.path() : e instanceof Scenario.Touch x ? x.path()
                : e instanceof Scenario.Punch x ? x.path() : e instanceof Scenario.Unlink x ? x.path() : null;
        if (path != null && w.hasFs() && w.fs().byPath(path) == null) {
            List<String> names = new ArrayList<>(w.fs().paths().keySet());
            String near = Fields.nearest(path, names);
            pr.add(e.locs().at("path"), "there is no file " + path + " at this point", (near != null ? "did you mean "
                    + near + "? " : "") + "name a file of the scenario that has not been unlinked");
            return false;
        }
        try {
            w = ModelEvents.apply(w, e).world();
            return true;
        } catch (ModelException ex) {
            String key = e instanceof Scenario.Touch ? "pid" : e instanceof Scenario.Exit
                    || e instanceof Scenario.Unlink ? "" : "length";
            pr.add(key.isEmpty() ? e.locs().self() : e.locs().at(key), ex.getMessage(), "fix this " + e.kind()
                    + " event");
            return false;
        }
    }

    private FailureEvent.Poison poison(Scenario.Poison p) {
        Scenario.Target t = p.at();
        Long pfn = pfnOf(t);
        if (pfn == null) {
            return null;
        }
        long pages = p.length() / Units.PAGE_SIZE;
        PmemDevice d = w.deviceOfPfn(pfn).orElse(null);
        if (d != null && pfn + pages > d.endPfn()) {
            pr.add(p.locs().at("length"), "the poisoned range (" + pages + " pages from pfn " + Units.hex(pfn)
                    + ") runs off the end of " + d.name() + " (last pfn " + Units.hex(d.endPfn() - 1) + ")",
                    "use a length of at most " + Fields.human((d.endPfn() - pfn) * Units.PAGE_SIZE));
            return null;
        }
        if (p.pid() != null) {
            Process proc = w.process(p.pid()).orElse(null);
            if (proc == null) {
                pr.add(p.locs().at("pid"), "there is no process with pid " + p.pid(), "name a process of the scenario");
                return null;
            }
            if (!proc.alive()) {
                pr.add(p.locs().at("pid"), "process " + p.pid() + " (" + proc.comm() + ") has " + proc.state().id()
                        + " by now", "name a process that is still running");
                return null;
            }
            boolean reads = p.source() == FailureEvent.Source.CONSUME || p.source() == FailureEvent.Source.MADVISE;
            for (long k = 0; reads && k < pages; k++) {
                if (!maps(proc, pfn + k)) {
                    pr.add(p.locs().at("pid"), "process " + p.pid() + " (" + proc.comm() + ") does not map pfn "
                            + Units.hex(pfn + k) + ", so it cannot " + (p.source() == FailureEvent.Source.MADVISE
                            ? "madvise" : "touch") + " it (source " + p.source().id() + ")", "name a process that "
                            + "maps every poisoned page, or use source: mce (a scrub, no task current)");
                    return null;
                }
            }
        }
        return new FailureEvent.Poison(pfn, p.length(), p.source(), p.pid());
    }

    /**
     * Whether a VMA of {@code proc} covers the file index that {@code pfn} holds (the engine's test for a task that
     * consumes or madvises a page: it must reach the page through a mapping).
     */
    private boolean maps(Process proc, long pfn) {
        for (dev.daxviz.model.Vma v : proc.vmas()) {
            if (v.ino() == dev.daxviz.model.PageState.DEVDAX_OWNER) {
                if (v.covers(pfn - w.device().dataStartPfn())) {
                    return true;
                }
                continue;
            }
            Inode i = w.hasFs() ? w.fs().inode(v.ino()) : null;
            PmemDevice d = i == null ? null : i.rt() ? w.rtDevice().orElse(null) : w.device();
            if (d == null) {
                continue;
            }
            for (Extent e : i.dataExtents()) {
                long first = d.pfnOfOffset(e.startblock() * Units.PAGE_SIZE);
                if (pfn >= first && pfn < first + e.blockcount() && v.covers(e.startoff() + (pfn - first))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Long pfnOf(Scenario.Target t) {
        Scenario.Locs l = t.locs();
        try {
            if (t.pfn() != null || t.physAddr() != null) {
                long pfn = t.pfn() != null ? t.pfn() : t.physAddr() >>> Units.PAGE_SHIFT;
                Address a = w.addressing().ofPfn(pfn);
                if (a.region() == Address.Region.OUTSIDE) {
                    pr.add(l.at(t.pfn() != null ? "pfn" : "physAddr"), (t.pfn() != null ? "pfn " + Units.hex(pfn)
                            : "physAddr " + Units.hex(t.physAddr())) + " is not in any pmem namespace",
                            "use a pfn in " + ranges());
                    return null;
                }
                return pfn;
            }
            if (t.deviceOffset() != null || t.daddr() != null) {
                long off = t.deviceOffset() != null ? t.deviceOffset() : t.daddr() * Units.BBSIZE;
                String key = t.deviceOffset() != null ? "deviceOffset" : "daddr";
                if (off >= w.device().size()) {
                    pr.add(l.at(key), (key.equals("daddr") ? "daddr " + t.daddr() + " (byte " + Units.hex(off) + ")"
                            : "deviceOffset " + Units.hex(off)) + " is off the device " + w.device().name() + " ("
                            + Units.human(w.device().size()) + ")", "use a " + key + " below "
                            + (key.equals("daddr") ? Long.toString(w.device().size() / Units.BBSIZE)
                            : Units.hex(w.device().size())));
                    return null;
                }
                return w.device().pfnOfOffset(off);
            }
            if (t.metadata() != null) {
                return metadata(t);
            }
            if (t.agno() != null) {
                if (!needFs(l.self(), "an AG address")) {
                    return null;
                }
                Geometry g = w.fs().geometry();
                if (t.agno() >= g.agcount()) {
                    pr.add(l.at("agno"), "AG " + t.agno() + " does not exist (the filesystem has " + g.agcount() + ")",
                            "use agno 0 to " + (g.agcount() - 1));
                    return null;
                }
                if (t.agbno() >= g.agSize(t.agno())) {
                    pr.add(l.at("agbno"), "agbno " + t.agbno() + " is off the end of AG " + t.agno() + " ("
                            + g.agSize(t.agno()) + " blocks)", "use agbno 0 to " + (g.agSize(t.agno()) - 1));
                    return null;
                }
                return w.addressing().ofAg(t.agno(), t.agbno()).pfn();
            }
            if (t.path() != null) {
                return file(t);
            }
        } catch (ModelException e) {
            pr.add(l.self(), e.getMessage(), "give another address");
            return null;
        }
        pr.add(l.self(), "no address is given", "use {path, offset} or {pfn}");
        return null;
    }

    private String ranges() {
        List<String> out = new ArrayList<>();
        for (PmemDevice d : w.devices()) {
            out.add(d.name() + " (" + Units.hex(d.firstPfn()) + "–" + Units.hex(d.endPfn() - 1) + ")");
        }
        return String.join(", ", out);
    }

    private boolean needFs(At at, String what) {
        if (!w.hasFs()) {
            pr.add(at, what + " needs a filesystem, and this device has none",
                    "use {pfn}, {physAddr} or {deviceOffset}");
            return false;
        }
        return true;
    }

    private Long metadata(Scenario.Target t) {
        Scenario.Locs l = t.locs();
        if (!needFs(l.self(), "a metadata address")) {
            return null;
        }
        if (t.metadata().equals("log")) {
            return w.addressing().ofLogStart().pfn();
        }
        Geometry g = w.fs().geometry();
        int agno = t.agno();
        if (agno >= g.agcount()) {
            pr.add(l.at("agno"), "AG " + agno + " does not exist (the filesystem has " + g.agcount() + ")",
                    "use agno 0 to " + (g.agcount() - 1));
            return null;
        }
        int agbno = t.metadata().equals("inodes") ? -1 : w.fs().ag(agno).roots().of(t.metadata());
        if (agbno < 0 && !t.metadata().equals("inodes")) {
            pr.add(l.at("metadata"), "this filesystem has no " + t.metadata() + " (it was made without that btree)",
                    "poison another kind of metadata: headers, bnobt, cntbt, inobt, inodes, or the ones the "
                            + "filesystem has");
            return null;
        }
        if (t.metadata().equals("inodes")) {
            AllocationGroup ag = w.fs().ag(agno);
            if (ag.inodeChunks().isEmpty()) {
                pr.add(l.at("agno"), "AG " + agno + " has no inode chunk yet", "use agno 0 (the root directory's "
                        + "chunk), or create a file with 'ag: " + agno + "' first");
                return null;
            }
            agbno = ag.inodeChunks().get(0);
        }
        return w.addressing().ofAg(agno, agbno).pfn();
    }

    private Long file(Scenario.Target t) {
        Scenario.Locs l = t.locs();
        if (w.device().mode() == DeviceMode.DEVDAX) {
            if (!t.path().equals(ScenarioBuilder.DEVDAX_PATH) || t.fork() != null) {
                pr.add(l.at("path"), "a devdax namespace has no files", "use {path: " + ScenarioBuilder.DEVDAX_PATH
                        + ", offset: ...} or {deviceOffset}");
                return null;
            }
            if (t.offset() >= w.device().size()) {
                pr.add(l.at("offset"), "offset " + Units.hex(t.offset()) + " is off the device", "use an offset below "
                        + Units.hex(w.device().size()));
                return null;
            }
            return w.device().pfnOfOffset(t.offset());
        }
        if (!needFs(l.at("path"), "a file address")) {
            return null;
        }
        Inode i = w.fs().byPath(t.path());
        if (i == null) {
            String near = Fields.nearest(t.path(), new ArrayList<>(w.fs().paths().keySet()));
            pr.add(l.at("path"), "there is no file " + t.path() + " at this point", (near != null ? "did you mean "
                    + near + "? " : "") + "name a file of the scenario");
            return null;
        }
        if (t.fork() != null) {
            if (t.fork().equals("attr")) {
                if (i.attrExtents().isEmpty()) {
                    pr.add(l.at("fork"), t.path() + " has no attr fork blocks", "give the file 'xattrBlocks: 1'");
                    return null;
                }
                return w.device().pfnOfOffset(i.attrExtents().get(0).startblock() * Units.PAGE_SIZE);
            }
            if (i.bmbtBlocks().isEmpty()) {
                pr.add(l.at("fork"), t.path() + " has no bmbt block: its " + i.dataExtents().size()
                        + " extents fit in the inode", "give the file 'fragments: 22' or more (more than "
                        + i.inlineExtentCapacity() + " extents)");
                return null;
            }
            return w.device().pfnOfOffset(i.bmbtBlocks().get(0) * Units.PAGE_SIZE);
        }
        long off = t.offset();
        Extent e = i.extentAt(off / Units.PAGE_SIZE);
        if (e == null) {
            pr.add(l.at("offset"), "offset " + off + " of " + t.path() + " is a hole (no block is allocated there)",
                    "poison an offset the file has a block for" + firstBlockHint(i));
            return null;
        }
        return w.addressing().ofFile(t.path(), off).pfn();
    }

    private static String firstBlockHint(Inode i) {
        return i.dataExtents().isEmpty() ? " (this file has none: give it a size)"
                : ", e.g. " + i.dataExtents().get(0).startoff() * Units.PAGE_SIZE;
    }
}
