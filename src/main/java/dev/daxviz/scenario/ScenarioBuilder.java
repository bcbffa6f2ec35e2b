package dev.daxviz.scenario;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.Extent;
import dev.daxviz.model.FsOptions;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.ModelException;
import dev.daxviz.model.MountRules;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the world a {@link Scenario} describes, in the setup order of scenario-format.md (files in list order,
 * a remount if {@code mountedAfterSetup}, then processes map and fault in list order), checking every rule that
 * needs the world, and resolves the events against the world as it will be when each runs. Model errors become
 * problems located at the item that caused them.
 */
public final class ScenarioBuilder {
    /** The path a device-dax device is mapped by. */
    public static final String DEVDAX_PATH = "/dev/dax0.0";
    /** Default size of an extra namespace (external log, realtime device). */
    static final long EXTRA_NAMESPACE_SIZE = 128 * Units.MiB;
    /**
     * Most files that may share one block. A poison there reaches every owner, and the trace tells each: issue 4's
     * biggest case is 1,000 (its engine benchmark); far more makes traces and results of hundreds of megabytes.
     */
    public static final int MAX_SHARERS = 1000;
    /** Extra namespaces start at the next 2 MiB boundary after the previous one. */
    static final long NAMESPACE_ALIGN = 2 * Units.MiB;

    private final Scenario s;
    private final KernelProfile profile;
    private final boolean overridden;
    private final Problems pr;
    private WorldEditor ed;
    private PmemDevice device;
    private Scenario.FsDef fsd;

    private ScenarioBuilder(Scenario s, KernelProfile profile, boolean overridden, Problems pr) {
        this.s = s;
        this.profile = profile;
        this.overridden = overridden;
        this.pr = pr;
    }

    /** Builds a scenario under its own kernel profile, or under {@code override} when not null. */
    public static BuiltScenario build(Scenario s, KernelProfile override) {
        Problems pr = new Problems(s.source());
        KernelProfile p = override != null ? override : KernelProfile.byId(s.kernel()).orElse(KernelProfile.DEFAULT);
        BuiltScenario b = new ScenarioBuilder(s, p, override != null && !override.id().equals(s.kernel()), pr).run();
        pr.throwIfAny();
        return b;
    }

    private BuiltScenario run() {
        device = device();
        if (device == null) {
            return null;
        }
        fsd = s.filesystem();
        if (fsd != null && device.mode() == DeviceMode.DEVDAX) {
            pr.add(fsd.locs().self(), "a devdax namespace has no filesystem on it (processes map the device itself)",
                    "remove 'filesystem', or use 'mode: fsdax' on the device");
            return null;
        }
        FsOptions opts = fsd == null ? null : fsOptions();
        if (fsd != null && opts == null) {
            return null;
        }
        try {
            if (fsd != null && fsd.layout() != null) {
                ed = new LayoutBuilder(pr).build(fsd.layout(), opts, device, profile, s.sysctl(), s.seed(), fsd);
                if (ed == null) {
                    return null;
                }
            } else {
                ed = World.create(profile, device, opts, s.sysctl(), s.seed());
            }
        } catch (ModelException | IllegalArgumentException e) {
            pr.add(s.device().locs().at("size"), "the filesystem cannot be made: " + e.getMessage(),
                    "use a larger device or fewer AGs");
            return null;
        }
        Map<String, Integer> defined = new HashMap<>();
        for (int i = 0; i < s.files().size(); i++) {
            Scenario.FileDef f = s.files().get(i);
            for (int n = 0; n < f.files() && f.path() != null; n++) {
                defined.putIfAbsent(f.instance(n).path(), i);
            }
        }
        Map<String, Integer> made = new HashMap<>();
        for (int i = 0; i < s.files().size(); i++) {
            Scenario.FileDef f = s.files().get(i);
            // a generated entry (count) makes its files in order, and stops at the first that cannot be made:
            // one message, not thousands
            int before = pr.size();
            for (int n = 0; n < f.files() && pr.size() == before; n++) {
                Scenario.FileDef one = f.instance(n);
                pr.context(f.generated() ? one.path() + " (n = " + n + " of count " + f.files() + "): " : null);
                file(one, i, defined, made);
            }
            pr.context(null);
        }
        if (fsd != null && fsd.mountedAfterSetup()) {
            ed.remount();
        }
        processes();
        if (fsd != null && fsd.state() == Xfs.FsState.SHUTDOWN) {
            ed.setFsState(Xfs.FsState.SHUTDOWN, fsd.shutdownReason() != null ? fsd.shutdownReason()
                    : "SHUTDOWN_CORRUPT_ONDISK");
        }
        List<String> setupLog = ed.drainLog();
        World world = ed.build();
        if (!pr.isEmpty()) {
            return null;
        }
        List<BuiltScenario.Step> steps = new EventResolver(world, pr).resolve(s.events());
        return new BuiltScenario(s, profile, world, setupLog, steps);
    }

