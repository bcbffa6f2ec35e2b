package dev.daxviz.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model's invariants, checked from scratch (tests call {@link World#check()} after every operation):
 * <ul>
 * <li>each AG's rmap records are exactly the extents of every inode's forks and bmbt blocks plus the special
 * owners, and no two records cover a block unless both are data-fork records (a shared block);</li>
 * <li>the refcount of every block equals the number of data-fork owners when there are two or more;</li>
 * <li>free + used = AG size, and no free block has an owner;</li>
 * <li>a page's shared/CoW count equals the DAX entries pointing at it, and a single owner's entry exists;</li>
 * <li>every VMA's present page lies inside it; pids are unique.</li>
 * </ul>
 */
public final class Invariants {
    private Invariants() {
    }

    /** Thrown with every broken invariant listed. */
    public static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        Violation(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static void check(World w) {
        List<String> bad = new ArrayList<>();
        if (w.hasFs()) {
            checkFs(w, bad);
        }
        checkPages(w, bad);
        checkProcesses(w, bad);
        if (!bad.isEmpty()) {
            throw new Violation(bad);
        }
    }

    private static void checkFs(World w, List<String> bad) {
        Xfs fs = w.fs();
        Geometry g = fs.geometry();
        List<List<RmapRecord>> expected = new ArrayList<>();
        for (AllocationGroup ag : fs.ags()) {
            List<RmapRecord> special = new ArrayList<>();
            for (RmapRecord r : ag.rmap().records()) {
                if (!r.isInodeOwner()) {
                    special.add(r);
                }
            }
            expected.add(special);
        }
        for (Inode i : fs.inodes().values()) {
            if (i.isRegular() && !fs.paths().containsKey(i.path()) && !i.unlinked()) {
                bad.add("inode " + i.ino() + " (" + i.path() + ") has no directory entry");
            }
            if (i.rt()) {
                continue;
            }
            for (Extent e : i.dataExtents()) {
                addRecord(g, expected, i.ino(), e, false, bad);
            }
            for (Extent e : i.attrExtents()) {
                addRecord(g, expected, i.ino(), e, true, bad);
            }
            for (long b : i.bmbtBlocks()) {
                expected.get(g.agnoOf(b)).add(new RmapRecord(g.agbnoOf(b), 1, i.ino(), 0, false, true, false));
            }
            if (i.disk() != null) {
                // a real image's btree forks are as the kernel left them: the rmap check above covers their blocks
                for (long b : i.disk().attrBmbtBlocks()) {
                    expected.get(g.agnoOf(b)).add(new RmapRecord(g.agbnoOf(b), 1, i.ino(), 0, true, true, false));
                }
                continue;
            }
            int need = Inode.bmbtBlocksNeeded(i.dataExtents().size(), !i.attrExtents().isEmpty());
            if (i.bmbtBlocks().size() != need) {
                bad.add(i.path() + ": " + i.dataExtents().size() + " extents need " + need + " bmbt blocks, has "
                        + i.bmbtBlocks().size());
            }
        }
        for (Map.Entry<String, Long> e : fs.paths().entrySet()) {
            if (!fs.inodes().containsKey(e.getValue())) {
                bad.add("path " + e.getKey() + " names missing inode " + e.getValue());
            }
        }
        for (AllocationGroup ag : fs.ags()) {
            checkAg(ag, expected.get(ag.agno()), bad);
        }
    }

    private static void addRecord(Geometry g, List<List<RmapRecord>> expected, long ino, Extent e, boolean attr,
                                  List<String> bad) {
        int agno = g.agnoOf(e.startblock());
        int agbno = g.agbnoOf(e.startblock());
        if (agbno + e.blockcount() > g.agSize(agno)) {
            bad.add("inode " + ino + " extent " + e + " crosses the end of AG " + agno);
            return;
        }
        expected.get(agno).add(new RmapRecord(agbno, (int) e.blockcount(), ino, e.startoff(), attr, false,
                e.unwritten()));
    }

    private static void checkAg(AllocationGroup ag, List<RmapRecord> expected, List<String> bad) {
        List<RmapRecord> want = new ArrayList<>(expected);
        want.sort(null);
        List<RmapRecord> have = ag.rmap().records();
        if (!have.equals(want)) {
            bad.add("AG " + ag.agno() + ": rmap has " + have.size() + " records, the extent maps give " + want.size()
                    + firstDifference(have, want));
        }
        // owner counts per run of blocks, from a sweep over the records (a block-by-block count costs a second on a
        // 1 TiB world): runs start where some record starts or ends
        TreeMap<Integer, int[]> delta = new TreeMap<>(); // block → {change in owners, change in data owners}
        for (RmapRecord r : have) {
            boolean data = r.isInodeOwner() && !r.attrFork() && !r.bmbtBlock();
            int[] in = delta.computeIfAbsent(r.startblock(), k -> new int[2]);
            in[0]++;
            in[1] += data ? 1 : 0;
            int[] out = delta.computeIfAbsent(r.startblock() + r.blockcount(), k -> new int[2]);
            out[0]--;
            out[1] -= data ? 1 : 0;
        }
        TreeMap<Integer, Integer> ownersFrom = new TreeMap<>(); // run start → owners of every block of the run
        long used = 0;
        long sharedBlocks = 0;
        int any = 0;
        int data = 0;
        Integer from = null;
        for (Map.Entry<Integer, int[]> e : delta.entrySet()) {
            if (from != null && any > 0) {
                checkRun(ag, from, e.getKey(), any, data, bad);
                used += e.getKey() - from;
                sharedBlocks += any > 1 ? e.getKey() - from : 0;
            }
            ownersFrom.put(e.getKey(), any + e.getValue()[0]);
            any += e.getValue()[0];
            data += e.getValue()[1];
            from = e.getKey();
        }
        // every shared block has its count (checkRun): any other count lies on a block with fewer owners
        if (ag.refcounts().size() != sharedBlocks) {
            for (Map.Entry<Integer, Integer> e : ag.refcounts().entrySet()) {
                Map.Entry<Integer, Integer> run = ownersFrom.floorEntry(e.getKey());
                int owners = run == null ? 0 : run.getValue();
                if (owners < 2) {
                    bad.add("AG " + ag.agno() + " block " + e.getKey() + " has refcount " + e.getValue() + " but "
                            + owners + " owner(s)");
                    break;
                }
            }
        }
        if (used + ag.freeBlocks() != ag.length()) {
            bad.add("AG " + ag.agno() + ": free " + ag.freeBlocks() + " + used " + used + " != size " + ag.length());
        }
        int prevEnd = -1;
        for (Map.Entry<Integer, Integer> f : ag.free().entrySet()) {
            if (f.getKey() <= prevEnd) {
                bad.add("AG " + ag.agno() + ": free extents at " + f.getKey() + " overlap or touch the previous one");
            }
            prevEnd = f.getKey() + f.getValue();
            if (prevEnd > ag.length()) {
                bad.add("AG " + ag.agno() + ": free extent " + f.getKey() + "+" + f.getValue() + " runs past the AG end");
            }
        }
    }

    /** Blocks {@code [from, to)} have {@code any} owners, {@code data} of them data forks. */
    private static void checkRun(AllocationGroup ag, int from, int to, int any, int data, List<String> bad) {
        if (any > 1 && data != any) {
            bad.add("AG " + ag.agno() + " block " + from + " has " + any + " owners but is not a shared data block");
        }
        if (any > 1) {
            java.util.SortedMap<Integer, Integer> counts = ag.refcounts().subMap(from, to);
            int expect = from;
            for (Map.Entry<Integer, Integer> c : counts.entrySet()) {
                if (c.getKey() != expect || c.getValue() != any) {
                    break;
                }
                expect++;
            }
            if (expect != to) {
                bad.add("AG " + ag.agno() + " block " + expect + ": refcount " + ag.refcounts().getOrDefault(expect, 1)
                        + ", owners " + any);
            }
        }
        Map.Entry<Integer, Integer> f = ag.free().lowerEntry(to);
        if (f != null && f.getKey() + f.getValue() > from) {
            bad.add("AG " + ag.agno() + " block " + Math.max(from, f.getKey()) + " is free but owned");
        }
    }

    private static String firstDifference(List<RmapRecord> have, List<RmapRecord> want) {
        for (int k = 0; k < Math.max(have.size(), want.size()); k++) {
            RmapRecord h = k < have.size() ? have.get(k) : null;
            RmapRecord x = k < want.size() ? want.get(k) : null;
            if (h == null || !h.equals(x)) {
                return " (first difference at #" + k + ": rmap " + h + ", expected " + x + ")";
            }
        }
        return "";
    }

    private static void checkPages(World w, List<String> bad) {
        Map<Long, Integer> pointing = new HashMap<>();
        for (Map.Entry<Long, java.util.NavigableMap<Long, DaxEntry>> m : w.daxEntries().entrySet()) {
            for (DaxEntry e : m.getValue().values()) {
                if (e.zero()) {
                    continue;
                }
                int n = e.pmd() ? Units.PMD_PAGES : 1;
                for (int k = 0; k < n; k++) {
                    pointing.merge(e.pfn() + k, 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<Long, PageState> p : w.pages().entrySet()) {
            PageState s = p.getValue();
            if (s.hasMarker() && s.share() != pointing.getOrDefault(p.getKey(), 0)) {
                bad.add("page " + Units.hex(p.getKey()) + ": share count " + s.share() + " but "
                        + pointing.getOrDefault(p.getKey(), 0) + " DAX entries point at it");
            }
            if (s.hasOwner() && s.owner() >= 0) {
                DaxEntry e = w.daxEntry(s.owner(), s.index());
                if (e == null || e.zero()) {
                    bad.add("page " + Units.hex(p.getKey()) + " names inode " + s.owner() + " index " + s.index()
                            + " which has no DAX entry");
                }
            }
            if (s.marker() == PageState.Marker.SHARED && s.share() <= 0) {
                bad.add("page " + Units.hex(p.getKey()) + " has a marker with count " + s.share());
            }
        }
    }

    private static void checkProcesses(World w, List<String> bad) {
        java.util.Set<Integer> pids = new java.util.HashSet<>();
        for (Process p : w.processes()) {
            if (!pids.add(p.pid())) {
                bad.add("pid " + p.pid() + " appears twice");
            }
            if (!p.alive() && !p.vmas().isEmpty()) {
                bad.add("pid " + p.pid() + " is " + p.state().id() + " but still has mappings");
            }
            for (Vma v : p.vmas()) {
                for (long idx : v.present()) {
                    if (!v.covers(idx)) {
                        bad.add("pid " + p.pid() + " has a page-table entry for index " + idx + " outside its mapping of "
                                + v.path());
                    }
                }
                if (v.ino() >= 0 && (!w.hasFs() || !w.fs().inodes().containsKey(v.ino()))) {
                    bad.add("pid " + p.pid() + " maps inode " + v.ino() + " which does not exist");
                }
            }
        }
    }
}
