package dev.daxviz.engine;

import dev.daxviz.model.DaxEntry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.PageState;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mm side of the path (mm/memory-failure.c): {@code mf_dax_kill_procs} for the filesystem's owners,
 * {@code mf_generic_kill_procs} for the single owner in {@code page->mapping}, and what both share:
 * {@code task_early_kill}, collecting, {@code unmap_and_kill} and {@code kill_procs}.
 */
final class KillProcs {
    static final int EBUSY = -16;

    private final FailureContext c;

    KillProcs(FailureContext c) {
        this.c = c;
    }

    /** One collected (task, VMA) pair: {@code struct to_kill}. */
    private record ToKill(Process p, Vma v, long addr, int shift, String cause) {
    }

    /** {@code task_early_kill}: which task of a process to signal now, or null (kernel-semantics.md §8). */
    private Process taskEarlyKill(Process p, boolean forceEarly, boolean preRemove) {
        if (!p.alive()) {
            return null;
        }
        if (preRemove) {
            return p;
        }
        if (forceEarly && c.isCurrent(p)) {
            return p;
        }
        return switch (p.earlyKill()) {
            case EARLY -> p;
            case LATE -> null;
            case DEFAULT -> c.before.sysctl().memoryFailureEarlyKill() == 1 ? p : null;
        };
    }

    private static String whyNotCollected(Process p) {
        return switch (p.earlyKill()) {
            case LATE -> p.comm() + ":" + p.pid() + " chose late kill (prctl PR_MCE_KILL_LATE)";
            default -> p.comm() + ":" + p.pid() + " is a late-kill task (vm.memory_failure_early_kill is 0 and it "
                    + "set no prctl), so it is left alone until it touches the page itself";
        };
    }

    /**
     * {@code mf_dax_kill_procs}: for every file index in {@code [index, index+count)}, lock its DAX entry, poison
     * the page, collect the mappers and kill them. Returns 0, or -EBUSY when the mapping is not DAX.
     */
    /** Runs of more unfaulted indices than this are told in one step (each page of a shorter run has its own). */
    static final long UNFAULTED_RUN_STEP = 4;

    int mfDaxKillProcs(int depth, long ino, long index, long count, boolean preRemove) {
        Inode inode = c.ed.inode(ino);
        String path = inode.path();
        c.t.step(Kfn.MF_DAX_KILL_PROCS, depth, "mf_dax_kill_procs walks " + count + " page" + (count == 1 ? "" : "s")
                + " of " + path + " from file index " + index + " (offset " + Units.human(index * Units.PAGE_SIZE)
                + "). It forces MF_ACTION_REQUIRED and MF_MUST_KILL: whoever it finds must get SIGBUS.",
                List.of(new Touch.Inode(ino, path)));
        if (!inode.dax()) {
            c.t.step(Kfn.DAX_LOCK_MAPPING_ENTRY, depth + 1, path + " is not a DAX file (its inode was read from disk "
                    + "with the reflink flag, and this kernel does not allow DAX on reflinked inodes), so "
                    + "dax_lock_mapping_entry returns no cookie and mf_dax_kill_procs fails with -EBUSY.",
                    List.of(new Touch.Inode(ino, path)));
            return EBUSY;
        }
        long end = index + count;
        for (long idx = index; idx < end; idx++) {
            // a long run of pages nobody faulted (a whole big file on device removal) is one step, not one per page
            long next = c.ed.nextDaxEntryIndex(ino, idx, end);
            if (next - idx > UNFAULTED_RUN_STEP) {
                c.t.step(Kfn.DAX_LOCK_MAPPING_ENTRY, depth + 1, "dax_lock_mapping_entry finds no DAX entry for "
                        + "indices " + idx + "–" + (next - 1) + " of " + path + " (" + Units.human((next - idx)
                        * Units.PAGE_SIZE) + "): no process ever faulted those pages (or they were invalidated), so "
                        + "nothing maps them. They are skipped: no HWPoison flag, no signal.",
                        List.of(new Touch.Inode(ino, path)));
                idx = next - 1;
                continue;
            }
            DaxEntry e = c.ed.daxEntry(ino, idx);
            if (e == null || e.zero()) {
                c.t.step(Kfn.DAX_LOCK_MAPPING_ENTRY, depth + 1, "dax_lock_mapping_entry finds no DAX entry for index "
                        + idx + " of " + path + ": no process ever faulted that page (or it was invalidated), so "
                        + "nothing maps it. The index is skipped: no HWPoison flag, no signal.",
                        List.of(new Touch.Inode(ino, path)));
                continue;
            }
            long page = e.pfn();
            String pmdNote = e.pmd() ? " It is a 2 MiB (PMD) entry, so the page it returns is the head page "
                    + FailureContext.hex(page) + "." : "";
            String pre = preRemove ? " The device is being removed, not poisoned, so the page is not marked HWPoison."
                    : c.ed.page(page).hwpoison() ? " The page is already marked HWPoison (by an earlier owner or event)."
                    : " The page is marked HWPoison: the kernel will not hand it out again.";
            c.t.step(Kfn.DAX_LOCK_MAPPING_ENTRY, depth + 1, "dax_lock_mapping_entry locks the DAX entry at index " + idx
                    + " of " + path + "; it points at pfn " + FailureContext.hex(page) + "." + pmdNote + pre,
                    List.of(new Touch.PageEntry(ino, path, idx, page), new Touch.Page(page)));
            if (!preRemove) {
                c.ed.setHwpoison(page, true);
            }
            c.actedPfn = page;
            List<ToKill> tk = collectProcsFsdax(depth + 1, ino, path, idx, preRemove);
            unmapAndKill(depth + 1, tk, page, ino, path, idx);
        }
        return 0;
    }

