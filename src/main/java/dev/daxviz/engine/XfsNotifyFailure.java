package dev.daxviz.engine;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapQuery;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.List;

/** XFS as the dax holder: fs/xfs/xfs_notify_failure.c (kernel-semantics.md §6). */
final class XfsNotifyFailure {
    static final int EIO = -5;
    static final int ENXIO = -6;
    static final int EOPNOTSUPP = -95;
    static final int EFSCORRUPTED = -117;
    private static final int SHUTDOWN_FORCE_UMOUNT = 0x4;
    private static final int SHUTDOWN_CORRUPT_ONDISK = 0x10;

    private final FailureContext c;
    private final KillProcs kill;
    private boolean wantShutdown;
    /** A removal's whole-device notification: long runs of records with nothing to do are told in one step. */
    private boolean whole;

    XfsNotifyFailure(FailureContext c) {
        this.c = c;
        this.kill = new KillProcs(c);
    }

    /**
     * {@code xfs_dax_notify_failure}: {@code offset}/{@code len} are bytes of device {@code dev}; {@code whole} is
     * a removal's (0, U64_MAX) range; {@code preRemove} is MF_MEM_PRE_REMOVE as this kernel understands it.
     */
    int notify(int depth, PmemDevice dev, long offset, long len, boolean whole, boolean preRemove) {
        this.whole = whole;
        Xfs fs = c.ed.fs();
        String range = whole ? "the whole device" : Units.human(len) + " at device offset " + Units.hex(offset);
        if (c.before.rtDevice().filter(d -> d == dev).isPresent()) {
            c.t.step(Kfn.XFS_DAX_NOTIFY_FAILURE, depth, "XFS is told about " + range + " of its realtime device. This "
                    + "kernel has no reverse map for the realtime device, so XFS cannot say who owns it: it returns "
                    + "-EOPNOTSUPP and memory_failure falls back to the old single-owner path.");
            return EOPNOTSUPP;
        }
        if (c.before.logDevice().filter(d -> d == dev).isPresent()) {
            if (preRemove) {
                c.t.step(Kfn.XFS_DAX_NOTIFY_FAILURE, depth, "The external log device is being removed; XFS does "
                        + "nothing for it before removal.");
                return 0;
            }
            String line = c.xfsPrefix() + "ondisk log corrupt, shutting down fs!";
            c.owners.add(new Outcome.Owner("log", null, null, null, null, false, null));
            c.t.step(Kfn.XFS_DAX_NOTIFY_FAILURE, depth, "The failed range is on the external log device. XFS cannot "
                    + "trust its journal any more: the filesystem must shut down.", List.of(), List.of(line));
            KernelProfile.CodeSite site = c.profile.externalLogSite();
            c.forceShutdown(depth + 1, "SHUTDOWN_CORRUPT_ONDISK", SHUTDOWN_CORRUPT_ONDISK,
                    "Corruption of on-disk metadata", site.function(), site.line(), List.of());
            return EFSCORRUPTED;
        }
        if (!fs.rmapbt()) {
            c.t.step(Kfn.XFS_DAX_NOTIFY_FAILURE, depth, "XFS is told about " + range + ", but this filesystem was made "
                    + "without the reverse-mapping btree (rmapbt=0): it cannot answer \"who owns this block?\". It "
                    + "returns -EOPNOTSUPP (with only a debug message) and memory_failure falls back to the old "
                    + "single-owner path through page->mapping.");
            return EOPNOTSUPP;
        }
        long fsBytes = fs.geometry().dblocks() * Units.PAGE_SIZE;
        long start = whole ? 0 : offset;
        long end = whole ? fsBytes - 1 : Math.min(fsBytes - 1, offset + len - 1);
        if (!whole && (offset > fsBytes - 1 || offset + len - 1 < 0)) {
            c.t.step(Kfn.XFS_DAX_NOTIFY_FAILURE, depth, "The range lies outside the filesystem: -ENXIO.");
            return ENXIO;
        }
        List<String> lines = new ArrayList<>();
        if (preRemove) {
            lines.add(c.xfsPrefix() + "Device is about to be removed!");
        }
        c.t.step(Kfn.XFS_DAX_NOTIFY_FAILURE, depth, "XFS, the holder of the DAX device, is told about " + range + ". It "
                + "is mounted and has a reverse map, so it can find every owner of the range."
                + (preRemove ? " The device is about to be removed: XFS freezes the filesystem so no new mappings "
                + "appear while it revokes the old ones." : ""), List.of(), lines);
        long daddr = start >> Units.BBSHIFT;
        long bblen = ((end - start) >> Units.BBSHIFT) + 1;
        return ddevFailure(depth + 1, daddr, bblen, preRemove);
    }

