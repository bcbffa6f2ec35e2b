package dev.daxviz.engine;

import dev.daxviz.model.Address;
import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.ModelException;
import dev.daxviz.model.PageState;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code memory_failure} for a poisoned range of pmem, one page at a time, down to the holder or the generic
 * path (mm/memory-failure.c, drivers/nvdimm/pmem.c, drivers/dax/super.c; kernel-semantics.md §3–5).
 */
final class MemoryFailure {
    private static final int ENXIO = -6;
    private static final int EOPNOTSUPP = -95;

    private final World world;
    private final FailureContext c;

    MemoryFailure(World world) {
        this.world = world;
        this.c = new FailureContext(world);
    }

    Result run(FailureEvent.Poison ev) {
        int rc = 0;
        String result = null;
        Long firstActed = null;
        for (long k = 0; k < ev.pages(); k++) {
            long pfn = ev.pfn() + k;
            PageOutcome o = memoryFailure(pfn, ev);
            if (k == 0) {
                firstActed = c.actedPfn;
            }
            if (o.rc != 0 && rc == 0) {
                rc = o.rc;
            }
            if (o.result != null && (result == null || !"Failed".equals(result))) {
                result = o.result;
            }
            if (c.oops != null) {
                break;
            }
        }
        World after = c.ed.build();
        Address addr = world.addressing().ofPfn(ev.pfn());
        // the page the kernel acted on for the first poisoned page: itself, its PMD head or a stale entry's page
        long acted = firstActed != null ? firstActed : ev.pfn();
        Outcome out = new Outcome("poison", addr, ev.length(), c.t.path(), c.owners, pageReport(after, acted),
                c.signals, c.oops, c.shutdown, c.oops != null ? null : rc, result, c.t.log());
        return new Result(c.t.steps(), out, after);
    }

    private record PageOutcome(int rc, String result) {
    }

    private static Outcome.PageReport pageReport(World after, long pfn) {
        PageState ps = after.page(pfn);
        String mapping = null;
        Long index = null;
        if (ps.hasOwner()) {
            mapping = ps.owner() == PageState.DEVDAX_OWNER ? "/dev/dax0.0"
                    : after.hasFs() && after.fs().inode(ps.owner()) != null ? after.fs().inode(ps.owner()).path()
                    : "inode " + ps.owner();
            index = ps.index();
        }
        return new Outcome.PageReport(pfn, ps.hwpoison(), ps.hasMarker(), ps.share(), mapping, index);
    }