    /** {@code collect_procs_fsdax}: the chosen task of every process, each of its VMAs of the file covering the index. */
    private List<ToKill> collectProcsFsdax(int depth, long ino, String path, long index, boolean preRemove) {
        List<ToKill> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Touch> touches = new ArrayList<>();
        for (Process p : c.ed.processes()) {
            List<Vma> covering = covering(p, ino, index);
            if (covering.isEmpty()) {
                continue;
            }
            Process t = taskEarlyKill(p, true, preRemove);
            if (t == null) {
                notes.add(whyNotCollected(p));
                continue;
            }
            addToKill(t, covering, index, path, out, notes, touches);
        }
        String who = out.isEmpty() ? "nobody" : describe(out);
        c.t.step(Kfn.COLLECT_PROCS_FSDAX, depth, "collect_procs_fsdax looks for tasks that map index " + index + " of "
                + path + (preRemove ? " (device removal: every process counts, whatever its early-kill setting)" : "")
                + ". Collected: " + who + "." + (notes.isEmpty() ? "" : " " + String.join("; ", notes) + "."),
                touches);
        return out;
    }

    /**
     * The VMAs of {@code p} that map file index {@code index} of inode {@code ino}, by address. A plain loop: it
     * runs for every process and every owner of the page (a million times for a page 1,000 files share).
     */
    private static List<Vma> covering(Process p, long ino, long index) {
        List<Vma> out = null;
        for (Vma v : p.vmas()) {
            if (v.ino() == ino && v.covers(index)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(v);
            }
        }
        if (out == null) {
            return List.of();
        }
        out.sort(Comparator.comparingLong(Vma::start));
        return out;
    }

    /** {@code add_to_kill_fsdax} / {@code add_to_kill}: a covered index without a page-table entry is dropped. */
    private void addToKill(Process t, List<Vma> covering, long index, String cause, List<ToKill> out,
                           List<String> notes, List<Touch> touches) {
        for (Vma v : covering) {
            int shift = v.mappingShift(index);
            if (shift == 0) {
                notes.add(t.comm() + ":" + t.pid() + " maps index " + index + " but never touched it (no page-table "
                        + "entry), so it is dropped");
                continue;
            }
            long addr = v.pmd() && v.ino() == PageState.DEVDAX_OWNER
                    ? v.addressOf(index & ~(long) (Units.PMD_PAGES - 1)) : v.addressOf(index);
            out.add(new ToKill(t, v, addr, shift, cause));
            touches.add(new Touch.Vma(t.pid(), v.start(), v.path()));
            touches.add(new Touch.Process(t.pid(), t.comm()));
        }
    }