    /** {@code xfs_dax_notify_ddev_failure}: one rmap query per AG the range touches. */
    private int ddevFailure(int depth, long daddr, long bblen, boolean preRemove) {
        Xfs fs = c.ed.fs();
        Geometry g = fs.geometry();
        long fsbno = daddr / 8;
        long endFsbno = c.profile.inclusiveRangeEnd() ? (daddr + bblen - 1) / 8 : (daddr + bblen) / 8;
        endFsbno = Math.min(endFsbno, g.dblocks() - 1);
        int agno = g.agnoOf(fsbno);
        int endAgno = g.agnoOf(endFsbno);
        c.t.step(Kfn.XFS_DAX_NOTIFY_DDEV_FAILURE, depth, "The range is daddr " + daddr + " + " + bblen + " sectors of 512 "
                + "bytes: fs block" + (endFsbno != fsbno ? "s " + fsbno + " to " + endFsbno : " " + fsbno) + ", which is "
                + (agno == endAgno ? "AG " + agno + " block " + g.agbnoOf(fsbno)
                + (endFsbno != fsbno ? " to " + g.agbnoOf(endFsbno) : "")
                : "AG " + agno + " block " + g.agbnoOf(fsbno) + " to AG " + endAgno + " block " + g.agbnoOf(endFsbno))
                + ". XFS will ask the reverse map of " + (agno == endAgno ? "that AG" : "each of these AGs") + ".");
        boolean alreadyDown = fs.isShutdown();
        int error = 0;
        for (; agno <= endAgno; agno++) {
            if (alreadyDown) {
                c.t.step(Kfn.XFS_DAX_NOTIFY_DDEV_FAILURE, depth, "Reading AG " + agno + "'s header (AGF) fails with "
                        + "-EIO: the filesystem is already shut down and does no more I/O. The loop stops.");
                error = EIO;
                break;
            }
            AllocationGroup ag = fs.ag(agno);
            int low = agno == g.agnoOf(fsbno) ? g.agbnoOf(fsbno) : 0;
            long high = agno == endAgno ? g.agbnoOf(endFsbno) : 0xffffffffL;
            long rangeAgend = Math.min(ag.length() - 1L, high);
            long notifyStart = low;
            long notifyCount = rangeAgend + 1 - low;
            RmapQuery q = ag.rmap().queryRange(low, high);
            List<Touch> touches = new ArrayList<>();
            for (RmapQuery.Visit v : q.visits()) {
                touches.add(new Touch.BtreeNode(agno, v.pathName(), v.node().level()));
            }
            for (RmapRecord r : q.records()) {
                touches.add(new Touch.RmapRec(agno, r));
            }
            String found = q.records().isEmpty() ? "no record: the blocks are free space, nobody owns them"
                    : q.records().size() + " record" + (q.records().size() == 1 ? "" : "s") + ": " + describe(q.records());
            c.t.step(Kfn.XFS_RMAP_QUERY_RANGE, depth + 1, "rmap query in AG " + agno + " for agbno " + low + ".."
                    + (high == 0xffffffffL ? "end" : Long.toString(high)) + " reads " + q.visits().size() + " btree block"
                    + (q.visits().size() == 1 ? "" : "s") + " and finds " + found + ".", touches);
            if (q.records().isEmpty() && !preRemove) {
                c.owners.add(new Outcome.Owner("null", null, null, null, null, false, agno));
            }
            List<RmapRecord> quiet = new ArrayList<>();
            for (RmapRecord r : q.records()) {
                if (whole && quiet(r, notifyStart, notifyCount)) {
                    quiet.add(r);
                    continue;
                }
                flushQuiet(depth + 2, agno, ag, quiet, notifyStart, notifyCount, preRemove);
                error = failureFn(depth + 2, agno, ag, r, notifyStart, notifyCount, preRemove);
                if (error != 0) {
                    break;
                }
            }
            if (error == 0) {
                flushQuiet(depth + 2, agno, ag, quiet, notifyStart, notifyCount, preRemove);
            }
            if (error != 0) {
                break;
            }
        }
        if (preRemove) {
            c.forceShutdown(depth + 1, "SHUTDOWN_FORCE_UMOUNT", SHUTDOWN_FORCE_UMOUNT, "Metadata I/O Error",
                    "xfs_dax_notify_ddev_failure", c.profile.shutdownSite().line() - 2,
                    List.of(c.xfsPrefix() + "User initiated shutdown received."));
            c.t.step(Kfn.XFS_DAX_NOTIFY_DDEV_FAILURE, depth, "Every mapping is revoked and the filesystem is forcibly "
                    + "unmounted; XFS thaws it again (there is nothing left to write).");
            return error;
        }
        if (error != 0 || wantShutdown) {
            KernelProfile.CodeSite site = c.profile.shutdownSite();
            c.forceShutdown(depth + 1, "SHUTDOWN_CORRUPT_ONDISK", SHUTDOWN_CORRUPT_ONDISK,
                    "Corruption of on-disk metadata", site.function(), site.line(), List.of());
            if (error == 0) {
                error = EFSCORRUPTED;
            }
        }
        return error;
    }