    private String kernelNote() {
        return overridden ? " (kernel " + profile.id() + " was chosen with --kernel; the scenario says " + s.kernel()
                + ")" : "";
    }

    // ------------------------------------------------------------------ devices and filesystem

    private PmemDevice device() {
        Scenario.DeviceDef d = s.device();
        if (d == null || d.size() <= 0 || d.physAddr() < 0) {
            return null;
        }
        long off = d.dataOffset() != null ? d.dataOffset() : PmemDevice.defaultReserve(d.size());
        if (d.physAddr() + off + d.size() > ScenarioReader.MAX_PHYS) {
            pr.add(d.locs().at("physAddr"), "the namespace ends past the largest physical address (2^52)",
                    "use a lower physAddr or a smaller size");
            return null;
        }
        if (d.mode() == DeviceMode.DEVDAX && d.size() % Units.PMD_SIZE != 0) {
            pr.add(d.locs().at("size"), "a devdax namespace is mapped in 2 MiB units: its size "
                    + Units.human(d.size()) + " is not a multiple of 2 MiB", "use e.g. "
                    + Fields.human(Units.alignUp(d.size(), Units.PMD_SIZE)));
        }
        try {
            return new PmemDevice(d.name(), d.size(), d.physAddr(), off, d.mode());
        } catch (IllegalArgumentException e) {
            pr.add(d.locs().self(), e.getMessage(), "fix the device's size, physAddr and dataOffset");
            return null;
        }
    }

