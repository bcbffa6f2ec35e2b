package dev.daxviz.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Makes a changed copy of a {@link World}. Like a transient in a persistent-collection library, it copies
 * each part (page states, DAX entries, processes, inodes, one AG's maps) the first time an operation writes
 * to it and shares everything else with the original. Operations mirror what a user or the kernel does:
 * create and clone files, write, punch, fault pages through mappings, exit. Kernel log lines they print
 * (fault warnings) collect in {@link #log()}.
 *
 * <p>An editor is used by one thread and discarded after {@link #build()}.
 */
public final class WorldEditor {
    /** User address where each process's first mapping starts. */
    public static final long MMAP_BASE = 0x7f0000000000L;

    private final World base;
    private KernelProfile profile;
    private final Geometry geo;
    private Xfs fs;
    private Sysctl sysctl;

    private Map<Long, PageState> pages;
    private boolean pagesCopied;
    private Map<Long, NavigableMap<Long, DaxEntry>> entries;
    private boolean entriesCopied;
    private final Set<Long> entriesCopiedFor = new HashSet<>();
    private List<Process> procs;
    private boolean procsCopied;
    private NavigableMap<Long, Inode> inodes;
    private NavigableMap<String, Long> paths;
    private NavigableSet<String> dirs;
    private NavigableMap<Long, Long> rtFree;
    private boolean nsCopied;
    private final AgState[] ags;
    private Xfs.FsState state;
    private String shutdownReason;
    private final List<String> log = new ArrayList<>();
    private final Set<String> warned;

    WorldEditor(World base) {
        this.base = base;
        this.warned = new HashSet<>(base.warnedOnce());
        this.profile = base.profile();
        this.fs = base.fs();
        this.geo = fs == null ? null : fs.geometry();
        this.sysctl = base.sysctl();
        this.pages = base.pages();
        this.entries = base.daxEntries();
        this.procs = base.processes();
        if (fs != null) {
            inodes = fs.inodes();
            paths = fs.paths();
            dirs = fs.dirs();
            rtFree = fs.rtFree();
            state = fs.state();
            shutdownReason = fs.shutdownReason();
            ags = new AgState[fs.ags().size()];
        } else {
            ags = new AgState[0];
        }
    }

    static WorldEditor fresh(KernelProfile profile, PmemDevice device, FsOptions o, Sysctl sysctl, long seed) {
        String uuid = uuidFor(seed);
        if (o == null || device.mode() == DeviceMode.DEVDAX) {
            World w = new World(profile, device, null, null, null, Map.of(), Map.of(), List.of(), sysctl, uuid, Set.of());
            return new WorldEditor(w);
        }
        Geometry g = Geometry.mkfs(device.size(), o.agCount(), o.logDevice() == null);
        List<AllocationGroup> ags = new ArrayList<>();
        for (int agno = 0; agno < g.agcount(); agno++) {
            ags.add(mkfsAg(g, agno));
        }
        TreeMap<Long, Long> rtFree = new TreeMap<>();
        if (o.rtDevice() != null) {
            rtFree.put(0L, o.rtDevice().size() / Units.PAGE_SIZE);
        }
        TreeSet<String> dirs = new TreeSet<>(List.of("/"));
        Xfs fs = new Xfs(g, o.reflink(), o.rmapbt(), o.logDevice() != null, o.rtDevice() != null, o.dax(), o.state(),
                o.mountedAfterSetup(), ags, new TreeMap<>(), new TreeMap<>(), dirs, rtFree, null);
        World w = new World(profile, device, o.logDevice(), o.rtDevice(), fs, Map.of(), Map.of(), List.of(), sysctl, uuid, Set.of());
        WorldEditor e = new WorldEditor(w);
        if (o.state() != Xfs.FsState.UNMOUNTED) {
            e.log.addAll(MountRules.mountLines(profile, device.name(), o, uuid));
        }
        return e;
    }

    static WorldEditor mounted(World w) {
        WorldEditor e = new WorldEditor(w);
        Xfs fs = w.fs();
        if (fs != null && fs.state() != Xfs.FsState.UNMOUNTED) {
            FsOptions o = new FsOptions(fs.ags().size(), fs.reflink(), fs.rmapbt(), w.logDevice().orElse(null),
                    w.rtDevice().orElse(null), fs.daxPolicy(), fs.state(), fs.mountedAfterSetup());
            e.log.addAll(MountRules.mountLines(w.profile(), w.device().name(), o, w.uuid()));
        }
        return e;
    }

    static String uuidFor(long seed) {
        java.util.Random r = new java.util.Random(seed);
        long hi = (r.nextLong() & ~0xf000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new java.util.UUID(hi, lo).toString();
    }

    /** What mkfs.xfs writes into one AG (xfs-layout-reference.md). */
    private static AllocationGroup mkfsAg(Geometry g, int agno) {
        int size = g.agSize(agno);
        List<RmapRecord> recs = new ArrayList<>();
        recs.add(RmapRecord.special(0, 4, RmapOwner.FS));
        recs.add(RmapRecord.special(Geometry.BNOBT_ROOT, 2, RmapOwner.AG));
        recs.add(RmapRecord.special(Geometry.INOBT_ROOT, 2, RmapOwner.INOBT));
        recs.add(RmapRecord.special(Geometry.RMAPBT_ROOT, 1, RmapOwner.AG));
        recs.add(RmapRecord.special(Geometry.REFCOUNTBT_ROOT, 1, RmapOwner.REFC));
        int next = Geometry.AGFL_RESERVE;
        if (agno == g.logAgno()) {
            recs.add(RmapRecord.special(g.logAgbno(), g.logBlocks(), RmapOwner.LOG));
            next = g.logAgbno() + g.logBlocks();
        }
        recs.add(RmapRecord.special(next, Geometry.AGFL_RESERVE_BLOCKS, RmapOwner.AG));
        next += Geometry.AGFL_RESERVE_BLOCKS;
        List<Integer> chunks = new ArrayList<>();
        int used = 0;
        if (agno == 0) {
            int chunk = (int) Units.alignUp(next, 8);
            recs.add(RmapRecord.special(chunk, 8, RmapOwner.INODES));
            chunks.add(chunk);
            used = 3; // root directory 128, realtime bitmap 129 and summary 130
            next = chunk + 8;
        }
        recs.sort(null);
        // blocks between the AGFL reserve and an aligned inode chunk stay free
        NavigableMap<Integer, Integer> free = FsLayout.free(recs, size);
        return new AllocationGroup(agno, size, RmapBtree.bulkLoad(recs), new TreeMap<>(), free, chunks, used);
    }

    // ------------------------------------------------------------------ results

    /** Kernel log lines the operations so far printed. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Returns and forgets the log lines printed so far. */
    public List<String> drainLog() {
        List<String> out = List.copyOf(log);
        log.clear();
        return out;
    }

    public World build() {
        Xfs newFs = fs;
        if (fs != null) {
            List<AllocationGroup> agList = new ArrayList<>(fs.ags());
            for (int i = 0; i < ags.length; i++) {
                if (ags[i] != null) {
                    agList.set(i, ags[i].freeze());
                }
            }
            newFs = new Xfs(geo, fs.reflink(), fs.rmapbt(), fs.externalLog(), fs.realtime(), fs.daxPolicy(), state,
                    fs.mountedAfterSetup(), agList, inodes, paths, dirs, rtFree, shutdownReason);
        }
        World w = base.with(newFs, pages, entries, procs, sysctl, warned);
        // the world now holds these maps: later edits (after peek()) must copy them again, not write into them
        pagesCopied = false;
        entriesCopied = false;
        entriesCopiedFor.clear();
        procsCopied = false;
        nsCopied = false;
        return profile == base.profile() ? w : w.withProfile(profile);
    }

    /** A snapshot of the world so far without ending the edit. */
    public World peek() {
        return build();
    }

    // ------------------------------------------------------------------ simple accessors

    public KernelProfile profile() {
        return profile;
    }

    public Geometry geometry() {
        return geo;
    }

    public boolean hasFs() {
        return fs != null;
    }

    public Inode inode(String path) {
        Long ino = paths == null ? null : paths.get(path);
        return ino == null ? null : inodes.get(ino);
    }

    public Inode inode(long ino) {
        return inodes == null ? null : inodes.get(ino);
    }

    public Process process(int pid) {
        for (Process p : procs) {
            if (p.pid() == pid) {
                return p;
            }
        }
        return null;
    }

    public PageState page(long pfn) {
        return pages.getOrDefault(pfn, PageState.CLEAN);
    }

    /** Processes in task-list order, as they are now. */
    public List<Process> processes() {
        return java.util.Collections.unmodifiableList(procs);
    }

    /** The DAX entry covering a file index now (its own, or its PMD head's), or null. */
    public DaxEntry daxEntry(long ino, long index) {
        return entryNow(ino, index);
    }

    /**
     * The first file index in {@code [from, to)} that may have a DAX entry other than a zero entry (its own or its
     * PMD head's), or {@code to}: every index before the one returned has none ({@link #daxEntry} is null or a
     * zero entry there). Lets a walk over a huge range skip the pages nobody faulted.
     */
    public long nextDaxEntryIndex(long ino, long from, long to) {
        NavigableMap<Long, DaxEntry> m = entries.get(ino);
        if (m == null || from >= to) {
            return Math.max(from, to);
        }
        long head = from & ~(long) (Units.PMD_PAGES - 1);
        for (Map.Entry<Long, DaxEntry> e : m.subMap(head, true, to, false).entrySet()) {
            DaxEntry d = e.getValue();
            if (d.zero()) {
                continue;
            }
            long k = e.getKey();
            if (k >= from) {
                return k;
            }
            if (d.pmd() && k + Units.PMD_PAGES > from) {
                return from;
            }
        }
        return to;
    }

    public Xfs fs() {
        return fs;
    }

    public PmemDevice device() {
        return base.device();
    }

    public AllocationGroup ag(int agno) {
        return ags[agno] != null ? ags[agno].freeze() : fs.ag(agno);
    }

    /**
     * The most owners any block of the data-device extent {@code [fsblock, fsblock+len)} has now: its refcount where
     * it is shared, else 1 (the extent lies in one AG).
     */
    public int maxOwners(long fsblock, long len) {
        int agno = geo.agnoOf(fsblock);
        int agbno = geo.agbnoOf(fsblock);
        NavigableMap<Integer, Integer> rc = ags[agno] != null ? ags[agno].refcounts : fs.ag(agno).refcounts();
        int most = 1;
        for (int c : rc.subMap(agbno, true, (int) Math.min(Integer.MAX_VALUE, agbno + len), false).values()) {
            most = Math.max(most, c);
        }
        return most;
    }

    /** Free blocks of an AG now, without freezing it (cheap: {@link #ag} copies the AG's maps). */
    public long freeBlocks(int agno) {
        return ags[agno] != null ? ags[agno].freeBlocks() : fs.ag(agno).freeBlocks();
    }

    public Xfs.FsState fsState() {
        return state;
    }

    public WorldEditor sysctl(Sysctl s) {
        this.sysctl = s;
        return this;
    }

    /** The struct-page frame of a data-device fs block. */
    public long pfnOfBlock(long fsblock) {
        return base.device().pfnOfOffset(fsblock * Units.PAGE_SIZE);
    }

    /** The pfn of a realtime-device block. */
    public long pfnOfRtBlock(long rtblock) {
        return base.rawRtDevice().pfnOfOffset(rtblock * Units.PAGE_SIZE);
    }

    long pfnOfFileBlock(Inode ino, long fsblock) {
        return ino.rt() ? pfnOfRtBlock(fsblock) : pfnOfBlock(fsblock);
    }

    // ------------------------------------------------------------------ copy-on-write helpers

    private Map<Long, PageState> pagesW() {
        if (!pagesCopied) {
            pages = new HashMap<>(pages);
            pagesCopied = true;
        }
        return pages;
    }

    private void setPage(long pfn, PageState s) {
        if (s.equals(PageState.CLEAN)) {
            if (pages.containsKey(pfn)) {
                pagesW().remove(pfn);
            }
        } else {
            pagesW().put(pfn, s);
        }
    }

    private NavigableMap<Long, DaxEntry> entriesW(long ino) {
        if (!entriesCopied) {
            entries = new HashMap<>(entries);
            entriesCopied = true;
        }
        if (entriesCopiedFor.add(ino)) {
            NavigableMap<Long, DaxEntry> old = entries.get(ino);
            entries.put(ino, old == null ? new TreeMap<>() : new TreeMap<>(old));
        }
        return entries.get(ino);
    }

    private List<Process> procsW() {
        if (!procsCopied) {
            procs = new ArrayList<>(procs);
            procsCopied = true;
        }
        return procs;
    }

    private void nsW() {
        if (!nsCopied) {
            inodes = new TreeMap<>(inodes);
            paths = new TreeMap<>(paths);
            dirs = new TreeSet<>(dirs);
            rtFree = new TreeMap<>(rtFree);
            nsCopied = true;
        }
    }

    private AgState agW(int agno) {
        if (ags[agno] == null) {
            ags[agno] = new AgState(fs.ag(agno));
        }
        return ags[agno];
    }

    private void putInode(Inode i) {
        nsW();
        inodes.put(i.ino(), i);
    }

    private void requireFs() {
        if (fs == null) {
            throw new ModelException("this device has no filesystem");
        }
    }

    private Inode requireFile(String path) {
        requireFs();
        Inode i = inode(path);
        if (i == null) {
            throw new ModelException("no file " + path);
        }
        return i;
    }

    // ------------------------------------------------------------------ block ownership

    /**
     * Adds one owner to every block of a range: a free block becomes allocated, an allocated one becomes
     * shared (its refcount goes up).
     */
    private void addRefs(int agno, int agbno, int len) {
        AgState a = agW(agno);
        int end = agbno + len;
        int cur = agbno;
        while (cur < end) {
            Map.Entry<Integer, Integer> f = a.free.floorEntry(cur);
            if (f != null && cur < f.getKey() + f.getValue()) {
                int fEnd = Math.min(end, f.getKey() + f.getValue());
                a.carveFree(cur, fEnd - cur);
                cur = fEnd;
            } else {
                Integer nextFree = a.free.higherKey(cur);
                int stop = nextFree == null ? end : Math.min(end, nextFree);
                for (int b = cur; b < stop; b++) {
                    a.refcounts.merge(b, 2, (old, two) -> old + 1);
                }
                cur = stop;
            }
        }
    }

    /** Drops one owner from every block of a range: shared blocks count down, single-owner blocks become free. */
    private void dropRefs(int agno, int agbno, int len) {
        AgState a = agW(agno);
        int end = agbno + len;
        int runStart = -1;
        for (int b = agbno; b <= end; b++) {
            Integer c = b < end ? a.refcounts.get(b) : null;
            boolean freeIt = b < end && c == null;
            if (c != null) {
                if (c <= 2) {
                    a.refcounts.remove(b);
                } else {
                    a.refcounts.put(b, c - 1);
                }
            }
            if (freeIt && runStart < 0) {
                runStart = b;
            } else if (!freeIt && runStart >= 0) {
                a.addFree(runStart, b - runStart);
                runStart = -1;
            }
        }
    }

    private void addExtentOwner(Inode ino, Extent e, boolean attr) {
        if (ino.rt()) {
            rtCarve(e.startblock(), e.blockcount());
            return;
        }
        int agno = geo.agnoOf(e.startblock());
        int agbno = geo.agbnoOf(e.startblock());
        addRefs(agno, agbno, (int) e.blockcount());
        agW(agno).insert(new RmapRecord(agbno, (int) e.blockcount(), ino.ino(), e.startoff(), attr, false,
                e.unwritten()));
    }

    private void dropExtentOwner(Inode ino, Extent e, boolean attr) {
        if (ino.rt()) {
            rtAddFree(e.startblock(), e.blockcount());
            return;
        }
        int agno = geo.agnoOf(e.startblock());
        int agbno = geo.agbnoOf(e.startblock());
        agW(agno).delete(new RmapRecord(agbno, (int) e.blockcount(), ino.ino(), e.startoff(), attr, false,
                e.unwritten()));
        dropRefs(agno, agbno, (int) e.blockcount());
    }

    private void addBmbtOwner(long ino, long fsblock) {
        int agno = geo.agnoOf(fsblock);
        int agbno = geo.agbnoOf(fsblock);
        addRefs(agno, agbno, 1);
        agW(agno).insert(new RmapRecord(agbno, 1, ino, 0, false, true, false));
    }

    private void dropBmbtOwner(long ino, long fsblock) {
        int agno = geo.agnoOf(fsblock);
        int agbno = geo.agbnoOf(fsblock);
        agW(agno).delete(new RmapRecord(agbno, 1, ino, 0, false, true, false));
        dropRefs(agno, agbno, 1);
    }

    /**
     * Replaces an inode's data fork: the reverse map, refcounts and free space follow the difference, extents
     * are normalised (adjacent contiguous ones merged), and the bmbt grows or shrinks with the extent count.
     */
    private Inode setDataFork(Inode old, List<Extent> newExtents, long newSize) {
        List<Extent> norm = normalise(old, newExtents);
        Set<Extent> before = new HashSet<>(old.dataExtents());
        Set<Extent> after = new HashSet<>(norm);
        for (Extent e : old.dataExtents()) {
            if (!after.contains(e)) {
                dropExtentOwner(old, e, false);
            }
        }
        for (Extent e : norm) {
            if (!before.contains(e)) {
                addExtentOwner(old, e, false);
            }
        }
        Inode n = old.with(norm, newSize);
        n = resizeBmbt(n);
        putInode(n);
        return n;
    }

    private Inode resizeBmbt(Inode n) {
        if (n.rt()) {
            return n;
        }
        int need = Inode.bmbtBlocksNeeded(n.dataExtents().size(), !n.attrExtents().isEmpty());
        if (n.disk() != null) {
            // an imported fork keeps the kernel's btree until it fits in the inode again, or grows past it
            int cap = n.inlineExtentCapacity();
            int extents = n.dataExtents().size();
            need = extents <= cap ? 0 : Math.max(n.bmbtBlocks().size(), (extents + Inode.BMBT_LEAF_RECS - 1)
                    / Inode.BMBT_LEAF_RECS);
        }
        List<Long> bm = new ArrayList<>(n.bmbtBlocks());
        while (bm.size() > need) {
            dropBmbtOwner(n.ino(), bm.remove(bm.size() - 1));
        }
        while (bm.size() < need) {
            int agno = geo.agnoOfIno(n.ino());
            long b = allocate(agno, 1, 1, 1).get(0)[0];
            addBmbtOwner(n.ino(), b);
            bm.add(b);
        }
        return bm.equals(n.bmbtBlocks()) ? n : n.withBmbt(bm);
    }

    private List<Extent> normalise(Inode i, List<Extent> in) {
        try {
            return Extent.merged(in, i.rt() ? Long.MAX_VALUE : geo.agblocks());
        } catch (IllegalArgumentException e) {
            throw new ModelException(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ allocator

    /**
     * Deterministic first-fit allocator: {@code len} blocks in AG {@code agHint} (then the following AGs),
     * in at most {@code maxPieces} extents, each starting at a block whose physical address is a multiple of
     * {@code alignBlocks} pages. Returns (fsblock, length) pairs in file order.
     */
    private List<long[]> allocate(int agHint, long len, int alignBlocks, int maxPieces) {
        List<long[]> out = new ArrayList<>();
        List<long[]> held = new ArrayList<>();
        long left = len;
        for (int k = 0; k < geo.agcount() && left > 0; k++) {
            int agno = (agHint + k) % geo.agcount();
            AgState a = agW(agno);
            while (left > 0) {
                long[] got = a.firstFit(geo, agno, left, alignBlocks, physAlignBase(), out.size() + 1 < maxPieces);
                if (got == null) {
                    break;
                }
                out.add(new long[] {geo.fsblock(agno, (int) got[0]), got[1]});
                left -= got[1];
                if (left > 0) {
                    // held while the rest is found (the last piece needs no holding: nothing searches after it)
                    a.carveFree((int) got[0], (int) got[1]);
                    held.add(out.get(out.size() - 1));
                }
            }
        }
        // ownership is recorded by the caller through addExtentOwner; give the held blocks back until then
        for (long[] p : held) {
            agW(geo.agnoOf(p[0])).addFree(geo.agbnoOf(p[0]), (int) p[1]);
        }
        if (left > 0) {
            throw new ModelException("no space: " + len + " blocks do not fit the filesystem"
                    + (alignBlocks > 1 ? " with " + Units.human(alignBlocks * Units.PAGE_SIZE) + " alignment" : ""));
        }
        return out;
    }

    /** pfn of fs block 0, so alignment can be asked of physical addresses. */
    private long physAlignBase() {
        return base.device().dataStartPfn();
    }

    private long rtAllocate(long len) {
        for (Map.Entry<Long, Long> e : rtFree.entrySet()) {
            if (e.getValue() >= len) {
                return e.getKey();
            }
        }
        throw new ModelException("no space on the realtime device for " + len + " blocks");
    }

    private void rtCarve(long start, long len) {
        nsW();
        Map.Entry<Long, Long> f = rtFree.floorEntry(start);
        if (f == null || start + len > f.getKey() + f.getValue()) {
            throw new ModelException("realtime blocks " + start + "+" + len + " are not free");
        }
        rtFree.remove(f.getKey());
        if (start > f.getKey()) {
            rtFree.put(f.getKey(), start - f.getKey());
        }
        long tail = f.getKey() + f.getValue() - (start + len);
        if (tail > 0) {
            rtFree.put(start + len, tail);
        }
    }

    private void rtAddFree(long start, long len) {
        nsW();
        long s = start;
        long l = len;
        Map.Entry<Long, Long> prev = rtFree.floorEntry(s);
        if (prev != null && prev.getKey() + prev.getValue() == s) {
            rtFree.remove(prev.getKey());
            s = prev.getKey();
            l += prev.getValue();
        }
        Long next = rtFree.get(s + l);
        if (next != null) {
            rtFree.remove(s + l);
            l += next;
        }
        rtFree.put(s, l);
    }

    // ------------------------------------------------------------------ inode allocation

    private long allocInode(int agno) {
        AgState a = agW(agno);
        int slot = a.inodesUsed;
        int chunkIdx = slot / Geometry.INODES_PER_CHUNK;
        if (chunkIdx == a.chunks.size()) {
            long[] got = a.firstFit(geo, agno, 8, 8, 0, false);
            if (got == null) {
                throw new ModelException("AG " + agno + " has no room for an inode chunk");
            }
            addRefs(agno, (int) got[0], 8);
            a.insert(RmapRecord.special((int) got[0], 8, RmapOwner.INODES));
            a.chunks.add((int) got[0]);
        }
        int chunk = a.chunks.get(chunkIdx);
        a.inodesUsed++;
        long agino = ((long) chunk << geo.inopblog()) + slot % Geometry.INODES_PER_CHUNK;
        return geo.ino(agno, agino);
    }

    private void makeParents(String path) {
        nsW();
        int i = path.indexOf('/', 1);
        while (i > 0) {
            String dir = path.substring(0, i);
            if (paths.containsKey(dir)) {
                throw new ModelException(dir + " is a file, not a directory");
            }
            dirs.add(dir);
            i = path.indexOf('/', i + 1);
        }
    }

    private static void checkPath(String path) {
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new ModelException("'" + path + "' is not an absolute file path (like /data/a.bin)");
        }
    }

    /** Whether a file's mapping is DAX once its inode is read in (kernel-semantics.md §2). */
    private boolean daxWhenRead(Inode i, boolean fromDisk) {
        boolean wants = switch (fs.daxPolicy()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case INODE -> i.daxFlag();
        };
        if (wants && fromDisk && i.reflinked() && !profile.reflinkedInodeDaxFromDisk()) {
            return false;
        }
        return wants;
    }

    // ------------------------------------------------------------------ file operations

    /** What {@link #createFile} should allocate. */
    public record FileSpec(String path, long size, Integer ag, long alignBytes, int fragments, int xattrBlocks,
                           boolean rt, boolean daxFlag) {
        public static FileSpec of(String path, long size) {
            return new FileSpec(path, size, null, 0, 1, 0, false, false);
        }

        public FileSpec inAg(int agno) {
            return new FileSpec(path, size, agno, alignBytes, fragments, xattrBlocks, rt, daxFlag);
        }

        public FileSpec aligned(long bytes) {
            return new FileSpec(path, size, ag, bytes, fragments, xattrBlocks, rt, daxFlag);
        }

        public FileSpec fragmented(int n) {
            return new FileSpec(path, size, ag, alignBytes, n, xattrBlocks, rt, daxFlag);
        }

        public FileSpec withXattrBlocks(int n) {
            return new FileSpec(path, size, ag, alignBytes, fragments, n, rt, daxFlag);
        }

        public FileSpec realtime() {
            return new FileSpec(path, size, ag, alignBytes, fragments, xattrBlocks, true, daxFlag);
        }

        public FileSpec withDaxFlag(boolean f) {
            return new FileSpec(path, size, ag, alignBytes, fragments, xattrBlocks, rt, f);
        }
    }

    private Inode newInode(String path, int agno, boolean rt, boolean daxFlag) {
        checkPath(path);
        requireFs();
        if (paths.containsKey(path) || dirs.contains(path)) {
            throw new ModelException(path + " already exists");
        }
        if (agno < 0 || agno >= geo.agcount()) {
            throw new ModelException("AG " + agno + " does not exist (the filesystem has " + geo.agcount() + ")");
        }
        if (rt && !fs.realtime()) {
            throw new ModelException(path + " is a realtime file but the filesystem has no realtime device");
        }
        makeParents(path);
        long ino = allocInode(agno);
        Inode i = new Inode(ino, path, 0, List.of(), List.of(), List.of(), rt, daxFlag, false, true, false, false);
        i = i.withIncore(true, daxWhenRead(i, false));
        nsW();
        paths.put(path, ino);
        inodes.put(ino, i);
        return i;
    }

    /** Creates a file and writes {@code size} bytes to it: blocks from the allocator. */
    public Inode createFile(FileSpec s) {
        int agno = s.ag() == null ? 0 : s.ag();
        Inode i = newInode(s.path(), agno, s.rt(), s.daxFlag());
        long blocks = Units.alignUp(s.size(), Units.PAGE_SIZE) / Units.PAGE_SIZE;
        List<Extent> ext = new ArrayList<>();
        if (blocks > 0 && s.rt()) {
            long start = rtAllocate(blocks);
            ext.add(new Extent(0, start, blocks, false));
        } else if (blocks > 0) {
            int pieces = Math.max(1, s.fragments());
            if (pieces > blocks) {
                throw new ModelException(s.path() + ": " + pieces + " fragments need at least " + pieces + " blocks");
            }
            int align = (int) Math.max(1, s.alignBytes() / Units.PAGE_SIZE);
            long off = 0;
            for (int p = 0; p < pieces; p++) {
                long len = blocks / pieces + (p < blocks % pieces ? 1 : 0);
                List<long[]> got = allocate(agno, len, align, pieces == 1 ? Integer.MAX_VALUE : 1);
                for (long[] g : got) {
                    ext.add(new Extent(off, g[0], g[1], false));
                    // keep the pieces apart: a one-block gap makes each its own extent
                    if (pieces > 1) {
                        reserveGap(g[0] + g[1]);
                    }
                    off += g[1];
                }
                i = addOwners(i, ext);
                ext.clear();
            }
            releaseGaps();
        }
        if (!ext.isEmpty()) {
            i = addOwners(i, ext);
        }
        i = i.with(i.dataExtents(), s.size());
        putInode(i);
        i = resizeBmbt(i);
        putInode(i);
        if (s.xattrBlocks() > 0) {
            i = addAttrBlocks(i, s.xattrBlocks());
        }
        return i;
    }

    private final List<long[]> gaps = new ArrayList<>();

    private void reserveGap(long fsblock) {
        int agno = geo.agnoOf(fsblock);
        int agbno = geo.agbnoOf(fsblock);
        if (agbno < geo.agSize(agno) && agW(agno).isFree(agbno)) {
            agW(agno).carveFree(agbno, 1);
            gaps.add(new long[] {agno, agbno});
        }
    }

    private void releaseGaps() {
        for (long[] g : gaps) {
            agW((int) g[0]).addFree((int) g[1], 1);
        }
        gaps.clear();
    }

    private Inode addOwners(Inode i, List<Extent> add) {
        List<Extent> all = new ArrayList<>(i.dataExtents());
        all.addAll(add);
        return setDataFork(i, all, i.size());
    }

    private Inode addAttrBlocks(Inode i, int n) {
        int agno = geo.agnoOfIno(i.ino());
        List<Extent> attr = new ArrayList<>(i.attrExtents());
        long off = attr.stream().mapToLong(Extent::endoff).max().orElse(0);
        for (long[] g : allocate(agno, n, 1, Integer.MAX_VALUE)) {
            Extent e = new Extent(off, g[0], g[1], false);
            addExtentOwner(i, e, true);
            attr.add(e);
            off += g[1];
        }
        i = i.withAttr(attr);
        putInode(i);
        i = resizeBmbt(i);
        putInode(i);
        return i;
    }

    /** A placed extent: file block {@code offset} at (agno, agbno), {@code length} blocks. */
    public record Placement(long offset, int agno, int agbno, long length) {
    }

    /** Creates a file whose extents are exactly where the caller says; the blocks must be free. */
    public Inode placeFile(String path, List<Placement> places, Long size, boolean daxFlag) {
        // the inode goes to AG 0's existing chunk, so a new chunk cannot land on the blocks asked for
        Inode i = newInode(path, 0, false, daxFlag);
        List<Extent> ext = new ArrayList<>();
        for (Placement p : places) {
            if (p.agno() < 0 || p.agno() >= geo.agcount()) {
                throw new ModelException(path + ": AG " + p.agno() + " does not exist");
            }
            if (p.agbno() < 0 || p.length() <= 0 || p.agbno() + p.length() > geo.agSize(p.agno())) {
                throw new ModelException(path + ": blocks " + p.agbno() + "+" + p.length() + " do not fit AG " + p.agno()
                        + " (" + geo.agSize(p.agno()) + " blocks)");
            }
            AgState a = agW(p.agno());
            for (long b = p.agbno(); b < p.agbno() + p.length(); b++) {
                if (!a.isFree((int) b)) {
                    throw new ModelException(path + ": AG " + p.agno() + " block " + b + " is already in use ("
                            + ownerNames(p.agno(), (int) b) + ")");
                }
            }
            ext.add(new Extent(p.offset(), geo.fsblock(p.agno(), p.agbno()), p.length(), false));
        }
        i = setDataFork(i, ext, 0);
        long end = i.dataExtents().stream().mapToLong(Extent::endoff).max().orElse(0) * Units.PAGE_SIZE;
        i = i.with(i.dataExtents(), size == null ? end : size);
        putInode(i);
        return i;
    }

    private String ownerNames(int agno, int agbno) {
        List<String> names = new ArrayList<>();
        for (RmapRecord r : agW(agno).tree().queryRange(agbno, agbno).records()) {
            names.add(r.isInodeOwner() ? pathOf(r.owner()) : RmapOwner.describe(r.owner()));
        }
        return String.join(", ", names);
    }

    private String pathOf(long ino) {
        Inode i = inodes.get(ino);
        return i == null ? "inode " + ino : i.path();
    }

    private void requireReflink() {
        if (!fs.reflink()) {
            throw new ModelException("the filesystem was made without reflink (filesystem.reflink: false)");
        }
    }

    /** {@code cp --reflink=always FROM TO}: a new file sharing every block of FROM. */
    public Inode reflink(String from, String to) {
        Inode src = requireFile(from);
        requireReflink();
        if (src.rt()) {
            throw new ModelException("realtime files cannot be reflinked");
        }
        Inode dst = newInode(to, geo.agnoOfIno(src.ino()), false, src.daxFlag());
        dst = setDataFork(dst, src.dataExtents(), src.size()).withReflinked();
        putInode(dst);
        markReflinked(src);
        return inode(to);
    }

    private void markReflinked(Inode i) {
        if (!i.reflinked()) {
            putInode(inode(i.ino()).withReflinked());
        }
    }

    /**
     * {@code FICLONERANGE}: bytes {@code [srcOff, srcOff+len)} of FROM replace {@code [dstOff, dstOff+len)} of
     * TO, sharing blocks; TO's blocks there are released. Offsets and length in bytes, page aligned.
     */
    public Inode reflinkRange(String from, long srcOff, long len, String to, long dstOff) {
        Inode src = requireFile(from);
        Inode dst = requireFile(to);
        requireReflink();
        if (srcOff % Units.PAGE_SIZE != 0 || dstOff % Units.PAGE_SIZE != 0 || len % Units.PAGE_SIZE != 0 || len <= 0) {
            throw new ModelException("clone ranges must be whole pages");
        }
        if (srcOff + len > Units.alignUp(src.size(), Units.PAGE_SIZE)) {
            throw new ModelException("clone source range ends past the end of " + from);
        }
        long s0 = srcOff / Units.PAGE_SIZE;
        long d0 = dstOff / Units.PAGE_SIZE;
        long n = len / Units.PAGE_SIZE;
        dropPagesOf(dst, d0, d0 + n);
        List<Extent> next = cut(dst.dataExtents(), d0, d0 + n);
        for (Extent e : src.dataExtents()) {
            Extent sl = e.slice(s0, s0 + n);
            if (sl != null) {
                next.add(new Extent(sl.startoff() - s0 + d0, sl.startblock(), sl.blockcount(), sl.unwritten()));
            }
        }
        Inode out = setDataFork(dst, next, Math.max(dst.size(), dstOff + len));
        putInode(out.withReflinked());
        markReflinked(inode(src.ino()));
        return inode(to);
    }

    /** The extents without file blocks {@code [from, to)}. */
    private static List<Extent> cut(List<Extent> in, long from, long to) {
        List<Extent> out = new ArrayList<>();
        for (Extent e : in) {
            Extent left = e.slice(e.startoff(), from);
            Extent right = e.slice(to, e.endoff());
            if (left != null) {
                out.add(left);
            }
            if (right != null) {
                out.add(right);
            }
        }
        return out;
    }

    /**
     * write(2) of a byte range: shared blocks in it are copied on write (new blocks for this file, the old
     * blocks lose an owner), holes are filled. Profiles that invalidate on CoW drop the file's DAX entries and
     * every mapper's page-table entries over the copied blocks; older ones leave them pointing at the old
     * blocks (kernel-semantics.md §2).
     */
    public Inode write(String path, long offset, long length) {
        Inode i = requireFile(path);
        if (length <= 0) {
            throw new ModelException("write length must be positive");
        }
        long b0 = offset / Units.PAGE_SIZE;
        long b1 = Units.alignUp(offset + length, Units.PAGE_SIZE) / Units.PAGE_SIZE;
        List<Long> copied = new ArrayList<>();
        for (long b = b0; b < b1; b++) {
            i = inode(i.ino());
            Extent e = i.extentAt(b);
            if (e == null) {
                i = fillBlock(i, b);
            } else if (!i.rt() && isShared(e.blockAt(b))) {
                i = remapBlock(i, b);
                copied.add(b);
            }
        }
        i = inode(i.ino());
        if (offset + length > i.size()) {
            i = i.with(i.dataExtents(), offset + length);
            putInode(i);
        }
        if (profile.invalidateOnCowWrite()) {
            for (long b : copied) {
                invalidateIndex(i.ino(), b);
            }
        }
        return inode(i.ino());
    }

    private boolean isShared(long fsblock) {
        return agW(geo.agnoOf(fsblock)).refcounts.containsKey(geo.agbnoOf(fsblock));
    }

    /** Gives file block {@code b} a new block of its own (CoW remap). */
    private Inode remapBlock(Inode i, long b) {
        Extent e = i.extentAt(b);
        long[] nb = allocate(geo.agnoOf(e.blockAt(b)), 1, 1, 1).get(0);
        List<Extent> next = cut(i.dataExtents(), b, b + 1);
        next.add(new Extent(b, nb[0], 1, false));
        return setDataFork(i, next, i.size());
    }

    private Inode fillBlock(Inode i, long b) {
        List<Extent> next = new ArrayList<>(i.dataExtents());
        if (i.rt()) {
            next.add(new Extent(b, rtAllocate(1), 1, false));
        } else {
            long[] nb = allocate(geo.agnoOfIno(i.ino()), 1, 1, 1).get(0);
            next.add(new Extent(b, nb[0], 1, false));
        }
        return setDataFork(i, next, i.size());
    }

    /**
     * fallocate(PUNCH_HOLE): blocks in the range are released and their pages disassociated. Before that XFS breaks
     * the file's DAX layouts (xfs_break_dax_layouts → dax_layout_busy_page, over the whole file): every mapper of the
     * file loses every page-table entry of it, not only those of the range, while the DAX entries outside the range
     * stay. Measured on real 6.1 and 6.12: after a punch of b.bin's page 3, a poison of its page 1 signalled none of
     * b.bin's early mappers.
     */
    public Inode punch(String path, long offset, long length) {
        Inode i = requireFile(path);
        unmapRange(i.ino(), 0, WHOLE_FILE);
        long b0 = Units.alignUp(offset, Units.PAGE_SIZE) / Units.PAGE_SIZE;
        long b1 = (offset + length) / Units.PAGE_SIZE;
        if (b1 <= b0) {
            return i;
        }
        dropPagesOf(i, b0, b1);
        return setDataFork(inode(i.ino()), cut(i.dataExtents(), b0, b1), i.size());
    }

    /** truncate(2) to a smaller or larger size. */
    public Inode truncate(String path, long newSize) {
        Inode i = requireFile(path);
        long keep = Units.alignUp(newSize, Units.PAGE_SIZE) / Units.PAGE_SIZE;
        long end = Math.max(keep, i.dataExtents().stream().mapToLong(Extent::endoff).max().orElse(0));
        dropPagesOf(i, keep, end);
        return setDataFork(inode(i.ino()), cut(i.dataExtents(), keep, end), newSize);
    }

    /** unlink(2): the name goes; the blocks go too unless a process still maps the file. */
    public void unlink(String path) {
        Inode i = requireFile(path);
        nsW();
        paths.remove(path);
        if (i.names().size() > 1) {
            putInode(i.withoutName(path)); // another hard link still names it
            return;
        }
        if (isMapped(i.ino())) {
            putInode(i.withUnlinked());
            return;
        }
        release(i);
    }

    private void release(Inode i) {
        dropPagesOf(i, 0, Long.MAX_VALUE);
        for (Extent e : i.dataExtents()) {
            dropExtentOwner(i, e, false);
        }
        for (Extent e : i.attrExtents()) {
            dropExtentOwner(i, e, true);
        }
        for (long b : i.bmbtBlocks()) {
            dropBmbtOwner(i.ino(), b);
        }
        nsW();
        inodes.remove(i.ino());
        if (entries.containsKey(i.ino())) {
            entriesW(i.ino());
            entries.remove(i.ino());
        }
    }

    private boolean isMapped(long ino) {
        for (Process p : procs) {
            for (Vma v : p.vmas()) {
                if (v.ino() == ino) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Unmount and mount again: every inode leaves the cache and every DAX entry goes. */
    public void remount() {
        requireFs();
        nsW();
        for (Inode i : new ArrayList<>(inodes.values())) {
            inodes.put(i.ino(), i.withIncore(false, false));
        }
        for (Long ino : new ArrayList<>(entries.keySet())) {
            entriesW(ino).clear();
        }
        for (Map.Entry<Long, PageState> e : new ArrayList<>(pages.entrySet())) {
            setPage(e.getKey(), e.getValue().cleared());
        }
    }

    /** Brings an inode into the cache (open), deciding then whether its mapping is DAX. */
    private Inode open(Inode i) {
        if (i.incore()) {
            return i;
        }
        Inode n = i.withIncore(true, daxWhenRead(i, true));
        putInode(n);
        return n;
    }

    /** Sets the filesystem's state (an event or a scenario says it is shut down or unmounted). */
    public void setFsState(Xfs.FsState s, String reason) {
        requireFs();
        state = s;
        shutdownReason = s == Xfs.FsState.SHUTDOWN ? reason : null;
    }

    public void setProfile(KernelProfile p) {
        this.profile = p;
    }

    // ------------------------------------------------------------------ processes and faults

    public Process addProcess(int pid, String comm, Process.EarlyKill ek, Process.OnSigbus on) {
        if (process(pid) != null) {
            throw new ModelException("pid " + pid + " is used twice");
        }
        Process p = new Process(pid, comm, ek, on, Process.State.RUNNING, List.of());
        procsW().add(p);
        return p;
    }

    private void replaceProcess(Process p) {
        List<Process> l = procsW();
        for (int k = 0; k < l.size(); k++) {
            if (l.get(k).pid() == p.pid()) {
                l.set(k, p);
                return;
            }
        }
        throw new ModelException("no process " + p.pid());
    }

    private Process requireLive(int pid) {
        Process p = process(pid);
        if (p == null) {
            throw new ModelException("no process with pid " + pid);
        }
        if (!p.alive()) {
            throw new ModelException("process " + pid + " (" + p.comm() + ") is " + p.state().id());
        }
        return p;
    }

    /**
     * mmap(2) of {@code length} bytes of a file from {@code fileOffset}, shared, at {@code address} (or the
     * next free 2 MiB-aligned address). A devdax device is mapped by its path with pmd entries.
     */
    public Vma map(int pid, String path, long fileOffset, long length, boolean pmd, Long address) {
        Process p = requireLive(pid);
        if (fileOffset % Units.PAGE_SIZE != 0 || length <= 0 || length % Units.PAGE_SIZE != 0) {
            throw new ModelException("a mapping needs a page-aligned offset and a positive whole-page length");
        }
        long ino;
        if (fs == null) {
            if (base.device().mode() != DeviceMode.DEVDAX) {
                throw new ModelException("a device without a filesystem can only be mapped in devdax mode");
            }
            if (fileOffset + length > base.device().size()) {
                throw new ModelException("mapping ends past the end of the device");
            }
            ino = PageState.DEVDAX_OWNER;
            pmd = true;
        } else {
            Inode i = requireFile(path);
            if (fileOffset + length > Units.alignUp(i.size(), Units.PAGE_SIZE)) {
                throw new ModelException("mapping of " + path + " ends past the end of the file (" + Units.human(i.size()) + ")");
            }
            ino = open(i).ino();
        }
        if (pmd && (fileOffset % Units.PMD_SIZE != 0 || length % Units.PMD_SIZE != 0)) {
            throw new ModelException("a PMD mapping needs a 2 MiB-aligned offset and length");
        }
        long start = address != null ? address : nextAddress(p);
        if (start % (pmd ? Units.PMD_SIZE : Units.PAGE_SIZE) != 0) {
            throw new ModelException("mapping address " + Units.hex(start) + " is not aligned");
        }
        for (Vma v : p.vmas()) {
            if (start < v.start() + v.length() && v.start() < start + length) {
                throw new ModelException("mapping at " + Units.hex(start) + " overlaps another mapping of pid " + pid);
            }
        }
        Vma v = new Vma(start, ino, path, fileOffset, length, pmd, new TreeSet<>());
        List<Vma> vs = new ArrayList<>(p.vmas());
        vs.add(v);
        replaceProcess(p.withVmas(vs));
        return v;
    }

    private static long nextAddress(Process p) {
        long next = MMAP_BASE;
        for (Vma v : p.vmas()) {
            next = Math.max(next, Units.alignUp(v.start() + v.length(), Units.PMD_SIZE) + Units.PMD_SIZE);
        }
        return next;
    }

    /**
     * The process touches file bytes {@code [offset, offset+length)} through its mappings of {@code path}: each
     * page not yet mapped in its page tables faults (kernel-semantics.md §2).
     */
    public void touch(int pid, String path, long offset, long length, boolean write) {
        Process p = requireLive(pid);
        boolean any = false;
        for (int vi = 0; vi < p.vmas().size(); vi++) {
            Vma v = process(pid).vmas().get(vi);
            if (!v.path().equals(path)) {
                continue;
            }
            long i0 = Math.max(v.firstIndex(), offset / Units.PAGE_SIZE);
            long i1 = Math.min(v.endIndex(), Units.alignUp(offset + length, Units.PAGE_SIZE) / Units.PAGE_SIZE);
            for (long idx = i0; idx < i1; idx++) {
                any = true;
                fault(pid, vi, idx, write);
            }
        }
        if (!any) {
            throw new ModelException("pid " + pid + " has no mapping of " + path + " covering offset " + offset);
        }
    }

    private void fault(int pid, int vmaIndex, long index, boolean write) {
        Vma v = process(pid).vmas().get(vmaIndex);
        if (v.isPresent(index) && !write) {
            return;
        }
        if (v.ino() == PageState.DEVDAX_OWNER) {
            faultDevdax(pid, vmaIndex, index);
            return;
        }
        Inode i = inode(v.ino());
        if (!i.dax()) {
            setPresent(pid, vmaIndex, index, 1); // a page-cache page: no pmem involved
            return;
        }
        long head = v.pmd() ? index & ~(long) (Units.PMD_PAGES - 1) : index;
        int n = v.pmd() ? Units.PMD_PAGES : 1;
        Extent e = i.extentAt(head);
        if (e == null) {
            if (!write) {
                entriesW(i.ino()).putIfAbsent(head, DaxEntry.zeroEntry());
                setPresent(pid, vmaIndex, head, n);
                return;
            }
            i = fillBlock(i, head);
            e = i.extentAt(head);
        }
        boolean shared = !i.rt() && isShared(e.blockAt(head));
        boolean cow = write && shared;
        if (cow) {
            i = remapBlock(i, head);
            e = i.extentAt(head);
        }
        long pfn = pfnOfFileBlock(i, e.blockAt(head));
        DaxEntry old = entryNow(i.ino(), head);
        boolean markShared = switch (profile.association()) {
            case SINGLE_OWNER -> false;
            case COW_MARKER_ON_WRITE_FAULT -> cow;
            case SHARED_MARKER_ON_ANY_FAULT -> shared;
        };
        if (markShared) {
            // dax_insert_entry unmaps this index from every mapping of the file before inserting
            unmapIndex(i.ino(), head, n);
            if (old != null && !old.zero()) {
                disassociate(i, old, pid);
            }
            for (int k = 0; k < n; k++) {
                shareGet(pfn + k);
            }
            entriesW(i.ino()).put(head, v.pmd() ? DaxEntry.pmdEntry(pfn) : DaxEntry.pte(pfn));
        } else if (old == null || old.zero()) {
            for (int k = 0; k < n; k++) {
                PageState ps = page(pfn + k);
                if (!ps.unassociated() && profile.association() == KernelProfile.Association.COW_MARKER_ON_WRITE_FAULT) {
                    warnOnce(pid, "dax_insert_entry");
                }
                setPage(pfn + k, ps.withOwner(i.ino(), head + k));
            }
            entriesW(i.ino()).put(head, v.pmd() ? DaxEntry.pmdEntry(pfn) : DaxEntry.pte(pfn));
        }
        // an existing entry stays as it is, even when it points at an older block (6.1 after a CoW write)
        setPresent(pid, vmaIndex, head, n);
    }

    private DaxEntry entryNow(long ino, long index) {
        NavigableMap<Long, DaxEntry> m = entries.get(ino);
        if (m == null) {
            return null;
        }
        DaxEntry e = m.get(index);
        if (e != null) {
            return e;
        }
        DaxEntry h = m.get(index & ~(long) (Units.PMD_PAGES - 1));
        return h != null && h.pmd() ? h : null;
    }

    /**
     * A {@code WARN_ON_ONCE} in fs/dax.c (6.1 line numbers): the splat's first line, printed the first time the
     * site fires on this boot only.
     */
    private void warnOnce(int pid, String function) {
        if (!warned.add(function)) {
            return;
        }
        int line = function.equals("dax_disassociate_entry") ? 404 : 380;
        log.add("WARNING: CPU: 0 PID: " + pid + " at fs/dax.c:" + line + " " + function);
    }

    private void shareGet(long pfn) {
        PageState ps = page(pfn);
        PageState.Marker m = profile.association() == KernelProfile.Association.COW_MARKER_ON_WRITE_FAULT
                ? PageState.Marker.COW : PageState.Marker.SHARED;
        int count = ps.hasMarker() ? ps.share() : (ps.hasOwner() ? 1 : 0);
        setPage(pfn, ps.withMarker(m, count + 1));
    }

    /** {@code dax_disassociate_entry}: a shared page counts down and keeps its marker while still shared. */
    private void disassociate(Inode i, DaxEntry e, int pid) {
        int n = e.pmd() ? Units.PMD_PAGES : 1;
        for (int k = 0; k < n; k++) {
            long pfn = e.pfn() + k;
            PageState ps = page(pfn);
            if (ps.hasMarker()) {
                // 6.1 keeps the CoW marker while the count before the decrement was above zero
                // (page->index-- > 0); 6.2+ while the count after it is (dax_page_share_put() > 0)
                boolean keep = ps.marker() == PageState.Marker.COW ? ps.share() > 0 : ps.share() - 1 > 0;
                setPage(pfn, keep ? ps.withMarker(ps.marker(), Math.max(0, ps.share() - 1)) : ps.cleared());
                continue;
            }
            if (ps.hasOwner() && ps.owner() != i.ino()) {
                if (profile.association() == KernelProfile.Association.COW_MARKER_ON_WRITE_FAULT) {
                    warnOnce(pid, "dax_disassociate_entry");
                }
            }
            setPage(pfn, ps.cleared());
        }
    }

    /** One past every file index (2^50 pages), with room to round up to a PMD without overflowing. */
    private static final long WHOLE_FILE = 1L << 50;

    /** Removes file pages {@code [from, to)} from the mapping: entries disassociated, page tables unmapped. */
    private void dropPagesOf(Inode i, long from, long to) {
        NavigableMap<Long, DaxEntry> m = entries.get(i.ino());
        if (m != null && !m.isEmpty()) {
            long lo = Math.max(0, from - Units.PMD_PAGES + 1);
            for (Map.Entry<Long, DaxEntry> en : new ArrayList<>(m.subMap(lo, true, to, false).entrySet())) {
                long head = en.getKey();
                DaxEntry e = en.getValue();
                long end = head + (e.pmd() ? Units.PMD_PAGES : 1);
                if (end <= from) {
                    continue;
                }
                if (!e.zero()) {
                    disassociate(i, e, 0);
                }
                entriesW(i.ino()).remove(head);
            }
        }
        unmapRange(i.ino(), from, to);
    }

    /** Invalidates one file index: DAX entry gone, every mapper's page-table entry gone. */
    private void invalidateIndex(long ino, long index) {
        Inode i = inode(ino);
        dropPagesOf(i, index, index + 1);
    }

    private void unmapIndex(long ino, long head, int n) {
        unmapRange(ino, head, head + n);
    }

    /**
     * {@code unmap_mapping_range}: page-table entries for file indices {@code [from, to)} disappear from every
     * VMA of the file in every process (a PMD entry goes whole).
     */
    public void unmapRange(long ino, long from, long to) {
        // copies only the processes it changes: the failure path calls it once per owner of a page, and a page
        // shared by 1,000 files mapped by 1,000 processes would otherwise copy a million VMA lists
        for (int pi = 0; pi < procs.size(); pi++) {
            Process p = procs.get(pi);
            List<Vma> vs = null;
            for (int k = 0; k < p.vmas().size(); k++) {
                Vma v = p.vmas().get(k);
                if (v.ino() != ino || v.present().isEmpty()) {
                    continue;
                }
                long lo = v.pmd() ? from & ~(long) (Units.PMD_PAGES - 1) : from;
                long hi = v.pmd() ? Units.alignUp(to, Units.PMD_PAGES) : to;
                NavigableSet<Long> sub = v.present().subSet(lo, true, hi, false);
                if (!sub.isEmpty()) {
                    TreeSet<Long> np = new TreeSet<>(v.present());
                    np.removeAll(new ArrayList<>(sub));
                    if (vs == null) {
                        vs = new ArrayList<>(p.vmas());
                    }
                    vs.set(k, v.withPresent(np));
                }
            }
            if (vs != null) {
                procsW().set(pi, p.withVmas(vs)); // same index: the copy keeps task-list order
            }
        }
    }

    private void setPresent(int pid, int vmaIndex, long head, int n) {
        Process p = process(pid);
        List<Vma> vs = new ArrayList<>(p.vmas());
        Vma v = vs.get(vmaIndex);
        TreeSet<Long> np = new TreeSet<>(v.present());
        for (long k = head; k < head + n; k++) {
            if (v.covers(k)) {
                np.add(k);
            }
        }
        vs.set(vmaIndex, v.withPresent(np));
        replaceProcess(p.withVmas(vs));
    }

    private void faultDevdax(int pid, int vmaIndex, long index) {
        long head = index & ~(long) (Units.PMD_PAGES - 1);
        long headPfn = base.device().pfnOfOffset(head * Units.PAGE_SIZE);
        // dax_set_mapping: the folio learns the device mapping and the index of its head, once
        for (int k = 0; k < Units.PMD_PAGES; k++) {
            PageState ps = page(headPfn + k);
            if (ps.unassociated()) {
                setPage(headPfn + k, ps.withOwner(PageState.DEVDAX_OWNER, head));
            }
        }
        setPresent(pid, vmaIndex, head, Units.PMD_PAGES);
    }

    /** munmap(2) of one mapping. */
    public void unmap(int pid, int vmaIndex) {
        Process p = requireLive(pid);
        List<Vma> vs = new ArrayList<>(p.vmas());
        Vma gone = vs.remove(vmaIndex);
        replaceProcess(p.withVmas(vs));
        releaseIfOrphan(gone.ino());
    }

    /** The process exits (or is killed): its mappings go with it. */
    public void endProcess(int pid, Process.State how) {
        Process p = process(pid);
        if (p == null) {
            throw new ModelException("no process with pid " + pid);
        }
        replaceProcess(p.withState(how));
        for (Vma v : p.vmas()) {
            releaseIfOrphan(v.ino());
        }
    }

    private void releaseIfOrphan(long ino) {
        if (ino < 0 || inodes == null) {
            return;
        }
        Inode i = inodes.get(ino);
        if (i != null && i.unlinked() && !isMapped(ino)) {
            release(i);
        }
    }

    // ------------------------------------------------------------------ what the failure path changes

    public void setHwpoison(long pfn, boolean v) {
        setPage(pfn, page(pfn).withHwpoison(v));
    }

    /** Removes a file index's DAX entry and its page association (device removal's invalidation). */
    public void invalidate(long ino, long from, long to) {
        Inode i = inode(ino);
        if (i != null) {
            dropPagesOf(i, from, to);
        }
    }

    // ------------------------------------------------------------------ per-AG mutable state

    /** One AG while it is being edited: its btree with batched updates, copies of its maps. */
    private static final class AgState {
        final int agno;
        final int length;
        private RmapBtree rmap;
        private final List<RmapRecord> pendingInserts = new ArrayList<>();
        private final Set<RmapRecord> pendingDeletes = new HashSet<>();
        final TreeMap<Integer, Integer> refcounts;
        final TreeMap<Integer, Integer> free;
        final List<Integer> chunks;
        int inodesUsed;
        final AllocationGroup.Roots roots;

        AgState(AllocationGroup g) {
            roots = g.roots();
            agno = g.agno();
            length = g.length();
            rmap = g.rmap();
            refcounts = new TreeMap<>(g.refcounts());
            free = new TreeMap<>(g.free());
            chunks = new ArrayList<>(g.inodeChunks());
            inodesUsed = g.inodesUsed();
        }

        void insert(RmapRecord r) {
            if (!pendingDeletes.remove(r)) {
                pendingInserts.add(r);
            }
        }

        void delete(RmapRecord r) {
            if (!pendingInserts.remove(r)) {
                pendingDeletes.add(r);
            }
        }

        /** The tree with every pending change applied: one by one when few, as a bulk load when many. */
        RmapBtree tree() {
            if (pendingInserts.isEmpty() && pendingDeletes.isEmpty()) {
                return rmap;
            }
            if (pendingInserts.size() + pendingDeletes.size() > 64 && pendingInserts.size() + pendingDeletes.size()
                    > rmap.size() / 8) {
                List<RmapRecord> all = new ArrayList<>(rmap.size() + pendingInserts.size());
                for (RmapRecord r : rmap.records()) {
                    if (!pendingDeletes.contains(r)) {
                        all.add(r);
                    }
                }
                if (all.size() != rmap.size() - pendingDeletes.size()) {
                    throw new ModelException("rmap record to delete is not in AG " + agno);
                }
                all.addAll(pendingInserts);
                rmap = rmap.withAll(all);
            } else {
                for (RmapRecord r : pendingDeletes) {
                    rmap = rmap.delete(r);
                }
                for (RmapRecord r : pendingInserts) {
                    rmap = rmap.insert(r);
                }
            }
            pendingInserts.clear();
            pendingDeletes.clear();
            return rmap;
        }

        AllocationGroup freeze() {
            return new AllocationGroup(agno, length, tree(), new TreeMap<>(refcounts), new TreeMap<>(free), chunks,
                    inodesUsed, roots);
        }

        boolean isFree(int agbno) {
            Map.Entry<Integer, Integer> e = free.floorEntry(agbno);
            return e != null && agbno < e.getKey() + e.getValue();
        }

        void carveFree(int start, int len) {
            Map.Entry<Integer, Integer> f = free.floorEntry(start);
            if (f == null || start + len > f.getKey() + f.getValue()) {
                throw new ModelException("AG " + agno + " blocks " + start + "+" + len + " are not free");
            }
            freeRemove(f.getKey());
            if (start > f.getKey()) {
                freePut(f.getKey(), start - f.getKey());
            }
            int tail = f.getKey() + f.getValue() - (start + len);
            if (tail > 0) {
                freePut(start + len, tail);
            }
        }

        void addFree(int start, int len) {
            int s = start;
            int l = len;
            Map.Entry<Integer, Integer> prev = free.floorEntry(s);
            if (prev != null && prev.getKey() + prev.getValue() > s) {
                throw new ModelException("AG " + agno + " block " + s + " freed twice");
            }
            if (prev != null && prev.getKey() + prev.getValue() == s) {
                freeRemove(prev.getKey());
                s = prev.getKey();
                l += prev.getValue();
            }
            Integer next = free.get(s + l);
            if (next != null) {
                freeRemove(s + l);
                l += next;
            }
            freePut(s, l);
        }

        /**
         * Free runs by length → their starts (what the by-size free-space btree is to XFS), so an allocation
         * does not scan every small hole. Built on the first allocation of the edit, kept in step with
         * {@link #free} after that.
         */
        private TreeMap<Integer, TreeSet<Integer>> bySize;

        private TreeMap<Integer, TreeSet<Integer>> bySize() {
            if (bySize == null) {
                bySize = new TreeMap<>();
                for (Map.Entry<Integer, Integer> f : free.entrySet()) {
                    bySize.computeIfAbsent(f.getValue(), k -> new TreeSet<>()).add(f.getKey());
                }
            }
            return bySize;
        }

        /** Sum of {@link #free}, counted on first use and kept in step after that (-1: not counted yet). */
        private long freeCount = -1;

        long freeBlocks() {
            if (freeCount < 0) {
                long n = 0;
                for (int len : free.values()) {
                    n += len;
                }
                freeCount = n;
            }
            return freeCount;
        }

        private void freePut(int start, int len) {
            free.put(start, len);
            if (freeCount >= 0) {
                freeCount += len;
            }
            if (bySize != null) {
                bySize.computeIfAbsent(len, k -> new TreeSet<>()).add(start);
            }
        }

        private void freeRemove(int start) {
            Integer len = free.remove(start);
            if (freeCount >= 0 && len != null) {
                freeCount -= len;
            }
            if (bySize != null && len != null) {
                TreeSet<Integer> starts = bySize.get(len);
                starts.remove(start);
                if (starts.isEmpty()) {
                    bySize.remove(len);
                }
            }
        }

        /**
         * First free run at or after the AG start that can hold {@code want} blocks (or, when {@code partial},
         * the first run of any size), starting at a block whose pfn is a multiple of {@code align}.
         * Returns {agbno, length} or null.
         */
        long[] firstFit(Geometry g, int agno, long want, int align, long pfnBase, boolean partial) {
            // the run lowest in the AG among those long enough: each length's runs in address order, stopping at
            // the first that holds the request once aligned, or at a run beyond the best found so far
            long bestRun = Long.MAX_VALUE;
            long bestStart = -1;
            for (Map.Entry<Integer, TreeSet<Integer>> bucket
                    : bySize().tailMap((int) Math.min(want, Integer.MAX_VALUE), true).entrySet()) {
                long len = bucket.getKey();
                for (int run : bucket.getValue()) {
                    if (run >= bestRun) {
                        break;
                    }
                    long start = alignedStart(g, agno, run, align, pfnBase);
                    if (run + len - start >= want) {
                        bestRun = run;
                        bestStart = start;
                        break;
                    }
                }
            }
            if (bestStart >= 0) {
                return new long[] {bestStart, want};
            }
            if (!partial) {
                return null;
            }
            // nothing holds it all: the first run with room for an aligned block
            for (Map.Entry<Integer, Integer> f : free.entrySet()) {
                long start = alignedStart(g, agno, f.getKey(), align, pfnBase);
                long end = (long) f.getKey() + f.getValue();
                if (start < end) {
                    return new long[] {start, end - start};
                }
            }
            return null;
        }

        private static long alignedStart(Geometry g, int agno, int agbno, int align, long pfnBase) {
            if (align <= 1) {
                return agbno;
            }
            long pfn = pfnBase + g.fsblock(agno, agbno);
            return agbno + Units.alignUp(pfn, align) - pfn;
        }
    }
}