    private static String describe(List<ToKill> tk) {
        List<String> s = new ArrayList<>();
        for (ToKill k : tk) {
            s.add(k.p.comm() + ":" + k.p.pid() + " at " + FailureContext.hex(k.addr) + " (" + (k.shift == Units.PMD_SHIFT
                    ? "2 MiB PMD" : "4 KiB PTE") + ")");
        }
        return String.join(", ", s);
    }

    /**
     * {@code unmap_and_kill}: unmap the largest collected mapping size around the index from every mapping of the
     * file, then {@code kill_procs}.
     */
    private void unmapAndKill(int depth, List<ToKill> tk, long logPfn, long ino, String path, long index) {
        long size = 0;
        for (ToKill k : tk) {
            size = Math.max(size, 1L << k.shift);
        }
        if (size > 0) {
            long start = (index * Units.PAGE_SIZE) & ~(size - 1);
            c.ed.unmapRange(ino, start / Units.PAGE_SIZE, (start + size) / Units.PAGE_SIZE);
            c.t.step(Kfn.UNMAP_MAPPING_RANGE, depth, "unmap_mapping_range removes the page-table entries for "
                    + Units.human(size) + " of " + path + " at offset " + Units.human(start) + " from every process "
                    + "mapping the file, so no one can read the bad page without faulting again.",
                    List.of(new Touch.Inode(ino, path)));
        }
        killProcs(depth, tk, logPfn);
    }

    /** {@code kill_procs}: one log line per collected entry, one SIGBUS per task of the list. */
    private void killProcs(int depth, List<ToKill> tk, long logPfn) {
        List<String> lines = new ArrayList<>();
        List<Touch> touches = new ArrayList<>();
        Set<Integer> signalled = new LinkedHashSet<>();
        List<String> said = new ArrayList<>();
        for (ToKill k : tk) {
            lines.add("Memory failure: " + FailureContext.hex(logPfn) + ": Sending SIGBUS to " + k.p.comm() + ":"
                    + k.p.pid() + " due to hardware memory corruption");
            if (!signalled.add(k.p.pid())) {
                continue; // SIGBUS is not queued twice for one task
            }
            boolean ar = c.isCurrent(k.p);
            String code = ar ? "BUS_MCEERR_AR" : "BUS_MCEERR_AO";
            touches.add(new Touch.Process(k.p.pid(), k.p.comm(), code));
            c.signals.add(new Outcome.Signal(k.p.pid(), k.p.comm(), "SIGBUS", code, k.addr, k.shift, k.cause));
            said.add(k.p.comm() + ":" + k.p.pid() + " gets SIGBUS " + code + " at " + FailureContext.hex(k.addr)
                    + " (addr_lsb " + k.shift + ")" + (ar ? ", action required: it is the task that touched the page"
                    : ", action optional: it is told early, before it touches the page"));
        }
        String narration = tk.isEmpty() ? "kill_procs has nobody to signal."
                : "kill_procs signals: " + String.join("; ", said) + ".";
        List<String> dying = new ArrayList<>();
        for (ToKill k : tk) {
            if (k.p.onSigbus() == Process.OnSigbus.DIE && c.ed.process(k.p.pid()).alive()) {
                c.ed.endProcess(k.p.pid(), Process.State.KILLED);
                dying.add(k.p.comm() + ":" + k.p.pid());
            }
        }
        if (!dying.isEmpty()) {
            narration += " SIGBUS's default action kills " + String.join(", ", dying) + "; its mappings go with it.";
        }
        c.t.step(Kfn.KILL_PROCS, depth, narration, touches, lines);
    }

