package dev.daxviz.importer;

import dev.daxviz.importer.disk.BmbtExtent;
import dev.daxviz.importer.disk.Dinode;
import dev.daxviz.importer.disk.Fork;
import dev.daxviz.importer.disk.ForkFormat;
import dev.daxviz.importer.disk.FreeExtent;
import dev.daxviz.importer.disk.ImageException;
import dev.daxviz.importer.disk.InobtRecord;
import dev.daxviz.importer.disk.InodeKind;
import dev.daxviz.importer.disk.Namespace;
import dev.daxviz.importer.disk.RefcountRecord;
import dev.daxviz.importer.disk.Superblock;
import dev.daxviz.importer.disk.XfsImage;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.FsLayout;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.Invariants;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.Xfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Reads an unmounted XFS image into a {@link World}: the device and geometry from the superblock, every AG's
 * headers, roots and metadata blocks, every inode with its real extents. The reverse map, refcounts and free space
 * of the world follow from the inodes and the metadata ({@link FsLayout}); the importer then checks them against
 * what the image's own rmapbt, refcountbt and bnobt say, and reports the first disagreement instead of a world.
 *
 * <p>With rmapbt, the metadata blocks are the rmapbt's special-owner records. Without it (older or {@code rmapbt=0}
 * filesystems) DaxViz reconstructs them: the AG headers, the btree roots, the AGFL, the log and the inode chunks by
 * what they are, and every other block that is neither free nor an inode's as {@code unknown} (the other btree
 * blocks). The kernel itself could not answer the owner query there: such a world takes the generic path.
 */
public final class ImageImporter {
    /**
     * Most inodes and extents an import takes: a world of this size takes about 2 GiB of heap (the 1 TiB lesson's
     * 30,000 files and 1,000,000 extents take 172 MiB); more would run the app out of memory instead of saying so.
     */
    static final long MAX_INODES = 1_000_000;
    static final long MAX_EXTENTS = 10_000_000;

    /** Where the imported namespace sits in physical memory unless told otherwise: 1 GiB, as {@code memmap=…!1G}. */
    public static final long DEFAULT_PHYS = 0x40000000L;

    private ImageImporter() {
    }

    /** What the image becomes part of: the kernel profile, where its namespace sits, the device name. */
    public record Options(KernelProfile profile, long physAddr, String deviceName) {
        public static Options defaults() {
            return new Options(KernelProfile.DEFAULT, DEFAULT_PHYS, "pmem0");
        }
    }

    /** Told of each stage with the fraction done (0 to 1) of the whole import. */
    public interface Progress {
        void stage(String what, double done);

        Progress NONE = (what, done) -> { };
    }

    /**
     * The world and what was learnt on the way.
     *
     * @param notes what the user should know about this world (no rmapbt, realtime files left out, …)
     */
    public record Imported(World world, List<String> setupLog, Superblock superblock, List<String> notes) {
        public Imported {
            setupLog = List.copyOf(setupLog);
            notes = List.copyOf(notes);
        }
    }

