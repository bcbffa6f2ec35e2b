package dev.daxviz.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Worlds the model tests start from, and helpers to look into them. */
final class TestWorlds {
    static final long PHYS = 0x40000000L;

    private TestWorlds() {
    }

    /** The reference machine: a 502 MiB fsdax namespace at 0x40000000, XFS with 4 AGs, reflink and rmapbt. */
    static WorldEditor reference(KernelProfile profile) {
        return fresh(profile, 502 * Units.MiB);
    }

    static WorldEditor fresh(KernelProfile profile, long size) {
        return World.create(profile, PmemDevice.fsdax("pmem0", size, PHYS), FsOptions.defaults(), Sysctl.DEFAULTS, 1);
    }

    static World referenceWorld() {
        return reference(KernelProfile.DEFAULT).build().check();
    }

    /** The rmap records of AG {@code agno}. */
    static List<RmapRecord> rmap(World w, int agno) {
        return w.fs().ag(agno).rmap().records();
    }

    /** Records of an AG whose blocks overlap [lo, hi]. */
    static List<RmapRecord> rmap(World w, int agno, long lo, long hi) {
        return w.fs().ag(agno).rmap().queryRange(lo, hi).records();
    }

    static RmapRecord special(int start, int len, long owner) {
        return RmapRecord.special(start, len, owner);
    }

    static RmapRecord data(int start, int len, long ino, long off) {
        return RmapRecord.data(start, len, ino, off, false);
    }

    static long pfnOfAgbno(World w, int agno, int agbno) {
        return w.addressing().ofAg(agno, agbno).pfn();
    }

    /** The pfn backing file block {@code block} of {@code path}. */
    static long pfnOf(World w, String path, long block) {
        return w.addressing().ofFile(path, block * Units.PAGE_SIZE).pfn();
    }

    static Inode inode(World w, String path) {
        Inode i = w.fs().byPath(path);
        if (i == null) {
            throw new AssertionError("no file " + path);
        }
        return i;
    }

    static Vma vma(World w, int pid, int k) {
        return w.process(pid).orElseThrow().vmas().get(k);
    }

    /**
     * An equal world sharing no mutable part with {@code w}: every map, list and btree rebuilt from its
     * contents. Used to prove that editing a world leaves the original unchanged.
     */
    static World deepCopy(World w) {
        Xfs fs = w.fs();
        Xfs fsCopy = null;
        if (fs != null) {
            List<AllocationGroup> ags = new ArrayList<>();
            for (AllocationGroup ag : fs.ags()) {
                ags.add(new AllocationGroup(ag.agno(), ag.length(),
                        RmapBtree.empty(ag.rmap().leafMax(), ag.rmap().nodeMax()).withAll(new ArrayList<>(ag.rmap().records())),
                        new TreeMap<>(ag.refcounts()), new TreeMap<>(ag.free()), new ArrayList<>(ag.inodeChunks()),
                        ag.inodesUsed()));
            }
            fsCopy = new Xfs(fs.geometry(), fs.reflink(), fs.rmapbt(), fs.externalLog(), fs.realtime(), fs.daxPolicy(),
                    fs.state(), fs.mountedAfterSetup(), ags, new TreeMap<>(fs.inodes()), new TreeMap<>(fs.paths()),
                    new TreeSet<>(fs.dirs()), new TreeMap<>(fs.rtFree()), fs.shutdownReason());
        }
        Map<Long, NavigableMap<Long, DaxEntry>> entries = new HashMap<>();
        w.daxEntries().forEach((k, v) -> entries.put(k, new TreeMap<>(v)));
        List<Process> procs = new ArrayList<>();
        for (Process p : w.processes()) {
            List<Vma> vs = new ArrayList<>();
            for (Vma v : p.vmas()) {
                vs.add(v.withPresent(new TreeSet<>(v.present())));
            }
            procs.add(p.withVmas(vs));
        }
        return new World(w.profile(), w.device(), w.logDevice().orElse(null), w.rtDevice().orElse(null), fsCopy,
                new HashMap<>(w.pages()), entries, procs, w.sysctl(), w.uuid(), new java.util.HashSet<>(w.warnedOnce()));
    }
}
