package dev.daxviz.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One allocation group as a value: its reverse map, its shared blocks (refcount btree), its free space
 * (by-block-number free-space btree) and its inode chunks.
 *
 * @param refcounts   block → number of owners, for every block with two or more owners
 * @param free        free extents: start agbno → length
 * @param inodeChunks agbno of each 64-inode chunk, in allocation order
 * @param inodesUsed  inode slots handed out so far across the chunks
 * @param roots       where the AG's headers and btree roots are
 */
public record AllocationGroup(int agno, int length, RmapBtree rmap, NavigableMap<Integer, Integer> refcounts,
                              NavigableMap<Integer, Integer> free, List<Integer> inodeChunks, int inodesUsed,
                              Roots roots) {

    public AllocationGroup {
        refcounts = Collections.unmodifiableNavigableMap(refcounts);
        free = Collections.unmodifiableNavigableMap(free);
        inodeChunks = List.copyOf(inodeChunks);
        java.util.Objects.requireNonNull(roots);
    }

    /** An AG laid out as mkfs.xfs does on a 4 KiB-sector pmem device. */
    public AllocationGroup(int agno, int length, RmapBtree rmap, NavigableMap<Integer, Integer> refcounts,
                           NavigableMap<Integer, Integer> free, List<Integer> inodeChunks, int inodesUsed) {
        this(agno, length, rmap, refcounts, free, inodeChunks, inodesUsed, Roots.MKFS_4K);
    }

    /**
     * The agbno of each AG header and btree root, as the AGF and AGI point at them: fixed for DaxViz's own
     * layout, read from the image for an imported one (a 512-byte-sector image keeps all four headers in block 0).
     * A root is −1 when the filesystem has no such btree (no finobt, rmapbt or refcount btree).
     */
    public record Roots(int superblock, int agf, int agi, int agfl, int bnobt, int cntbt, int inobt, int finobt,
                        int rmapbt, int refcountbt) {
        public static final Roots MKFS_4K = new Roots(0, 1, 2, 3, Geometry.BNOBT_ROOT, Geometry.CNTBT_ROOT,
                Geometry.INOBT_ROOT, Geometry.FINOBT_ROOT, Geometry.RMAPBT_ROOT, Geometry.REFCOUNTBT_ROOT);

        /** The block a {@code metadata:} kind of scenario-format.md names, or −1 when this AG has none. */
        public int of(String kind) {
            return switch (kind) {
                case "headers" -> superblock;
                case "bnobt" -> bnobt;
                case "cntbt" -> cntbt;
                case "inobt" -> inobt;
                case "finobt" -> finobt;
                case "rmapbt" -> rmapbt;
                case "refcountbt" -> refcountbt;
                default -> throw new IllegalArgumentException("not a btree or header kind: " + kind);
            };
        }
    }

    AllocationGroup withRoots(Roots r) {
        return new AllocationGroup(agno, length, rmap, refcounts, free, inodeChunks, inodesUsed, r);
    }

    /** A refcount btree record ({@code struct xfs_refcount_irec}): blocks shared by {@code refcount} owners. */
    public record RefcountRecord(int startblock, int blockcount, int refcount) {
    }

    /** The refcount btree's records: runs of consecutive blocks with the same count. */
    public List<RefcountRecord> refcountRecords() {
        List<RefcountRecord> out = new ArrayList<>();
        int start = -1;
        int len = 0;
        int count = 0;
        for (Map.Entry<Integer, Integer> e : refcounts.entrySet()) {
            if (start >= 0 && e.getKey() == start + len && e.getValue() == count) {
                len++;
                continue;
            }
            if (start >= 0) {
                out.add(new RefcountRecord(start, len, count));
            }
            start = e.getKey();
            len = 1;
            count = e.getValue();
        }
        if (start >= 0) {
            out.add(new RefcountRecord(start, len, count));
        }
        return out;
    }

    /** Owners of a block according to the refcount btree: 0 if free, 1 if owned once, else the count. */
    public int refcountOf(int agbno) {
        Integer c = refcounts.get(agbno);
        if (c != null) {
            return c;
        }
        return isFree(agbno) ? 0 : 1;
    }

    public boolean isFree(int agbno) {
        Map.Entry<Integer, Integer> e = free.floorEntry(agbno);
        return e != null && agbno < e.getKey() + e.getValue();
    }

    public long freeBlocks() {
        long n = 0;
        for (int len : free.values()) {
            n += len;
        }
        return n;
    }

    static NavigableMap<Integer, Integer> copy(NavigableMap<Integer, Integer> m) {
        return new TreeMap<>(m);
    }
}