    /** Whether {@code file} starts with an XFS superblock's magic ("XFSB"): an image, not a scenario. */
    public static boolean looksLikeXfs(Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 'X' && m[1] == 'F' && m[2] == 'S' && m[3] == 'B';
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    public static Imported read(Path image, Options o, BooleanSupplier cancelled, Progress progress)
            throws ImageException {
        try (XfsImage img = XfsImage.open(image, cancelled)) {
            return new Reading(img, o, progress).run();
        } catch (java.io.IOException e) {
            throw ImageException.unreadable(image, e);
        }
    }

    /** One import: the image open, the pieces collected so far. */
    private static final class Reading {
        private final XfsImage img;
        private final Superblock sb;
        private final Options o;
        private final Progress progress;
        private final List<String> notes = new ArrayList<>();
        /** Each AG's rmapbt records, read once for the metadata and again wanted for the cross-check. */
        private final Map<Integer, List<dev.daxviz.importer.disk.RmapRecord>> diskRmap = new java.util.HashMap<>();
        private Geometry g;

        Reading(XfsImage img, Options o, Progress progress) {
            this.img = img;
            this.sb = img.superblock();
            this.o = o;
            this.progress = progress;
        }

        Imported run() throws ImageException {
            supported();
            g = geometry();
            progress.stage("inodes", 0.05);
            Namespace ns = img.namespace();
            List<Inode> inodes = inodes(ns);
            progress.stage("allocation groups", 0.7);
            List<FsLayout.AgPlan> plans = new ArrayList<>();
            for (int agno = 0; agno < g.agcount(); agno++) {
                plans.add(plan(agno, inodes));
            }
            List<List<RmapRecord>> derived = FsLayout.rmapOf(g, plans, inodes);
            progress.stage("cross-checks", 0.85);
            List<AllocationGroup> ags = new ArrayList<>();
            for (int agno = 0; agno < g.agcount(); agno++) {
                AllocationGroup ag = FsLayout.ag(plans.get(agno), derived.get(agno));
                crossCheck(ag, derived.get(agno));
                ags.add(ag);
            }
            Xfs fs = FsLayout.assemble(g, new FsLayout.Features(sb.hasReflink(), sb.hasRmapbt(), sb.hasExternalLog(), false,
                    Xfs.DaxPolicy.ALWAYS, Xfs.FsState.MOUNTED, true), ags, inodes, FsLayout.dirsOf(inodes), new TreeMap<>());
            PmemDevice dev = PmemDevice.fsdax(o.deviceName(), Units.alignDown(img.length(), Units.PAGE_SIZE),
                    o.physAddr());
            PmemDevice log = null;
            if (sb.hasExternalLog()) {
                long end = dev.physAddr() + dev.dataOffset() + dev.size();
                long size = Units.alignUp(sb.logblocks() * sb.blocksize(), Units.PAGE_SIZE);
                log = PmemDevice.fsdax("pmem1", size, Units.alignUp(end, 2 * Units.MiB));
                notes.add("The log is on an external device that the image does not hold: DaxViz shows it as pmem1, "
                        + "empty.");
            }
            var ed = World.withFilesystem(o.profile(), dev, log, null, fs, Sysctl.DEFAULTS, 0);
            List<String> setupLog = ed.drainLog();
            World w = ed.build();
            try {
                w.check();
            } catch (Invariants.Violation v) {
                throw ImageException.inconsistent("image", -1, -1, "the filesystem", "its blocks do not add up: "
                        + v.problems().get(0));
            }
            progress.stage("done", 1);
            return new Imported(w, setupLog, sb, notes);
        }

        private void supported() throws ImageException {
            if (sb.blocksize() != Units.PAGE_SIZE) {
                throw ImageException.unsupported("superblock", "the block size is " + sb.blocksize() + " bytes",
                        "DaxViz simulates fsdax, which needs the block size to equal the 4096-byte page size: make "
                                + "the filesystem with mkfs.xfs -b size=4096");
            }
            if (sb.hasRealtime()) {
                notes.add("The filesystem has a realtime section of " + sb.rblocks() + " blocks that the image does not "
                        + "hold: its files are shown without their blocks.");
            }
            if (!sb.hasRmapbt()) {
                notes.add("This filesystem has no reverse-mapping btree (made with rmapbt=0 or before it existed): "
                        + "XFS cannot tell the kernel who owns a page, so xfs_dax_notify_failure returns -EOPNOTSUPP "
                        + "and memory_failure takes the generic path, which knows only the page's one mapping. "
                        + "DaxViz worked the owners out from the inodes for the picture; the kernel cannot.");
            }
        }

        private Geometry geometry() throws ImageException {
            long agblocks = sb.agblocks();
            int logAgno = -1;
            int logAgbno = 0;
            int logBlocks = 0;
            if (!sb.hasExternalLog()) {
                logAgno = sb.fsbAgno(sb.logstart());
                logAgbno = (int) sb.fsbAgbno(sb.logstart());
                logBlocks = (int) sb.logblocks();
            }
            try {
                return new Geometry((int) sb.blocksize(), sb.dblocks(), (int) sb.agcount(), (int) agblocks,
                        sb.agblklog(), sb.inodesize(), sb.inopblog(), logAgno, logAgbno, logBlocks);
            } catch (IllegalArgumentException e) {
                throw ImageException.unsupported("superblock", e.getMessage(), "DaxViz needs AGs of at least "
                        + Geometry.MIN_AG_BLOCKS + " blocks");
            }
        }

        // ------------------------------------------------------------------ inodes

        private List<Inode> inodes(Namespace ns) throws ImageException {
            List<Inode> out = new ArrayList<>();
            long total = Math.max(1, sb.icount() - sb.ifree());
            if (total > MAX_INODES) {
                throw ImageException.unsupported("superblock", "the filesystem has " + total + " inodes in use",
                        "DaxViz simulates at most " + MAX_INODES + " inodes: import a smaller filesystem");
            }
            long extents = 0;
            for (int agno = 0; agno < g.agcount(); agno++) {
                for (long ino : img.allocatedInodes(agno)) {
                    Inode i = inode(img.inode(ino), ns);
                    extents += i.dataExtents().size() + i.attrExtents().size();
                    if (out.size() >= MAX_INODES || extents > MAX_EXTENTS) {
                        throw ImageException.unsupported("inode", "the filesystem has more than " + (extents
                                > MAX_EXTENTS ? MAX_EXTENTS + " extents" : MAX_INODES + " inodes"), "DaxViz simulates "
                                + "at most " + MAX_INODES + " inodes and " + MAX_EXTENTS + " extents: import a smaller "
                                + "filesystem");
                    }
                    out.add(i);
                    if (out.size() % 256 == 0) {
                        progress.stage("inodes", 0.05 + 0.65 * Math.min(1, out.size() / (double) total));
                    }
                }
            }
            return out;
        }

        private Inode inode(Dinode d, Namespace ns) throws ImageException {
            Inode.Kind kind = switch (d.kind()) {
                case REGULAR -> Inode.Kind.REGULAR;
                case DIRECTORY -> Inode.Kind.DIRECTORY;
                case SYMLINK -> Inode.Kind.SYMLINK;
                case OTHER -> Inode.Kind.OTHER;
            };
            InodeKind named = ns.kinds().get(d.ino());
            if (named != null && named != d.kind()) {
                throw ImageException.inconsistent("directory", sb.inoAgno(d.ino()), -1, "inode " + d.ino() + " ("
                        + ns.primaryPath(d.ino()).orElse("?") + ")", "its directory entry says it is a "
                        + named.name().toLowerCase(java.util.Locale.ROOT) + ", but the inode is a "
                        + d.kind().name().toLowerCase(java.util.Locale.ROOT));
            }
            String path = ns.primaryPath(d.ino()).orElse(null);
            boolean unlinked = false;
            if (path == null) {
                path = unnamed(d);
                unlinked = d.kind() == InodeKind.REGULAR;
            }
            boolean rt = d.realtime();
            List<Extent> data = rt ? List.of() : extents(d, d.dataFork());
            List<Extent> attr = d.attrFork().isPresent() ? extents(d, d.attrFork().get()) : List.of();
            List<Long> bmbt = rt ? List.of() : linear(d.dataFork().bmbtBlocks());
            List<Long> attrBmbt = d.attrFork().map(f -> linear(f.bmbtBlocks())).orElse(List.of());
            List<String> names = ns.paths(d.ino());
            Inode.OnDisk disk = new Inode.OnDisk(d.forkoff(), d.dataFork().format() == ForkFormat.BTREE, attrBmbt,
                    (int) Math.min(Integer.MAX_VALUE, d.nlink()), names.size() > 1 && kind == Inode.Kind.REGULAR
                    ? names : List.of());
            return new Inode(d.ino(), path, d.size(), data, attr, bmbt, false, d.dax(), d.reflink(), false, false,
                    unlinked, kind, disk);
        }

        private String unnamed(Dinode d) {
            if (d.ino() == sb.rbmino()) {
                return "(realtime bitmap)";
            }
            if (d.ino() == sb.rsumino()) {
                return "(realtime summary)";
            }
            if (d.ino() == sb.uquotino() || d.ino() == sb.gquotino() || d.ino() == sb.pquotino()) {
                return "(quota inode " + d.ino() + ")";
            }
            return "(unlinked inode " + d.ino() + ")";
        }

        /**
         * A fork's mappings as the model keeps them: linear fs blocks, and neighbours that continue each other merged
         * (the rmapbt keeps one record where a bmbt caps an extent at 2^21 blocks).
         */
        private List<Extent> extents(Dinode d, Fork f) throws ImageException {
            List<Extent> out = new ArrayList<>();
            for (BmbtExtent e : f.extents()) {
                if (!sb.validExtent(e.startblock(), e.blockcount())) {
                    throw ImageException.inconsistent("inode", sb.inoAgno(d.ino()), -1, "inode " + d.ino() + " "
                            + (f.attr() ? "attr" : "data") + " fork", "an extent at fs block " + e.startblock()
                            + " (" + e.blockcount() + " blocks) lies outside the filesystem");
                }
                out.add(new Extent(e.startoff(), linear(e.startblock()), e.blockcount(), e.unwritten()));
            }
            try {
                return Extent.merged(out, g.agblocks());
            } catch (IllegalArgumentException x) {
                throw ImageException.inconsistent("inode", sb.inoAgno(d.ino()), -1, "inode " + d.ino() + " "
                        + (f.attr() ? "attr" : "data") + " fork", x.getMessage());
            }
        }

        private long linear(long fsb) {
            return g.fsblock(sb.fsbAgno(fsb), (int) sb.fsbAgbno(fsb));
        }

        private List<Long> linear(List<Long> fsbs) {
            List<Long> out = new ArrayList<>(fsbs.size());
            for (long b : fsbs) {
                out.add(linear(b));
            }
            return out;
        }

        // ------------------------------------------------------------------ allocation groups

        private FsLayout.AgPlan plan(int agno, List<Inode> inodes) throws ImageException {
            var h = img.agHeaders(agno);
            int sectorsPerBlock = (int) (sb.blocksize() / sb.sectsize());
            AllocationGroup.Roots roots = new AllocationGroup.Roots(0, 1 / sectorsPerBlock, 2 / sectorsPerBlock,
                    3 / sectorsPerBlock, (int) h.agf().bnoRoot(), (int) h.agf().cntRoot(), (int) h.agi().root(),
                    sb.hasFinobt() ? (int) h.agi().freeRoot() : -1, sb.hasRmapbt() ? (int) h.agf().rmapRoot() : -1,
                    sb.hasReflink() ? (int) h.agf().refcountRoot() : -1);
            List<Integer> chunks = new ArrayList<>();
            for (InobtRecord r : img.inodeChunks(agno)) {
                chunks.add((int) sb.aginoAgbno(r.startino()));
            }
            List<RmapRecord> meta = new ArrayList<>();
            if (sb.hasRmapbt()) {
                for (var r : rmap(agno)) {
                    if (!r.ownerIsInode()) {
                        meta.add(RmapRecord.special((int) r.startblock(), (int) r.blockcount(), r.owner()));
                    }
                }
            } else {
                meta = reconstructed(agno, roots, inodes);
            }
            return new FsLayout.AgPlan(agno, g.agSize(agno), roots, meta, chunks);
        }

        private List<dev.daxviz.importer.disk.RmapRecord> rmap(int agno) throws ImageException {
            List<dev.daxviz.importer.disk.RmapRecord> l = diskRmap.get(agno);
            if (l == null) {
                l = img.rmapRecords(agno);
                diskRmap.put(agno, l);
            }
            return l;
        }

        /** The metadata of an AG without rmapbt: what DaxViz can name, and the rest of the used blocks as unknown. */
        private List<RmapRecord> reconstructed(int agno, AllocationGroup.Roots roots, List<Inode> inodes)
                throws ImageException {
            int size = g.agSize(agno);
            TreeMap<Integer, long[]> owned = new TreeMap<>(); // start → {length, owner}
            int headerBlocks = (int) Math.max(1, (4 * sb.sectsize()) / sb.blocksize());
            claim(owned, 0, headerBlocks, RmapOwner.FS);
            claim(owned, roots.bnobt(), 1, RmapOwner.AG);
            claim(owned, roots.cntbt(), 1, RmapOwner.AG);
            claim(owned, roots.inobt(), 1, RmapOwner.INOBT);
            if (roots.finobt() >= 0) {
                claim(owned, roots.finobt(), 1, RmapOwner.INOBT);
            }
            if (roots.refcountbt() >= 0) {
                claim(owned, roots.refcountbt(), 1, RmapOwner.REFC);
            }
            for (long b : img.agHeaders(agno).agfl().blocks()) {
                claim(owned, (int) b, 1, RmapOwner.AG);
            }
            if (g.logAgno() == agno) {
                claim(owned, g.logAgbno(), g.logBlocks(), RmapOwner.LOG);
            }
            // an inode chunk's blocks, less the holes of a sparse chunk (a holemask bit covers four inodes)
            int inodesPerBlock = (int) (sb.blocksize() / sb.inodesize());
            for (InobtRecord r : img.inodeChunks(agno)) {
                int first = (int) sb.aginoAgbno(r.startino());
                int blocks = InobtRecord.INODES_PER_CHUNK / inodesPerBlock;
                for (int b = 0; b < blocks; b++) {
                    boolean exists = false;
                    for (int i = b * inodesPerBlock; i < (b + 1) * inodesPerBlock; i++) {
                        exists |= r.exists(i);
                    }
                    if (exists) {
                        extendOrClaim(owned, first + b, RmapOwner.INODES);
                    }
                }
            }
            // blocks the inodes own, and the free ones, are not metadata; what is left is a btree block
            TreeMap<Integer, Integer> used = new TreeMap<>();
            for (Inode i : inodes) {
                for (Extent e : i.dataExtents()) {
                    mark(used, agno, e.startblock(), e.blockcount());
                }
                for (Extent e : i.attrExtents()) {
                    mark(used, agno, e.startblock(), e.blockcount());
                }
                for (long b : i.bmbtBlocks()) {
                    mark(used, agno, b, 1);
                }
                for (long b : i.disk().attrBmbtBlocks()) {
                    mark(used, agno, b, 1);
                }
            }
            for (FreeExtent f : img.freeExtents(agno)) {
                used.merge((int) f.startblock(), (int) f.blockcount(), Math::max);
            }
            for (var e : owned.entrySet()) {
                used.merge(e.getKey(), (int) e.getValue()[0], Math::max);
            }
            List<RmapRecord> out = new ArrayList<>();
            for (var e : owned.entrySet()) {
                out.add(RmapRecord.special(e.getKey(), (int) e.getValue()[0], e.getValue()[1]));
            }
            int covered = 0;
            for (var e : used.entrySet()) {
                if (e.getKey() > covered) {
                    out.add(RmapRecord.special(covered, e.getKey() - covered, RmapOwner.UNKNOWN));
                }
                covered = Math.max(covered, e.getKey() + e.getValue());
            }
            if (covered < size) {
                out.add(RmapRecord.special(covered, size - covered, RmapOwner.UNKNOWN));
            }
            return out;
        }

        private void claim(TreeMap<Integer, long[]> owned, int start, int len, long owner) {
            if (start >= 0 && !owned.containsKey(start)) {
                owned.put(start, new long[] {len, owner});
            }
        }

        /** Claims one block, growing the run that ends just before it when it has the same owner. */
        private void extendOrClaim(TreeMap<Integer, long[]> owned, int block, long owner) {
            var prev = owned.floorEntry(block - 1);
            if (prev != null && prev.getValue()[1] == owner && prev.getKey() + prev.getValue()[0] == block) {
                prev.getValue()[0]++;
            } else {
                claim(owned, block, 1, owner);
            }
        }

        private void mark(TreeMap<Integer, Integer> used, int agno, long fsblock, long len) {
            if (g.agnoOf(fsblock) == agno) {
                used.merge(g.agbnoOf(fsblock), (int) len, Math::max);
            }
        }

        // ------------------------------------------------------------------ cross-checks

        /** The image's rmapbt, refcountbt and bnobt against what its inodes and metadata give. */
        private void crossCheck(AllocationGroup ag, List<RmapRecord> derived) throws ImageException {
            int agno = ag.agno();
            if (sb.hasRmapbt()) {
                List<RmapRecord> disk = new ArrayList<>();
                for (var r : rmap(agno)) {
                    disk.add(new RmapRecord((int) r.startblock(), (int) r.blockcount(), r.owner(),
                            r.ownerIsInode() && !r.bmbtBlock() ? r.offset() : 0, r.attrFork(), r.bmbtBlock(),
                            r.unwritten()));
                }
                for (int k = 0; k < Math.max(disk.size(), derived.size()); k++) {
                    RmapRecord have = k < disk.size() ? disk.get(k) : null;
                    RmapRecord want = k < derived.size() ? derived.get(k) : null;
                    if (have == null || !have.equals(want)) {
                        throw ImageException.inconsistent("rmapbt", agno, have != null ? have.startblock()
                                : want.startblock(), "AG " + agno + " rmapbt", "record " + k + " is "
                                + describe(have) + ", but the inodes' extent maps give " + describe(want));
                    }
                }
            }
            NavigableMap<Integer, Integer> free = ag.free();
            List<FreeExtent> bno = img.freeExtents(agno);
            int k = 0;
            for (Map.Entry<Integer, Integer> e : free.entrySet()) {
                FreeExtent f = k < bno.size() ? bno.get(k) : null;
                if (f == null || f.startblock() != e.getKey() || f.blockcount() != e.getValue()) {
                    throw ImageException.inconsistent("bnobt", agno, e.getKey(), "AG " + agno + " bnobt", "free "
                            + "extent " + k + " is " + (f == null ? "missing" : f.startblock() + "+" + f.blockcount())
                            + ", but blocks " + e.getKey() + "+" + e.getValue() + " have no owner");
                }
                k++;
            }
            if (k < bno.size()) {
                FreeExtent f = bno.get(k);
                throw ImageException.inconsistent("bnobt", agno, f.startblock(), "AG " + agno + " bnobt", "blocks "
                        + f.startblock() + "+" + f.blockcount() + " are free, but an owner holds them");
            }
            if (sb.hasReflink()) {
                checkRefcounts(agno, ag.refcounts());
            }
        }

        /** The refcountbt's shared records against the data owners the rmap gives, as runs of equal counts. */
        private void checkRefcounts(int agno, NavigableMap<Integer, Integer> refcounts) throws ImageException {
            List<long[]> want = runs(refcounts);
            List<long[]> have = new ArrayList<>();
            for (RefcountRecord r : img.refcountRecords(agno)) {
                if (!r.cow()) {
                    append(have, r.startblock(), r.blockcount(), r.refcount());
                }
            }
            for (int k = 0; k < Math.max(have.size(), want.size()); k++) {
                long[] h = k < have.size() ? have.get(k) : null;
                long[] w = k < want.size() ? want.get(k) : null;
                if (h == null || w == null || !java.util.Arrays.equals(h, w)) {
                    long b = h == null ? w[0] : w == null ? h[0] : Math.min(h[0], w[0]);
                    throw ImageException.inconsistent("refcountbt", agno, b, "AG " + agno + " refcountbt", "from block "
                            + b + " it says " + run(h) + ", but the data mappings give " + run(w));
                }
            }
        }

        private static List<long[]> runs(NavigableMap<Integer, Integer> perBlock) {
            List<long[]> out = new ArrayList<>();
            for (Map.Entry<Integer, Integer> e : perBlock.entrySet()) {
                append(out, e.getKey(), 1, e.getValue());
            }
            return out;
        }

        /** Adds blocks {@code [start, start+len)} shared {@code count} times, merging with an equal neighbour. */
        private static void append(List<long[]> runs, long start, long len, long count) {
            long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last[0] + last[1] == start && last[2] == count) {
                last[1] += len;
            } else {
                runs.add(new long[] {start, len, count});
            }
        }

        private static String run(long[] r) {
            return r == null ? "nothing more" : r[1] + " blocks from " + r[0] + " shared " + r[2] + " times";
        }

        private static String describe(RmapRecord r) {
            if (r == null) {
                return "missing";
            }
            return r.startblock() + "+" + r.blockcount() + " owner " + r.ownerLabel() + " offset " + r.offset()
                    + (r.attrFork() ? " attr fork" : "") + (r.bmbtBlock() ? " bmbt block" : "")
                    + (r.unwritten() ? " unwritten" : "");
        }
    }
}