    /** {@code memory_failure(pfn, flags)} for one page. */
    private PageOutcome memoryFailure(long pfn, FailureEvent.Poison ev) {
        String hex = FailureContext.hex(pfn);
        List<String> pre = new ArrayList<>();
        String how;
        c.currentPid = null;
        switch (ev.source()) {
            case MCE -> how = "The hardware reports an uncorrectable memory error at pfn " + hex + " (physical address "
                    + FailureContext.hex(pfn << Units.PAGE_SHIFT) + "), found asynchronously by a patrol scrub or "
                    + "prefetch: no task was using it, so no task is \"current\" and action is optional.";
            case INJECT -> {
                pre.add("Injecting memory failure at pfn " + hex);
                how = "Someone writes pfn " + hex + " to debugfs hwpoison/corrupt-pfn. The writer is current but "
                        + "maps nothing.";
            }
            case MADVISE -> {
                Mapped m = mappedBy(ev.pid(), pfn);
                c.ed.touch(ev.pid(), m.vma.path(), m.index * Units.PAGE_SIZE, Units.PAGE_SIZE, false);
                pre.addAll(c.ed.drainLog());
                pre.add("Injecting memory failure for pfn " + hex + " at process virtual address "
                        + FailureContext.hex(m.addr));
                c.currentPid = ev.pid();
                how = comm(ev.pid()) + " calls madvise(MADV_HWPOISON) on its address " + FailureContext.hex(m.addr)
                        + ", which maps pfn " + hex + ". It is current: if it is found, it gets an action-required signal.";
            }
            case CONSUME -> {
                Mapped m = mappedBy(ev.pid(), pfn);
                c.ed.touch(ev.pid(), m.vma.path(), m.index * Units.PAGE_SIZE, Units.PAGE_SIZE, false);
                pre.addAll(c.ed.drainLog());
                c.currentPid = ev.pid();
                how = comm(ev.pid()) + " loads from " + FailureContext.hex(m.addr) + " and consumes the poison at pfn "
                        + hex + ": the machine check names it as current, and action is required.";
            }
            default -> throw new IllegalStateException();
        }
        c.t.step(Kfn.MEMORY_FAILURE, 0, how, List.of(new Touch.Page(pfn)), pre);
        if (world.sysctl().memoryFailureRecovery() == 0) {
            String msg = "Kernel panic - not syncing: Memory failure on page " + Long.toHexString(pfn);
            c.oops = new Outcome.Oops("memory_failure", msg);
            c.t.step(Kfn.PANIC, 1, "vm.memory_failure_recovery is 0: the kernel does not try to recover and panics.",
                    List.of(new Touch.Page(pfn)), List.of(msg));
            return new PageOutcome(0, null);
        }
        PmemDevice dev = world.deviceOfPfn(pfn).orElse(null);
        if (dev == null) {
            String line = "Memory failure: " + hex + ": memory outside kernel control";
            c.t.step(Kfn.MEMORY_FAILURE, 0, "pfn " + hex + " is not in any pmem namespace of this machine and has no "
                    + "dev_pagemap: the kernel cannot handle it. -ENXIO.", List.of(), List.of(line));
            return new PageOutcome(ENXIO, null);
        }
        c.t.step(Kfn.MEMORY_FAILURE, 0, "pfn " + hex + " is not ordinary RAM: it belongs to the ZONE_DEVICE range of "
                + dev.name() + " (" + dev.mode().id() + "), so memory_failure hands it to memory_failure_dev_pagemap.");
        int rc = memoryFailureDevPagemap(pfn, dev);
        if (c.oops != null) {
            return new PageOutcome(rc, null);
        }
        String word = rc == 0 ? "Recovered" : "Failed";
        c.t.step(Kfn.ACTION_RESULT, 1, "memory_failure reports the outcome: " + word + (rc == 0 ? "." : " (" + rc + ")."),
                List.of(new Touch.Page(pfn)), List.of("Memory failure: " + hex + ": recovery action for dax page: " + word));
        return new PageOutcome(rc, word);
    }

    /** {@code memory_failure_dev_pagemap}. */
    private int memoryFailureDevPagemap(long pfn, PmemDevice dev) {
        String hex = FailureContext.hex(pfn);
        if (dev.inReserve(pfn)) {
            c.t.step(Kfn.MEMORY_FAILURE_DEV_PAGEMAP, 1, "pfn " + hex + " lies in the namespace's fsdax reserve (the "
                    + Units.human(dev.dataOffset()) + " that hold struct pages and the info block), not in its data: "
                    + "device metadata space is not recoverable. -ENXIO.", List.of(new Touch.Page(pfn)));
            return ENXIO;
        }
        boolean hasOp = c.profile.holderOps() && dev.mode() == DeviceMode.FSDAX;
        if (!c.profile.holderOps()) {
            c.t.step(Kfn.MEMORY_FAILURE_DEV_PAGEMAP, 1, "Before the patchset there is no way to ask the filesystem: "
                    + "memory_failure_dev_pagemap handles the dax page itself, through the one owner recorded in its "
                    + "struct page.", List.of(new Touch.Page(pfn)));
            // inline: memory_failure_dev_pagemap (depth 1) itself calls dax_lock_page, collect_procs, kill_procs (2)
            return new KillProcs(c).mfGenericKillProcs(1, pfn, true);
        }
        if (hasOp) {
            c.t.step(Kfn.MEMORY_FAILURE_DEV_PAGEMAP, 1, "The page's dev_pagemap belongs to the pmem driver in fsdax mode "
                    + "and has a memory_failure operation: the driver is asked first.", List.of(new Touch.Page(pfn)));
            int rc = pmemPgmapMemoryFailure(pfn, dev);
            if (rc != EOPNOTSUPP) {
                return rc;
            }
            c.t.step(Kfn.MEMORY_FAILURE_DEV_PAGEMAP, 1, "The driver answered -EOPNOTSUPP: fall back to the generic "
                    + "single-owner path.");
        } else {
            c.t.step(Kfn.MEMORY_FAILURE_DEV_PAGEMAP, 1, "The page belongs to a device-dax namespace: its dev_pagemap has "
                    + "no memory_failure operation and no filesystem holds it, so the generic path runs.",
                    List.of(new Touch.Page(pfn)));
        }
        return new KillProcs(c).mfGenericKillProcs(2, pfn, false);
    }