    /** Records described one by one in a query's step; the rest are counted ("… and 1,234 more"). */
    static final int DESCRIBED_RECORDS = 32;
    /** Runs of more quiet records than this (in a removal's whole-device notification) are told in one step. */
    static final int QUIET_RUN_STEP = 8;

    /**
     * Whether {@code xfs_dax_failure_fn} has nothing to tell anyone for this record: metadata (skipped on
     * MF_MEM_PRE_REMOVE; otherwise it only sets want_shutdown), an inode not in memory or not DAX (skipped), or a
     * DAX file with no DAX entry in the range (nothing mapped, nobody to signal, nothing to poison).
     */
    private boolean quiet(RmapRecord r, long notifyStart, long notifyCount) {
        if (!r.isInodeOwner() || r.attrFork() || r.bmbtBlock()) {
            return true;
        }
        Inode inode = c.ed.inode(r.owner());
        if (inode == null || !inode.incore() || (c.profile.skipNonDaxInodes() && !inode.dax())) {
            return true;
        }
        if (!inode.dax()) {
            return false;
        }
        long[] range = pages(r, notifyStart, notifyCount);
        return c.ed.nextDaxEntryIndex(r.owner(), range[0], range[0] + range[1]) >= range[0] + range[1];
    }

    /** The file pages {pgoff, pgcnt} of a record that the notified range covers. */
    private static long[] pages(RmapRecord r, long notifyStart, long notifyCount) {
        long startCross = Math.max(r.startblock(), notifyStart);
        long endCross = Math.min(r.startblock() + r.blockcount() - 1L, notifyStart + notifyCount - 1);
        return new long[] {r.offset() + (startCross - r.startblock()), endCross - startCross + 1};
    }

