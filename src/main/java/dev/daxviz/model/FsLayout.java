package dev.daxviz.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * A filesystem laid out elsewhere (read from a real image, or from a scenario that carries such a layout): the
 * geometry, each AG's metadata blocks and inode chunks, and every inode's blocks are given; the reverse map,
 * the refcounts and the free space follow from them, exactly as the kernel keeps them in step. Callers check the
 * result with {@link World#check()}; an importer compares {@link #rmapOf} with what the disk's own rmap btree says.
 */
public final class FsLayout {
    private FsLayout() {
    }

    /**
     * One AG as laid out.
     *
     * @param metadata    the rmap records of special owners (negative owners: fs, ag, inobt, inodes, refc, log, …)
     * @param inodeChunks agbno of each inode chunk (from the inode btree)
     */
    public record AgPlan(int agno, int length, AllocationGroup.Roots roots, List<RmapRecord> metadata,
                         List<Integer> inodeChunks) {
        public AgPlan {
            metadata = List.copyOf(metadata);
            inodeChunks = List.copyOf(inodeChunks);
            for (RmapRecord r : metadata) {
                if (r.isInodeOwner()) {
                    throw new IllegalArgumentException("AG " + agno + ": metadata record " + r + " names an inode");
                }
            }
        }
    }

    /** What {@code mkfs.xfs}/{@code mount} options the layout was made and mounted with. */
    public record Features(boolean reflink, boolean rmapbt, boolean externalLog, boolean realtime,
                           Xfs.DaxPolicy dax, Xfs.FsState state, boolean mountedAfterSetup) {
    }

    /**
     * The filesystem holding exactly {@code ags}' metadata and {@code inodes}' blocks.
     *
     * @param dirs   every directory path ("/" included)
     * @param rtFree free extents of the realtime device (empty without one)
     */
    public static Xfs build(Geometry g, Features f, List<AgPlan> ags, Collection<Inode> inodes, NavigableSet<String> dirs,
                            NavigableMap<Long, Long> rtFree) {
        if (ags.size() != g.agcount()) {
            throw new IllegalArgumentException(ags.size() + " AG plans for " + g.agcount() + " AGs");
        }
        List<List<RmapRecord>> records = rmapOf(g, ags, inodes);
        List<AllocationGroup> built = new ArrayList<>();
        for (AgPlan p : ags) {
            built.add(ag(p, records.get(p.agno())));
        }
        return assemble(g, f, built, inodes, dirs, rtFree);
    }

    /**
     * Every directory of a laid-out filesystem: "/", each directory inode's path, and the parents of every name of a
     * linked regular file.
     */
    public static NavigableSet<String> dirsOf(Collection<Inode> inodes) {
        java.util.TreeSet<String> dirs = new java.util.TreeSet<>(List.of("/"));
        for (Inode i : inodes) {
            if (i.kind() == Inode.Kind.DIRECTORY && i.path().startsWith("/")) {
                dirs.add(i.path());
            }
            if (i.isRegular() && !i.unlinked()) {
                for (String name : i.names()) {
                    for (int k = name.indexOf('/', 1); k > 0; k = name.indexOf('/', k + 1)) {
                        dirs.add(name.substring(0, k));
                    }
                }
            }
        }
        return dirs;
    }

    /** The AG a plan gives once its rmap records (from {@link #rmapOf}, in key order) are known. */
    public static AllocationGroup ag(AgPlan p, List<RmapRecord> sorted) {
        return new AllocationGroup(p.agno(), p.length(), RmapBtree.bulkLoad(sorted), refcounts(sorted),
                free(sorted, p.length()), p.inodeChunks(), p.inodeChunks().size() * Geometry.INODES_PER_CHUNK,
                p.roots());
    }

    /** The filesystem of AGs already made by {@link #ag} and the inodes whose blocks they hold. */
    public static Xfs assemble(Geometry g, Features f, List<AllocationGroup> built, Collection<Inode> inodes,
                            NavigableSet<String> dirs, NavigableMap<Long, Long> rtFree) {
        TreeMap<Long, Inode> byIno = new TreeMap<>();
        TreeMap<String, Long> paths = new TreeMap<>();
        for (Inode i : inodes) {
            if (byIno.put(i.ino(), i) != null) {
                throw new IllegalArgumentException("inode " + i.ino() + " given twice");
            }
            if (i.isRegular() && !i.unlinked()) {
                for (String name : i.names()) {
                    paths.put(name, i.ino());
                }
            }
        }
        return new Xfs(g, f.reflink(), f.rmapbt(), f.externalLog(), f.realtime(), f.dax(), f.state(),
                f.mountedAfterSetup(), built, byIno, paths, new java.util.TreeSet<>(dirs), new TreeMap<>(rtFree), null);
    }

    /** Every AG's rmap records, in key order: the metadata plus one record per extent and bmbt block of every inode. */
    public static List<List<RmapRecord>> rmapOf(Geometry g, List<AgPlan> ags, Collection<Inode> inodes) {
        List<List<RmapRecord>> out = new ArrayList<>();
        for (AgPlan p : ags) {
            out.add(new ArrayList<>(p.metadata()));
        }
        for (Inode i : inodes) {
            if (i.rt()) {
                continue;
            }
            for (Extent e : i.dataExtents()) {
                out.get(agno(g, e.startblock(), i)).add(new RmapRecord(g.agbnoOf(e.startblock()), len(e, i), i.ino(),
                        e.startoff(), false, false, e.unwritten()));
            }
            for (Extent e : i.attrExtents()) {
                out.get(agno(g, e.startblock(), i)).add(new RmapRecord(g.agbnoOf(e.startblock()), len(e, i), i.ino(),
                        e.startoff(), true, false, e.unwritten()));
            }
            for (long b : i.bmbtBlocks()) {
                out.get(agno(g, b, i)).add(new RmapRecord(g.agbnoOf(b), 1, i.ino(), 0, false, true, false));
            }
            if (i.disk() != null) {
                for (long b : i.disk().attrBmbtBlocks()) {
                    out.get(agno(g, b, i)).add(new RmapRecord(g.agbnoOf(b), 1, i.ino(), 0, true, true, false));
                }
            }
        }
        for (List<RmapRecord> l : out) {
            l.sort(null);
        }
        return out;
    }

    private static int agno(Geometry g, long fsblock, Inode i) {
        int agno = g.agnoOf(fsblock);
        if (fsblock < 0 || agno >= g.agcount()) {
            throw new IllegalArgumentException("inode " + i.ino() + " (" + i.path() + ") has a block " + fsblock
                    + " past the end of the filesystem");
        }
        return agno;
    }

    private static int len(Extent e, Inode i) {
        if (e.blockcount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("inode " + i.ino() + ": extent " + e + " is longer than an AG");
        }
        return (int) e.blockcount();
    }

    /** Block → owners for every block with two or more data-fork owners (the refcount btree's content). */
    public static NavigableMap<Integer, Integer> refcounts(List<RmapRecord> sorted) {
        TreeMap<Integer, Integer> delta = new TreeMap<>();
        for (RmapRecord r : sorted) {
            if (r.isInodeOwner() && !r.attrFork() && !r.bmbtBlock()) {
                delta.merge(r.startblock(), 1, Integer::sum);
                delta.merge(r.startblock() + r.blockcount(), -1, Integer::sum);
            }
        }
        int[] blocks = new int[16];
        int[] counts = new int[16];
        int n = 0;
        int owners = 0;
        Integer from = null;
        for (var e : delta.entrySet()) {
            if (from != null && owners >= 2) {
                for (int b = from; b < e.getKey(); b++) {
                    if (n == blocks.length) {
                        blocks = java.util.Arrays.copyOf(blocks, n * 2);
                        counts = java.util.Arrays.copyOf(counts, n * 2);
                    }
                    blocks[n] = b;
                    counts[n++] = owners;
                }
            }
            owners += e.getValue();
            from = e.getKey();
        }
        return new TreeMap<>(new SortedRuns(blocks, counts, n));
    }

    /**
     * Block → count pairs already in order, as the one thing {@code new TreeMap<>(SortedMap)} reads (size, entries,
     * comparator): it then builds the tree in linear time, where putting 10,000 shared blocks one by one rebalances
     * the tree 10,000 times.
     */
    private static final class SortedRuns extends java.util.AbstractMap<Integer, Integer>
            implements java.util.SortedMap<Integer, Integer> {
        private final int[] keys;
        private final int[] values;
        private final int n;

        SortedRuns(int[] keys, int[] values, int n) {
            this.keys = keys;
            this.values = values;
            this.n = n;
        }

        @Override
        public java.util.Set<Entry<Integer, Integer>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Entry<Integer, Integer>> iterator() {
                    return new java.util.Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < n;
                        }

                        @Override
                        public Entry<Integer, Integer> next() {
                            if (i >= n) {
                                throw new java.util.NoSuchElementException();
                            }
                            int k = i++;
                            return new SimpleImmutableEntry<>(keys[k], values[k]);
                        }
                    };
                }

                @Override
                public int size() {
                    return n;
                }
            };
        }

        @Override
        public java.util.Comparator<? super Integer> comparator() {
            return null;
        }

        @Override
        public java.util.SortedMap<Integer, Integer> subMap(Integer a, Integer b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<Integer, Integer> headMap(Integer a) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<Integer, Integer> tailMap(Integer a) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Integer firstKey() {
            return keys[0];
        }

        @Override
        public Integer lastKey() {
            return keys[n - 1];
        }
    }

    /** The blocks no record covers, as start → length. */
    public static NavigableMap<Integer, Integer> free(List<RmapRecord> sorted, int length) {
        TreeMap<Integer, Integer> out = new TreeMap<>();
        int covered = 0;
        for (RmapRecord r : sorted) {
            if (r.startblock() > covered) {
                out.put(covered, r.startblock() - covered);
            }
            covered = Math.max(covered, r.startblock() + r.blockcount());
        }
        if (covered < length) {
            out.put(covered, length - covered);
        }
        return out;
    }
}