    /** {@code pmem_pgmap_memory_failure} then {@code dax_holder_notify_failure}. */
    private int pmemPgmapMemoryFailure(long pfn, PmemDevice dev) {
        long off = dev.offsetOfPfn(pfn);
        c.t.step(Kfn.PMEM_PGMAP_MEMORY_FAILURE, 2, "The pmem driver turns the pfn into a byte offset in its block "
                + "device: " + FailureContext.hex(pfn) + " × 4096 − " + FailureContext.hex(dev.physAddr())
                + " (namespace start) − " + Units.human(dev.dataOffset()) + " (reserve) = " + FailureContext.hex(off)
                + " (daddr " + (off >> Units.BBSHIFT) + "), length 4096.", List.of(new Touch.Page(pfn)));
        Xfs fs = c.ed.fs();
        boolean holder = fs != null && fs.state() != Xfs.FsState.UNMOUNTED;
        if (!holder) {
            c.t.step(Kfn.DAX_HOLDER_NOTIFY_FAILURE, 3, "No filesystem is registered as the holder of this DAX device ("
                    + (fs == null ? "there is no filesystem on it" : "the filesystem is not mounted")
                    + "): -EOPNOTSUPP.");
            return EOPNOTSUPP;
        }
        c.t.step(Kfn.DAX_HOLDER_NOTIFY_FAILURE, 3, "The DAX device has a holder: the XFS mounted on it registered "
                + "its notify_failure operation at mount. The DAX layer calls it.");
        return new XfsNotifyFailure(c).notify(4, dev, off, Units.PAGE_SIZE, false, false);
    }

    private record Mapped(Vma vma, long index, long addr) {
    }

    /** The VMA of {@code pid} through which it reaches {@code pfn}, for madvise and consume. */
    private Mapped mappedBy(int pid, long pfn) {
        Process p = c.process(pid);
        if (p == null || !p.alive()) {
            throw new ModelException("pid " + pid + " is not a running process");
        }
        for (Vma v : p.vmas()) {
            if (v.ino() == PageState.DEVDAX_OWNER) {
                long idx = pfn - world.device().dataStartPfn();
                if (v.covers(idx)) {
                    return new Mapped(v, idx, v.addressOf(idx));
                }
                continue;
            }
            Inode i = c.ed.inode(v.ino());
            for (Extent e : i.dataExtents()) {
                long first = i.rt() ? c.ed.pfnOfRtBlock(e.startblock()) : c.ed.pfnOfBlock(e.startblock());
                if (pfn >= first && pfn < first + e.blockcount()) {
                    long idx = e.startoff() + (pfn - first);
                    if (v.covers(idx)) {
                        return new Mapped(v, idx, v.addressOf(idx));
                    }
                }
            }
        }
        throw new ModelException("pid " + pid + " (" + p.comm() + ") has no mapping of pfn " + Units.hex(pfn)
                + ": it cannot touch or madvise that page");
    }

    private String comm(int pid) {
        Process p = c.process(pid);
        return p.comm() + ":" + pid;
    }

}