    /**
     * The quiet records met so far: one by one as {@link #failureFn} tells them when they are few, else their
     * effects (owners, invalidation) and one step that counts them — a whole 1 TiB device has tens of thousands.
     */
    private void flushQuiet(int depth, int agno, AllocationGroup ag, List<RmapRecord> quiet, long notifyStart,
                            long notifyCount, boolean preRemove) {
        if (quiet.size() <= QUIET_RUN_STEP) {
            for (RmapRecord r : quiet) {
                failureFn(depth, agno, ag, r, notifyStart, notifyCount, preRemove);
            }
            quiet.clear();
            return;
        }
        int metadata = 0;
        int notIncore = 0;
        int unmapped = 0;
        java.util.Set<Long> files = new java.util.HashSet<>();
        for (RmapRecord r : quiet) {
            if (!r.isInodeOwner() || r.attrFork() || r.bmbtBlock()) {
                metadata++;
                wantShutdown |= !preRemove;
                if (r.isInodeOwner()) {
                    c.owners.add(new Outcome.Owner("inode", r.owner(), c.pathOf(r.owner()), r.attrFork() ? "attr"
                            : "bmbt", null, false, agno));
                } else {
                    c.owners.add(new Outcome.Owner(RmapOwner.typeName(r.owner()), null, null, null, null, false,
                            agno));
                }
                continue;
            }
            long ino = r.owner();
            Inode inode = c.ed.inode(ino);
            long[] range = pages(r, notifyStart, notifyCount);
            boolean shared = ag.refcountOf(Math.max(r.startblock(), (int) notifyStart)) > 1;
            addInodeOwner(ino, c.pathOf(ino), range[0], shared, agno);
            files.add(ino);
            if (inode == null || !inode.incore() || !inode.dax()) {
                notIncore++;
                continue;
            }
            unmapped++;
            if (c.profile.removal() == KernelProfile.Removal.PRE_REMOVE) {
                c.ed.invalidate(ino, range[0], range[0] + range[1]);
            }
        }
        c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, "xfs_dax_failure_fn runs for the next " + quiet.size() + " records (AG "
                + agno + " blocks " + quiet.get(0).startblock() + " to " + quiet.get(quiet.size() - 1).lastBlock()
                + ") and finds nobody to tell in any of them: " + metadata + " metadata record" + (metadata == 1 ? ""
                : "s") + (preRemove ? " (skipped on removal), " : metadata > 0 ? " (each sets want_shutdown), " : ", ")
                + notIncore + " of files not in memory or not DAX, " + unmapped
                + " of DAX files with no faulted page in the range (" + files.size() + " file" + (files.size() == 1
                ? "" : "s") + " in all). No process maps any of these pages: nobody to tell.",
                List.of(new Touch.RmapRec(agno, quiet.get(0))));
        quiet.clear();
    }

    private String describe(List<RmapRecord> recs) {
        List<String> s = new ArrayList<>();
        for (RmapRecord r : recs) {
            if (s.size() == DESCRIBED_RECORDS) {
                s.add("… and " + (recs.size() - DESCRIBED_RECORDS) + " more");
                break;
            }
            String who = r.isInodeOwner() ? "inode " + r.owner() + " (" + c.pathOf(r.owner()) + ")"
                    + (r.attrFork() ? " attr fork" : r.bmbtBlock() ? " bmbt block" : " file block " + r.offset())
                    : RmapOwner.describe(r.owner());
            s.add("[" + r.startblock() + "+" + r.blockcount() + "] " + who);
        }
        return String.join(", ", s);
    }

    /** {@code xfs_dax_failure_fn}: one rmap record of the range. */
    private int failureFn(int depth, int agno, AllocationGroup ag, RmapRecord r, long notifyStart, long notifyCount,
                          boolean preRemove) {
        boolean shared = ag.refcountOf(Math.max(r.startblock(), (int) notifyStart)) > 1;
        if (!r.isInodeOwner() || r.attrFork() || r.bmbtBlock()) {
            String what = r.isInodeOwner() ? (r.attrFork() ? "the attr fork (extended attributes) of " : "a bmap btree "
                    + "block (the extent map) of ") + c.pathOf(r.owner()) : RmapOwner.describe(r.owner());
            if (r.isInodeOwner()) {
                c.owners.add(new Outcome.Owner("inode", r.owner(), c.pathOf(r.owner()), r.attrFork() ? "attr" : "bmbt",
                        null, false, agno));
            } else {
                c.owners.add(new Outcome.Owner(RmapOwner.typeName(r.owner()), null, null, null, null, false, agno));
            }
            if (preRemove) {
                c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, "Record " + r.startblock() + "+" + r.blockcount() + " is " + what
                        + ": metadata is skipped when the device is being removed.", List.of(new Touch.RmapRec(agno, r)));
                return 0;
            }
            wantShutdown = true;
            c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, "Record " + r.startblock() + "+" + r.blockcount() + " is " + what
                    + ". That is filesystem metadata, not file data a process maps: no process can be told, and XFS "
                    + "cannot trust the block any more. It sets want_shutdown and goes on with the query.",
                    List.of(new Touch.RmapRec(agno, r)));
            return 0;
        }
        long ino = r.owner();
        Inode inode = c.ed.inode(ino);
        long startCross = Math.max(r.startblock(), notifyStart);
        long endCross = Math.min(r.startblock() + r.blockcount() - 1L, notifyStart + notifyCount - 1);
        long pgoff = r.offset() + (startCross - r.startblock());
        long pgcnt = endCross - startCross + 1;
        String path = c.pathOf(ino);
        addInodeOwner(ino, path, pgoff, shared, agno);
        List<Touch> touches = new ArrayList<>(List.of(new Touch.RmapRec(agno, r), new Touch.Inode(ino, path)));
        if (inode != null) {
            // the whole extent the record describes: the view lights every page of it
            touches.add(new Touch.Extent(ino, path, r.offset(), c.ed.fs().geometry().fsblock(agno, r.startblock()),
                    r.blockcount()));
        }
        if (inode == null || !inode.incore()) {
            c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, "Record " + r.startblock() + "+" + r.blockcount() + " belongs to "
                    + "inode " + ino + " (" + path + "), but that inode is not in memory (XFS_IGET_INCORE finds "
                    + "nothing): nobody has it open or mapped, so there is nobody to tell. Skipped.", touches);
            return 0;
        }
        if (c.profile.skipNonDaxInodes() && !inode.dax()) {
            c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, path + " is in memory but is not a DAX file: its data is in the "
                    + "page cache, not mapped from this pmem page. Skipped.", touches);
            return 0;
        }
        c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, "Record " + r.startblock() + "+" + r.blockcount() + " belongs to "
                + path + " (inode " + ino + ")" + (shared ? ", a block it shares with other files through reflink" : "")
                + ". The failed blocks are its file page" + (pgcnt == 1 ? " " + pgoff : "s " + pgoff + ".." + (pgoff + pgcnt - 1))
                + " (offset " + Units.human(pgoff * Units.PAGE_SIZE) + "): mf_dax_kill_procs handles them.", touches);
        int rc = kill.mfDaxKillProcs(depth + 1, ino, pgoff, pgcnt, preRemove);
        if (preRemove && c.profile.removal() == KernelProfile.Removal.PRE_REMOVE) {
            c.ed.invalidate(ino, pgoff, pgoff + pgcnt);
        }
        if (rc != 0) {
            c.t.step(Kfn.XFS_DAX_FAILURE_FN, depth, "mf_dax_kill_procs failed with " + rc + ": the rmap query stops "
                    + "here and XFS will shut down.");
        }
        return rc;
    }

    private void addInodeOwner(long ino, String path, long pgoff, boolean shared, int agno) {
        if (c.dataOwners.add(ino)) {
            c.owners.add(new Outcome.Owner("inode", ino, path, "data", pgoff * Units.PAGE_SIZE, shared, agno));
        }
    }
}
