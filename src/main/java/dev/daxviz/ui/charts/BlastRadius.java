package dev.daxviz.ui.charts;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.PageState;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a poison would reach, region by region: the data areas of the world's devices (data device, external log,
 * realtime device, in pfn order) laid end to end and cut into {@code n} equal regions. For each region:
 * <ul>
 *   <li>{@link #files(int)}: the files with data there (from the inodes' extent maps, which the rmap records
 *       mirror), and {@link #worstFiles(int)}: the most files one page there belongs to (1 for a private data
 *       page, the refcount for a reflinked one);</li>
 *   <li>{@link #processes(int)}: the processes with a present page-table entry for a page there (they would get
 *       SIGBUS), and {@link #worstProcesses(int)}: the most processes one page there is mapped by;</li>
 *   <li>{@link #metadataPages(int)}: pages of filesystem metadata or journal there — a poison in one shuts the
 *       whole filesystem down rather than signalling anybody.</li>
 * </ul>
 * Computed from the model in one pass over the extents, the refcount and rmap records and the processes' present
 * pages (O(records + mapped pages + n)); the engine never runs. Kernel details that can spare a mapper (an inode
 * not in core, the late-kill policy) are ignored: this is the reach of the failure, not the signals sent.
 */
public final class BlastRadius {
    /** Regions the strip uses unless told otherwise. */
    public static final int DEFAULT_REGIONS = 512;

    /** A stretch of pages laid into the region space: one device's data area. */
    public record Lane(String name, long firstPfn, long pages) {
    }

    /** A labelled position in the region space (an AG's first page, a device's first page). */
    public record Mark(String label, long global) {
    }

    private final List<Lane> lanes;
    private final long[] laneStart;
    private final long total;
    private final int n;
    private final int[] files;
    private final int[] worstFiles;
    private final int[] procs;
    private final int[] worstProcs;
    private final long[] worstPfn;
    private final long[] metadata;
    private final List<Mark> marks;
    private final int maxFiles;
    private final int maxProcs;

    private BlastRadius(List<Lane> lanes, int n, List<Mark> marks) {
        this.lanes = List.copyOf(lanes);
        this.laneStart = new long[lanes.size()];
        long t = 0;
        for (int i = 0; i < lanes.size(); i++) {
            laneStart[i] = t;
            t += lanes.get(i).pages();
        }
        this.total = Math.max(1, t);
        this.n = (int) Math.max(1, Math.min(n, this.total));
        files = new int[this.n];
        worstFiles = new int[this.n];
        procs = new int[this.n];
        worstProcs = new int[this.n];
        worstPfn = new long[this.n];
        Arrays.fill(worstPfn, -1);
        metadata = new long[this.n];
        this.marks = List.copyOf(marks);
        maxFiles = 0;
        maxProcs = 0;
    }

    private BlastRadius(BlastRadius b, int maxFiles, int maxProcs) {
        lanes = b.lanes;
        laneStart = b.laneStart;
        total = b.total;
        n = b.n;
        files = b.files;
        worstFiles = b.worstFiles;
        procs = b.procs;
        worstProcs = b.worstProcs;
        worstPfn = b.worstPfn;
        metadata = b.metadata;
        marks = b.marks;
        this.maxFiles = maxFiles;
        this.maxProcs = maxProcs;
    }

    public static BlastRadius of(World w) {
        return of(w, DEFAULT_REGIONS);
    }

    /** The blast radius of every region of {@code w}'s devices, cut into {@code regions} regions. */
    public static BlastRadius of(World w, int regions) {
        List<Lane> lanes = new ArrayList<>();
        List<Mark> marks = new ArrayList<>();
        PmemDevice d = w.device();
        lanes.add(new Lane(d.name(), d.dataStartPfn(), d.pages()));
        Xfs fs = w.fs();
        if (fs != null) {
            Geometry g = fs.geometry();
            for (AllocationGroup ag : fs.ags()) {
                marks.add(new Mark("AG " + ag.agno(), (long) ag.agno() * g.agblocks()));
            }
        } else {
            marks.add(new Mark(d.name(), 0));
        }
        long at = d.pages();
        PmemDevice log = w.logDevice().orElse(null);
        if (log != null) {
            lanes.add(new Lane(log.name() + " (log)", log.dataStartPfn(), log.pages()));
            marks.add(new Mark("log device", at));
            at += log.pages();
        }
        PmemDevice rt = w.rtDevice().orElse(null);
        if (rt != null) {
            lanes.add(new Lane(rt.name() + " (rt)", rt.dataStartPfn(), rt.pages()));
            marks.add(new Mark("realtime device", at));
        }
        BlastRadius b = new BlastRadius(lanes, regions, marks);
        if (log != null) {
            b.addMetadata(b.global(log.dataStartPfn()), log.pages());
        }
        if (fs != null) {
            b.addFiles(w, fs, rt);
            b.addMetadataRecords(w, fs);
        }
        b.addProcesses(w, rt);
        int mf = 0;
        int mp = 0;
        for (int r = 0; r < b.n; r++) {
            mf = Math.max(mf, b.files[r]);
            mp = Math.max(mp, b.procs[r]);
        }
        return new BlastRadius(b, mf, mp);
    }

    // ------------------------------------------------------------------ the passes

    /** Files per region (distinct inodes with a data extent there) and the worst page's owner count. */
    private void addFiles(World w, Xfs fs, PmemDevice rt) {
        int[] last = new int[n];
        Arrays.fill(last, -1);
        int id = 0;
        for (Inode i : fs.inodes().values()) {
            for (Extent e : i.dataExtents()) {
                long pfn = pfnOfBlock(w, i.rt(), e.startblock(), rt);
                long g0 = global(pfn);
                if (g0 < 0) {
                    continue;
                }
                int r0 = regionOfGlobal(g0);
                int r1 = regionOfGlobal(Math.min(total - 1, g0 + e.blockcount() - 1));
                for (int r = r0; r <= r1; r++) {
                    if (last[r] != id) {
                        last[r] = id;
                        files[r]++;
                        if (worstFiles[r] == 0) {
                            worstFiles[r] = 1;
                        }
                    }
                }
            }
            id++;
        }
        // shared blocks: the refcount btree says how many files one page belongs to
        long base = w.device().dataStartPfn();
        Geometry g = fs.geometry();
        for (AllocationGroup ag : fs.ags()) {
            long agFirst = base + (long) ag.agno() * g.agblocks();
            for (AllocationGroup.RefcountRecord rc : ag.refcountRecords()) {
                long g0 = global(agFirst + rc.startblock());
                if (g0 < 0) {
                    continue;
                }
                int r0 = regionOfGlobal(g0);
                int r1 = regionOfGlobal(Math.min(total - 1, g0 + rc.blockcount() - 1));
                for (int r = r0; r <= r1; r++) {
                    if (rc.refcount() > worstFiles[r] || worstPfn[r] < 0) {
                        worstPfn[r] = pfnOfGlobal(Math.max(g0, regionStart(r)));
                    }
                    worstFiles[r] = Math.max(worstFiles[r], rc.refcount());
                }
            }
        }
    }

    /** Metadata and journal blocks of the data device (rmap records not owned by a file's data fork). */
    private void addMetadataRecords(World w, Xfs fs) {
        long base = w.device().dataStartPfn();
        Geometry g = fs.geometry();
        for (AllocationGroup ag : fs.ags()) {
            long agFirst = base + (long) ag.agno() * g.agblocks();
            for (RmapRecord rec : ag.rmap().records()) {
                if (rec.isInodeOwner() && !rec.attrFork() && !rec.bmbtBlock()) {
                    continue;
                }
                long g0 = global(agFirst + rec.startblock());
                if (g0 >= 0) {
                    addMetadata(g0, rec.blockcount());
                }
            }
        }
    }

    private void addMetadata(long g0, long count) {
        long g1 = Math.min(total, g0 + count);
        int r = regionOfGlobal(g0);
        while (g0 < g1) {
            long end = Math.min(g1, regionStart(r + 1));
            metadata[r] += end - g0;
            g0 = end;
            r++;
        }
    }

    /** Processes per region: each present page-table entry of a file (or device-dax) mapping, at its page. */
    private void addProcesses(World w, PmemDevice rt) {
        int[] last = new int[n];
        Arrays.fill(last, -1);
        Map<Long, int[]> perPage = new HashMap<>(); // pfn → {processes, last process id}
        int id = 0;
        for (Process p : w.processes()) {
            if (!p.alive()) {
                id++;
                continue;
            }
            for (Vma v : p.vmas()) {
                Inode inode = v.ino() >= 0 && w.hasFs() ? w.fs().inode(v.ino()) : null;
                if (inode == null && v.ino() != PageState.DEVDAX_OWNER) {
                    continue;
                }
                for (long idx : v.present()) {
                    if (!v.covers(idx)) {
                        continue;
                    }
                    long pfn;
                    if (inode != null) {
                        Extent e = inode.extentAt(idx);
                        if (e == null) {
                            continue;
                        }
                        pfn = pfnOfBlock(w, inode.rt(), e.blockAt(idx), rt);
                    } else {
                        pfn = w.device().pfnOfOffset(idx * Units.PAGE_SIZE);
                    }
                    long g = global(pfn);
                    if (g < 0) {
                        continue;
                    }
                    int r = regionOfGlobal(g);
                    if (last[r] != id) {
                        last[r] = id;
                        procs[r]++;
                    }
                    int[] c = perPage.computeIfAbsent(pfn, k -> new int[] {0, -1});
                    if (c[1] != id) {
                        c[1] = id;
                        c[0]++;
                        if (c[0] > worstProcs[r]) {
                            worstProcs[r] = c[0];
                            worstPfn[r] = pfn;
                        }
                    }
                }
            }
            id++;
        }
    }

    private static long pfnOfBlock(World w, boolean rtFile, long block, PmemDevice rt) {
        if (rtFile) {
            return rt == null ? -1 : rt.dataStartPfn() + block;
        }
        return w.device().pfnOfOffset(block * Units.PAGE_SIZE);
    }

    // ------------------------------------------------------------------ geometry of the region space

    /** Position of a pfn in the region space, or −1 when it is in no lane (the fsdax reserve, say). */
    public long global(long pfn) {
        for (int i = 0; i < lanes.size(); i++) {
            Lane l = lanes.get(i);
            if (pfn >= l.firstPfn() && pfn < l.firstPfn() + l.pages()) {
                return laneStart[i] + pfn - l.firstPfn();
            }
        }
        return -1;
    }

    /** Position of the first page of a lane at or after pfn, or −1. */
    public long globalAtOrAfter(long pfn) {
        for (int i = 0; i < lanes.size(); i++) {
            Lane l = lanes.get(i);
            if (pfn < l.firstPfn() + l.pages()) {
                return laneStart[i] + Math.max(0, pfn - l.firstPfn());
            }
        }
        return -1;
    }

    /** Position of the last page of a lane at or before pfn, or −1. */
    public long globalAtOrBefore(long pfn) {
        for (int i = lanes.size() - 1; i >= 0; i--) {
            Lane l = lanes.get(i);
            if (pfn >= l.firstPfn()) {
                return laneStart[i] + Math.min(l.pages() - 1, pfn - l.firstPfn());
            }
        }
        return -1;
    }

    /** The pfn at a position of the region space. */
    public long pfnOfGlobal(long g) {
        for (int i = lanes.size() - 1; i >= 0; i--) {
            if (g >= laneStart[i]) {
                return lanes.get(i).firstPfn() + g - laneStart[i];
            }
        }
        return -1;
    }

    /** The region of a position: floor(g · n / total). */
    public int regionOfGlobal(long g) {
        long r = g <= 0 ? 0 : g > Long.MAX_VALUE / n ? (long) ((double) g * n / total) : g * n / total;
        return (int) Math.min(n - 1, r);
    }

    /** The region holding a pfn, or −1. */
    public int regionOf(long pfn) {
        long g = global(pfn);
        return g < 0 ? -1 : regionOfGlobal(g);
    }

    /** First position of region r (r == n gives the end). */
    public long regionStart(int r) {
        if (r >= n) {
            return total;
        }
        // the smallest g with floor(g · n / total) ≥ r
        return r <= 0 ? 0 : ((long) r * total + n - 1) / n;
    }

    public long regionFirstPfn(int r) {
        return pfnOfGlobal(regionStart(r));
    }

    /** Pages in region r. */
    public long regionPages(int r) {
        return regionStart(r + 1) - regionStart(r);
    }

    // ------------------------------------------------------------------ results

    public int regions() {
        return n;
    }

    public long totalPages() {
        return total;
    }

    public List<Lane> lanes() {
        return lanes;
    }

    public List<Mark> marks() {
        return marks;
    }

    /** Distinct files with data in region r. */
    public int files(int r) {
        return files[r];
    }

    /** The most files one page of region r belongs to. */
    public int worstFiles(int r) {
        return worstFiles[r];
    }

    /** Distinct live processes with a present mapping of a page of region r. */
    public int processes(int r) {
        return procs[r];
    }

    /** The most processes one page of region r is mapped by. */
    public int worstProcesses(int r) {
        return worstProcs[r];
    }

    /** The page of region r a poison would hurt most (most mappers, then most owners), or −1 if none stands out. */
    public long worstPfn(int r) {
        return worstPfn[r];
    }

    /** Pages of metadata or journal in region r: a poison there shuts the filesystem down. */
    public long metadataPages(int r) {
        return metadata[r];
    }

    public int maxFiles() {
        return maxFiles;
    }

    public int maxProcesses() {
        return maxProcs;
    }

    /** The largest {@link #worstFiles} and {@link #worstProcesses} of any region. */
    public int[] worstOverall() {
        int f = 0;
        int p = 0;
        for (int r = 0; r < n; r++) {
            f = Math.max(f, worstFiles[r]);
            p = Math.max(p, worstProcs[r]);
        }
        return new int[] {f, p};
    }

    /** One line per region for a tooltip. */
    public String describe(int r) {
        long first = regionFirstPfn(r);
        long pages = regionPages(r);
        StringBuilder b = new StringBuilder();
        b.append("pfn ").append(Units.hex(first)).append(" + ").append(Units.human(pages * Units.PAGE_SIZE)).append(": ");
        if (files[r] == 0 && procs[r] == 0 && metadata[r] == 0) {
            return b.append("free space, a poison here reaches nobody").toString();
        }
        b.append(files[r]).append(files[r] == 1 ? " file" : " files").append(", ").append(procs[r])
                .append(procs[r] == 1 ? " process" : " processes").append(" in the region; one page reaches at most ")
                .append(worstFiles[r]).append(worstFiles[r] == 1 ? " file" : " files").append(" and ")
                .append(worstProcs[r]).append(worstProcs[r] == 1 ? " process" : " processes");
        if (metadata[r] > 0) {
            b.append("; ").append(metadata[r]).append(" metadata/journal page").append(metadata[r] == 1 ? "" : "s")
                    .append(": a poison there shuts the filesystem down");
        }
        return b.toString();
    }
}