    /**
     * {@code mf_generic_kill_procs} (or the same code inline in 5.17's {@code memory_failure_dev_pagemap}): the one
     * owner {@code page->mapping} names. Returns 0, -EBUSY, or {@link Integer#MIN_VALUE} when the kernel oopses.
     */
    int mfGenericKillProcs(int depth, long pfn, boolean inline) {
        if (!inline) {
            c.t.step(Kfn.MF_GENERIC_KILL_PROCS, depth, "mf_generic_kill_procs is the old single-owner path: it can only "
                    + "find the owner recorded in the struct page (page->mapping and page->index).",
                    List.of(new Touch.Page(pfn)));
        }
        PageState ps = c.ed.page(pfn);
        String lockFn = c.profile.daxLockFunction();
        if (ps.hasMarker()) {
            String msg = "BUG: kernel NULL pointer dereference, address: 0000000000000001";
            c.oops = new Outcome.Oops(lockFn, msg);
            c.t.step(Kfn.DAX_LOCK_PAGE, depth + 1, lockFn + " reads page->mapping, finds the "
                    + (ps.marker() == PageState.Marker.COW ? "CoW" : "shared") + " marker (the value 1, not a pointer) "
                    + "that marks a page shared by " + ps.share() + " files, and dereferences it as an address_space: "
                    + "the kernel oopses and the task running memory_failure is killed.",
                    List.of(new Touch.Page(pfn)), List.of(msg));
            return Integer.MIN_VALUE;
        }
        if (!ps.hasOwner()) {
            c.t.step(Kfn.DAX_LOCK_PAGE, depth + 1, lockFn + " finds page->mapping empty: no process ever faulted this "
                    + "page through a DAX mapping (or it is filesystem metadata, which XFS reads through its buffer "
                    + "cache). There is no owner to tell: -EBUSY.", List.of(new Touch.Page(pfn)));
            return EBUSY;
        }
        long ino = ps.owner();
        String path = c.pathOf(ino);
        if (ino != PageState.DEVDAX_OWNER) {
            c.dataOwners.add(ino);
        }
        c.owners.add(new Outcome.Owner(ino == PageState.DEVDAX_OWNER ? "device" : "inode",
                ino == PageState.DEVDAX_OWNER ? null : ino, path, ino == PageState.DEVDAX_OWNER ? null : "data",
                ps.index() * Units.PAGE_SIZE, false, null));
        c.t.step(Kfn.DAX_LOCK_PAGE, depth + 1, lockFn + " finds page->mapping = " + path + ", index " + ps.index()
                + (ino == PageState.DEVDAX_OWNER ? " (the device-dax file, mapped in 2 MiB units)" : "")
                + ". That is the only owner the old path can see. The page is marked HWPoison.",
                List.of(new Touch.Page(pfn), new Touch.PageEntry(ino, path, ps.index(), pfn)));
        c.ed.setHwpoison(pfn, true);
        c.actedPfn = pfn;
        List<ToKill> tk = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Touch> touches = new ArrayList<>();
        for (Process p : c.ed.processes()) {
            List<Vma> covering = covering(p, ino, ps.index());
            if (covering.isEmpty()) {
                continue;
            }
            Process t = taskEarlyKill(p, true, false);
            if (t == null) {
                notes.add(whyNotCollected(p));
                continue;
            }
            addToKill(t, covering, ps.index(), path, tk, notes, touches);
        }
        c.t.step(Kfn.COLLECT_PROCS, depth + 1, "collect_procs walks the mappings of " + path + " at index " + ps.index()
                + ". Collected: " + (tk.isEmpty() ? "nobody" : describe(tk)) + "."
                + (notes.isEmpty() ? "" : " " + String.join("; ", notes) + "."), touches);
        unmapAndKill(depth + 1, tk, pfn, ino, path, ps.index());
        return 0;
    }
}