    private FsOptions fsOptions() {
        long end = device.physAddr() + device.dataOffset() + device.size();
        int nextName = 1;
        PmemDevice log = null;
        PmemDevice rt = null;
        List<PmemDevice> all = new ArrayList<>(List.of(device));
        List<Scenario.Locs> where = new ArrayList<>(List.of(s.device().locs()));
        if (fsd.externalLog()) {
            Scenario.NamespaceDef n = fsd.logDevice();
            log = extra(n, "pmem" + nextName++, end, fsd.locs());
            if (log == null) {
                return null;
            }
            all.add(log);
            where.add(n != null ? n.locs() : fsd.locs());
            end = log.physAddr() + log.dataOffset() + log.size();
        }
        if (fsd.realtime()) {
            Scenario.NamespaceDef n = fsd.rtDevice();
            rt = extra(n, "pmem" + nextName, end, fsd.locs());
            if (rt == null) {
                return null;
            }
            all.add(rt);
            where.add(n != null ? n.locs() : fsd.locs());
        }
        boolean ok = true;
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                PmemDevice a = all.get(i);
                PmemDevice b = all.get(j);
                long aEnd = a.physAddr() + a.dataOffset() + a.size();
                long bEnd = b.physAddr() + b.dataOffset() + b.size();
                if (a.physAddr() < bEnd && b.physAddr() < aEnd) {
                    pr.add(where.get(j).at("physAddr"), "namespace " + b.name() + " (" + Units.hex(b.physAddr()) + "–"
                            + Units.hex(bEnd - 1) + ") overlaps " + a.name() + " (" + Units.hex(a.physAddr()) + "–"
                            + Units.hex(aEnd - 1) + ")", "start it at " + Units.hex(Units.alignUp(aEnd, NAMESPACE_ALIGN))
                            + " or later (or omit physAddr to place it right after)");
                    ok = false;
                }
                if (a.name().equals(b.name())) {
                    pr.add(where.get(j).at("name"), "two namespaces are called " + a.name(), "give each its own name");
                    ok = false;
                }
            }
        }
        if (!ok) {
            return null;
        }
        Xfs.FsState st = fsd.state() == Xfs.FsState.UNMOUNTED ? Xfs.FsState.UNMOUNTED : Xfs.FsState.MOUNTED;
        FsOptions o = new FsOptions(fsd.agCount(), fsd.reflink(), fsd.rmapbt(), log, rt, fsd.dax(), st,
                fsd.mountedAfterSetup());
        // a laid-out filesystem brings its own geometry (LayoutBuilder checks it)
        if (fsd.layout() == null && !mkfsFits(log == null)) {
            return null;
        }
        MountRules.refusal(profile, device.name(), o).ifPresent(msg -> {
            String fix;
            At at;
            if (msg.contains("DAX and reflink")) {
                at = fsd.locs().has("reflink") ? fsd.locs().at("reflink") : fsd.locs().self();
                fix = "kernel " + profile.id() + " refuses to mount XFS with reflink and dax=always" + kernelNote()
                        + ": write 'reflink: false' or 'dax: never' (or use kernel 6.1, where XFS allows both)";
            } else if (msg.contains("reflink")) {
                at = fsd.locs().has("reflink") ? fsd.locs().at("reflink") : fsd.locs().at("realtime");
                fix = "XFS up to 6.12 refuses a realtime section with reflink: write 'reflink: false' (and "
                        + "'rmapbt: false')";
            } else {
                at = fsd.locs().has("rmapbt") ? fsd.locs().at("rmapbt") : fsd.locs().at("realtime");
                fix = "XFS up to 6.12 refuses a realtime section with the reverse-mapping btree: write 'rmapbt: false'";
            }
            pr.add(at, "the kernel refuses to mount this filesystem: \"" + msg + "\"", fix);
        });
        return pr.isEmpty() ? o : null;
    }

    private boolean mkfsFits(boolean internalLog) {
        try {
            Geometry g = Geometry.mkfs(device.size(), fsd.agCount(), internalLog);
            if (g.agSize(g.agcount() - 1) < Geometry.MIN_AG_BLOCKS) {
                throw new IllegalArgumentException("the last AG would have only " + g.agSize(g.agcount() - 1)
                        + " blocks");
            }
            return true;
        } catch (IllegalArgumentException e) {
            pr.add(fsd.locs().at("agCount"), "an XFS with " + fsd.agCount() + " AGs does not fit "
                    + Units.human(device.size()) + ": " + e.getMessage(), "use fewer AGs or a larger device (each AG "
                    + "needs at least " + Geometry.MIN_AG_BLOCKS + " blocks of 4 KiB)");
            return false;
        }
    }

    private PmemDevice extra(Scenario.NamespaceDef n, String defName, long prevEnd, Scenario.Locs fsLocs) {
        String name = n != null && n.name() != null ? n.name() : defName;
        long size = n != null && n.size() != null ? n.size() : EXTRA_NAMESPACE_SIZE;
        long phys = n != null && n.physAddr() != null ? n.physAddr() : Units.alignUp(prevEnd, NAMESPACE_ALIGN);
        long off = n != null && n.dataOffset() != null ? n.dataOffset() : PmemDevice.defaultReserve(size);
        if (phys + off + size > ScenarioReader.MAX_PHYS) {
            pr.add(n != null ? n.locs().self() : fsLocs.self(), "namespace " + name + " ends past the largest physical "
                    + "address (2^52)", "use a lower physAddr or a smaller size");
            return null;
        }
        try {
            return new PmemDevice(name, size, phys, off, DeviceMode.FSDAX);
        } catch (IllegalArgumentException e) {
            pr.add(n != null ? n.locs().self() : fsLocs.self(), e.getMessage(), "fix this namespace's size and "
                    + "addresses");
            return null;
        }
    }

    // ------------------------------------------------------------------ files

    private void file(Scenario.FileDef f, int i, Map<String, Integer> defined, Map<String, Integer> made) {
        if (f.path() == null) {
            return;
        }
        if (!ed.hasFs()) {
            pr.add(f.locs().self(), "files need a filesystem, and this device has none",
                    device.mode() == DeviceMode.DEVDAX ? "a devdax device is mapped whole as " + DEVDAX_PATH
                            + ": remove the files" : "add 'filesystem: {type: xfs}'");
            return;
        }
        if (made.containsKey(f.path())) {
            pr.add(f.locs().at("path"), f.path() + " is already defined by files[" + made.get(f.path()) + "]",
                    "give each file its own path");
            return;
        }
        Geometry g = ed.geometry();
        if (f.ag() != null && f.ag() >= g.agcount()) {
            pr.add(f.locs().at("ag"), "AG " + f.ag() + " does not exist (the filesystem has " + g.agcount() + ")",
                    "use ag 0 to " + (g.agcount() - 1) + ", or raise filesystem.agCount");
            return;
        }
        if (f.rt() && !ed.fs().realtime()) {
            pr.add(f.locs().at("rt"), "a realtime file needs a realtime device", "add 'realtime: true' (with "
                    + "'reflink: false' and 'rmapbt: false') to filesystem, or remove 'rt: true'");
            return;
        }
        boolean reflinks = f.cloneOf() != null || !f.ranges().isEmpty();
        if (reflinks && !ed.fs().reflink()) {
            pr.add(f.locs().at("reflink"), "the filesystem was made without reflink, so files cannot share blocks",
                    "write 'reflink: true' in filesystem (the default), or remove this reflink");
            return;
        }
        if (reflinks && f.dax() && ed.fs().daxPolicy() == Xfs.DaxPolicy.INODE && !profile.xfsDaxWithReflink()) {
            pr.add(f.locs().at("dax"), "kernel " + profile.id() + " refuses the DAX flag on a reflinked file"
                    + kernelNote(), "remove 'dax: true' from this file, or use kernel 6.1");
            return;
        }
        if (f.cloneOf() != null && f.cloneOf().equals(f.path())) {
            pr.add(f.locs().at("reflink"), f.path() + " cannot be a clone of itself", "name an earlier file");
            return;
        }
        if (f.cloneOf() != null && !sourceOk(f.cloneOf(), f.locs().at("reflink"), i, defined, made)) {
            return;
        }
        for (Scenario.RangeDef r : f.ranges()) {
            if (r.from().equals(f.path())) {
                pr.add(r.locs().at("from"), "a file cannot be cloned into itself here", "name another file");
                return;
            }
            if (!sourceOk(r.from(), r.locs().at("from"), i, defined, made)) {
                return;
            }
        }
        try {
            if (f.cloneOf() != null) {
                Inode src = ed.inode(f.cloneOf());
                if (src.rt()) {
                    pr.add(f.locs().at("reflink"), f.cloneOf() + " is a realtime file, and realtime files cannot be "
                            + "reflinked", "clone a file of the data device");
                    return;
                }
                if (!sharersOk(src, 0, Long.MAX_VALUE, f.locs().at("reflink"))) {
                    return;
                }
                ed.reflink(f.cloneOf(), f.path());
            } else if (f.extents() != null) {
                if (!placed(f)) {
                    return;
                }
            } else {
                Long size = f.size();
                if (f.size() != null && f.size() / Units.PAGE_SIZE > freeBlocks(f.rt())) {
                    pr.add(f.locs().at("size"), Units.human(f.size()) + " does not fit: the " + (f.rt() ? "realtime "
                            + "device" : "filesystem") + " has " + Units.human(freeBlocks(f.rt()) * Units.PAGE_SIZE)
                            + " free", "make the file smaller or the device larger");
                    return;
                }
                WorldEditor.FileSpec spec = new WorldEditor.FileSpec(f.path(), size == null ? 0 : size, f.ag(),
                        f.align(), f.fragments(), f.xattrBlocks(), f.rt(), f.dax());
                try {
                    ed.createFile(spec);
                } catch (ModelException e) {
                    pr.add(f.locs().has("size") ? f.locs().at("size") : f.locs().at("path"), f.path() + ": "
                            + e.getMessage(), "make the file smaller, drop its alignment, or give the device more room");
                    return;
                }
            }
            for (Scenario.RangeDef r : f.ranges()) {
                Inode src = ed.inode(r.from());
                long srcEnd = Units.alignUp(src.size(), Units.PAGE_SIZE);
                long len = r.length() != null ? r.length() : srcEnd - r.offset();
                long to = r.to() != null ? r.to() : r.offset();
                if (src.rt()) {
                    pr.add(r.locs().at("from"), r.from() + " is a realtime file and cannot be reflinked",
                            "clone a file of the data device");
                    return;
                }
                if (len <= 0 || r.offset() + len > srcEnd) {
                    pr.add(r.locs().has("length") ? r.locs().at("length") : r.locs().at("offset"), "the range "
                            + r.offset() + "+" + Math.max(len, 0) + " is not inside " + r.from() + " ("
                            + Units.human(src.size()) + ")", "clone at most " + Math.max(0, srcEnd - r.offset())
                            + " bytes from offset " + r.offset());
                    return;
                }
                if (!sharersOk(src, r.offset() / Units.PAGE_SIZE, Units.alignUp(len, Units.PAGE_SIZE) / Units.PAGE_SIZE,
                        r.locs().at("from"))) {
                    return;
                }
                ed.reflinkRange(r.from(), r.offset(), len, f.path(), to);
            }
            made.put(f.path(), i);
        } catch (ModelException e) {
            pr.add(f.locs().at("path"), e.getMessage(), "fix this file's description");
        }
    }

    /**
     * Whether cloning file blocks {@code [first, first+count)} of {@code src} keeps every block within
     * {@link #MAX_SHARERS} owners; reported at {@code at} if not.
     */
    private boolean sharersOk(Inode src, long first, long count, At at) {
        long end = count == Long.MAX_VALUE ? Long.MAX_VALUE : first + count;
        for (Extent e : src.dataExtents()) {
            long lo = Math.max(first, e.startoff());
            long hi = Math.min(end, e.endoff());
            if (lo >= hi) {
                continue;
            }
            int most = ed.maxOwners(e.blockAt(lo), hi - lo);
            if (most >= MAX_SHARERS) {
                pr.add(at, "a block of " + src.path() + " already has " + most + " owners: one more clone would make "
                        + (most + 1), "DaxViz simulates at most " + MAX_SHARERS + " files sharing one block: use a "
                        + "smaller count, or clone another file");
                return false;
            }
        }
        return true;
    }

    private long freeBlocks(boolean rt) {
        if (rt) {
            return ed.fs().rtFree().values().stream().mapToLong(Long::longValue).sum();
        }
        long n = 0;
        for (int a = 0; a < ed.geometry().agcount(); a++) {
            n += ed.freeBlocks(a);
        }
        return n;
    }

    private boolean sourceOk(String from, At at, int i, Map<String, Integer> defined, Map<String, Integer> made) {
        if (made.containsKey(from)) {
            return true;
        }
        Integer later = defined.get(from);
        if (later != null && later > i) {
            pr.add(at, "the reflink source " + from + " is defined later (files[" + later + "])",
                    "move it before this file: files are made in list order");
        } else if (later != null && later == i) {
            pr.add(at, "the reflink source " + from + " is made by this same entry, after this file",
                    "clone files of an earlier entry: files are made in list order");
        } else if (later != null) {
            pr.add(at, "the reflink source " + from + " could not be made (see its own error)", "fix that file first");
        } else {
            String near = Fields.nearest(from, new ArrayList<>(defined.keySet()));
            pr.add(at, "the reflink source " + from + " is not in files", (near != null ? "did you mean " + near
                    + "? " : "") + "add it to files before this one");
        }
        return false;
    }

    private boolean placed(Scenario.FileDef f) {
        Geometry g = ed.geometry();
        List<WorldEditor.Placement> places = new ArrayList<>();
        List<Scenario.ExtentDef> sorted = new ArrayList<>(f.extents());
        sorted.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        for (int k = 1; k < sorted.size(); k++) {
            Scenario.ExtentDef p = sorted.get(k - 1);
            Scenario.ExtentDef e = sorted.get(k);
            if (e.offset() < p.offset() + p.length()) {
                pr.add(e.locs().at("offset"), "file blocks " + e.offset() + "–" + (e.offset() + e.length() - 1)
                        + " overlap another extent of the same file (blocks " + p.offset() + "–"
                        + (p.offset() + p.length() - 1) + ")", "start this extent at file block "
                        + (p.offset() + p.length()) + " or later");
                return false;
            }
        }
        boolean ok = true;
        List<long[]> mine = new ArrayList<>();
        for (Scenario.ExtentDef e : f.extents()) {
            if (e.agno() >= g.agcount()) {
                pr.add(e.locs().at("agno"), "AG " + e.agno() + " does not exist (the filesystem has " + g.agcount()
                        + ")", "use agno 0 to " + (g.agcount() - 1));
                ok = false;
                continue;
            }
            int agSize = g.agSize(e.agno());
            if (e.agbno() + e.length() > agSize) {
                pr.add(e.locs().at("length"), "blocks " + e.agbno() + "–" + (e.agbno() + e.length() - 1)
                        + " run past the end of AG " + e.agno() + " (" + agSize + " blocks)",
                        "an extent lies inside one AG: split it, or start it lower");
                ok = false;
                continue;
            }
            for (long[] m : mine) {
                if (m[0] == e.agno() && e.agbno() < m[1] + m[2] && m[1] < e.agbno() + e.length()) {
                    pr.add(e.locs().at("agbno"), "AG " + e.agno() + " blocks " + e.agbno() + "–" + (e.agbno()
                            + e.length() - 1) + " are used twice by this file", "extents share blocks only through "
                            + "reflink: place this one elsewhere");
                    ok = false;
                }
            }
            mine.add(new long[] {e.agno(), e.agbno(), e.length()});
            AllocationGroup ag = ed.ag(e.agno());
            String used = usedBy(ag, e.agbno(), e.agbno() + (int) e.length() - 1);
            if (used != null) {
                pr.add(e.locs().at("agbno"), "AG " + e.agno() + " blocks " + e.agbno() + "–" + (e.agbno() + e.length()
                        - 1) + " are already used by " + used, "extents may overlap only through reflink: "
                        + freeHint(ag, e.length()));
                ok = false;
                continue;
            }
            places.add(new WorldEditor.Placement(e.offset(), e.agno(), e.agbno(), e.length()));
        }
        if (!ok) {
            return false;
        }
        long end = sorted.isEmpty() ? 0 : (sorted.get(sorted.size() - 1).offset() + sorted.get(sorted.size() - 1)
                .length()) * Units.PAGE_SIZE;
        if (f.size() != null && f.size() < end - Units.PAGE_SIZE + 1) {
            pr.add(f.locs().at("size"), "the size " + f.size() + " ends before the last extent (which ends at byte "
                    + end + ")", "make size at least " + (end - Units.PAGE_SIZE + 1) + " or omit it");
            return false;
        }
        ed.placeFile(f.path(), places, f.size(), f.dax());
        return true;
    }

    /** Who owns any block of [lo, hi] of an AG, or null if all are free. */
    private String usedBy(AllocationGroup ag, int lo, int hi) {
        Map.Entry<Integer, Integer> fr = ag.free().floorEntry(lo);
        if (fr != null && hi < fr.getKey() + fr.getValue()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (RmapRecord r : ag.rmap().queryRange(lo, hi).records()) {
            String n = r.isInodeOwner() ? pathOf(r.owner()) : RmapOwner.describe(r.owner());
            String where = n + " (blocks " + r.startblock() + "–" + r.lastBlock() + ")";
            if (!names.contains(where)) {
                names.add(where);
            }
        }
        return names.isEmpty() ? "other data" : String.join(", ", names);
    }

    private String pathOf(long ino) {
        Inode i = ed.inode(ino);
        return i == null ? "inode " + ino : i.path();
    }

    private static String freeHint(AllocationGroup ag, long len) {
        for (Map.Entry<Integer, Integer> e : ag.free().entrySet()) {
            if (e.getValue() >= len) {
                return "AG " + ag.agno() + " has " + len + " free blocks from agbno " + e.getKey();
            }
        }
        return "choose free blocks in another AG";
    }

    // ------------------------------------------------------------------ processes

    private void processes() {
        Map<Integer, At> pids = new HashMap<>();
        for (int pi = 0; pi < s.processes().size(); pi++) {
            Scenario.ProcessDef p = s.processes().get(pi);
            At first = pids.putIfAbsent(p.pid(), p.locs().at("pid"));
            if (first != null) {
                pr.add(p.locs().at("pid"), "pid " + p.pid() + " is used twice (first at line " + first.line() + ")",
                        "give every process its own pid");
                continue;
            }
            ed.addProcess(p.pid(), p.comm(), p.earlyKill(), p.onSigbus());
            List<TreeSet<Long>> wanted = new ArrayList<>();
            for (int mi = 0; mi < p.maps().size(); mi++) {
                wanted.add(map(p, p.maps().get(mi), mi, wanted));
            }
            if (p.state() != Process.State.RUNNING) {
                ed.endProcess(p.pid(), p.state());
            }
        }
    }

    /** Maps and faults one mapping; returns the file page indices it wants faulted (null if it was not made). */
    private TreeSet<Long> map(Scenario.ProcessDef p, Scenario.MapDef m, int mi, List<TreeSet<Long>> earlier) {
        boolean devdax = device.mode() == DeviceMode.DEVDAX;
        long limit;
        if (devdax) {
            if (!m.path().equals(DEVDAX_PATH)) {
                pr.add(m.locs().at("path"), "on a devdax namespace processes map the device itself",
                        "write 'path: " + DEVDAX_PATH + "'");
                return null;
            }
            if (Boolean.FALSE.equals(m.pmd())) {
                pr.add(m.locs().at("pmd"), "device-dax maps in 2 MiB units, so pmd cannot be false",
                        "remove 'pmd: false' (pmd is implied on devdax)");
                return null;
            }
            limit = device.size();
        } else {
            if (!ed.hasFs()) {
                pr.add(m.locs().at("path"), "this fsdax device has no filesystem, so there is no file to map",
                        "add a filesystem with this file, or make the device 'mode: devdax' and map " + DEVDAX_PATH);
                return null;
            }
            if (ed.fsState() == Xfs.FsState.UNMOUNTED) {
                pr.add(m.locs().at("path"), "the filesystem is not mounted, so its files cannot be mapped",
                        "write 'state: mounted' (or shutdown) in filesystem, or remove the mapping");
                return null;
            }
            Inode i = ed.inode(m.path());
            if (i == null) {
                List<String> names = new ArrayList<>();
                s.files().forEach(f -> {
                    if (f.path() != null) {
                        names.add(f.path());
                    }
                });
                String near = Fields.nearest(m.path(), names);
                pr.add(m.locs().at("path"), "there is no file " + m.path(), (near != null ? "did you mean " + near
                        + "? " : "") + "map a file listed in files");
                return null;
            }
            limit = Units.alignUp(i.size(), Units.PAGE_SIZE);
        }
        if (m.offset() + m.length() > limit) {
            pr.add(m.locs().has("length") ? m.locs().at("length") : m.locs().self(), "the mapping "
                    + Units.human(m.offset()) + "+" + Units.human(m.length()) + " ends past the end of "
                    + (devdax ? "the device" : "the file") + " (" + Units.human(limit) + ")",
                    limit > m.offset() ? "use length " + Fields.human(limit - m.offset()) + " or less"
                            : "map from an offset below " + Units.human(limit));
            return null;
        }
        boolean pmd = devdax || Boolean.TRUE.equals(m.pmd());
        if (pmd && !pmdOk(m, devdax)) {
            return null;
        }
        TreeSet<Long> want = new TreeSet<>();
        long first = m.offset() / Units.PAGE_SIZE;
        long end = (m.offset() + m.length()) / Units.PAGE_SIZE;
        if (m.touchedAll()) {
            for (long k = first; k < end; k++) {
                want.add(k);
            }
        } else {
            for (int t = 0; t < m.touched().size(); t++) {
                long o = m.touched().get(t);
                if (o < m.offset() || o >= m.offset() + m.length()) {
                    pr.add(m.locs().at("touched"), "the touched offset " + o + " is outside the mapping ("
                            + m.offset() + " to " + (m.offset() + m.length() - 1) + ")",
                            "list file offsets inside the mapped range");
                    return null;
                }
                want.add(o / Units.PAGE_SIZE);
            }
        }
        if (pmd) {
            TreeSet<Long> whole = new TreeSet<>();
            for (long k : want) {
                long h = k & ~(long) (Units.PMD_PAGES - 1);
                for (long j = h; j < h + Units.PMD_PAGES; j++) {
                    whole.add(j);
                }
            }
            want = whole;
        }
        // WorldEditor.touch faults through every mapping of the file in the process: refuse what it cannot do
        List<Scenario.MapDef> maps = p.maps();
        for (int j = 0; j < mi; j++) {
            Scenario.MapDef o = maps.get(j);
            TreeSet<Long> ow = earlier.get(j);
            if (ow == null || !o.path().equals(m.path())) {
                continue;
            }
            long of = o.offset() / Units.PAGE_SIZE;
            long oe = (o.offset() + o.length()) / Units.PAGE_SIZE;
            for (long k : want) {
                if (k >= of && k < oe && !ow.contains(k)) {
                    pr.add(m.locs().at("touched"), "maps[" + j + "] of the same process maps the same page of "
                            + m.path() + " (offset " + k * Units.PAGE_SIZE + ") without touching it, and a touch "
                            + "through this mapping would fault both", "touch that page in maps[" + j + "] too, or map "
                            + "the pages in separate processes");
                    return null;
                }
            }
        }
        try {
            ed.map(p.pid(), m.path(), m.offset(), m.length(), pmd, m.address());
        } catch (ModelException e) {
            pr.add(m.locs().self(), e.getMessage(), m.address() != null ? "choose another address, or omit it"
                    : "fix this mapping");
            return null;
        }
        try {
            if (m.touchedAll()) {
                ed.touch(p.pid(), m.path(), m.offset(), m.length(), false);
            } else {
                for (long o : new TreeSet<>(m.touched())) {
                    ed.touch(p.pid(), m.path(), o, Units.PAGE_SIZE, false);
                }
            }
        } catch (ModelException e) {
            pr.add(m.locs().at("touched"), e.getMessage(), "fix the touched offsets");
            return null;
        }
        return want;
    }

    private boolean pmdOk(Scenario.MapDef m, boolean devdax) {
        if (m.offset() % Units.PMD_SIZE != 0 || m.length() % Units.PMD_SIZE != 0) {
            At at = m.offset() % Units.PMD_SIZE != 0 ? m.locs().at("offset") : m.locs().at("length");
            pr.add(at, "a PMD mapping needs an offset and length that are multiples of 2 MiB (offset "
                    + Units.human(m.offset()) + ", length " + Units.human(m.length()) + ")",
                    devdax ? "use 2 MiB units on devdax" : "round them to 2 MiB, or write 'pmd: false'");
            return false;
        }
        if (devdax) {
            return true;
        }
        Inode i = ed.inode(m.path());
        for (long head = m.offset() / Units.PAGE_SIZE; head < (m.offset() + m.length()) / Units.PAGE_SIZE;
             head += Units.PMD_PAGES) {
            Extent e = i.extentAt(head);
            String why = null;
            if (e == null || e.endoff() < head + Units.PMD_PAGES) {
                why = "file blocks " + head + "–" + (head + Units.PMD_PAGES - 1) + " are not one extent";
            } else {
                long block = e.blockAt(head);
                PmemDevice d = i.rt() ? ed.fs() == null ? device : realtimeDevice() : device;
                long phys = d.physOfOffset(block * Units.PAGE_SIZE);
                if (phys % Units.PMD_SIZE != 0) {
                    why = "file block " + head + " lies at physical address " + Units.hex(phys)
                            + ", which is not 2 MiB aligned";
                }
            }
            if (why != null) {
                pr.add(m.locs().at("pmd"), "a PMD mapping of " + m.path() + " at offset " + Units.human(head
                        * Units.PAGE_SIZE) + " needs a 2 MiB-aligned extent: " + why,
                        "give the file 'align: 2MiB' and a size that is a multiple of 2 MiB, or write 'pmd: false'");
                return false;
            }
        }
        return true;
    }

    private PmemDevice realtimeDevice() {
        return ed.peek().rtDevice().orElse(device);
    }

    /** For the summary of a mapping in messages. */
    static String vmaName(Vma v) {
        return v.path() + "@" + Units.hex(v.start());
    }
}
