package dev.daxviz.scenario;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.DaxEntry;
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
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * A plain-text description of a world: devices, filesystem geometry, every AG's reverse map, the files and
 * their extents, the processes and their mappings, and the struct pages that carry state. What the app's
 * panels show, for a terminal.
 */
public final class WorldSummary {
    private WorldSummary() {
    }

    public static String of(World w) {
        StringBuilder b = new StringBuilder();
        b.append("Kernel profile: ").append(w.profile().title()).append('\n');
        for (PmemDevice d : w.devices()) {
            b.append(String.format("Device %s (%s): %s block device, namespace at %s, fsdax reserve %s, "
                            + "data pfn %s–%s%n", d.name(), d.mode().id(), Units.human(d.size()), Units.hex(d.physAddr()),
                    Units.human(d.dataOffset()), Units.hex(d.dataStartPfn()), Units.hex(d.endPfn() - 1)));
        }
        if (!w.hasFs()) {
            b.append("No filesystem: the device has no holder").append(
                    w.device().mode().id().equals("devdax") ? " (device-dax, mapped whole as "
                            + ScenarioBuilder.DEVDAX_PATH + ")\n" : "\n");
        } else {
            fs(b, w);
        }
        processes(b, w);
        pages(b, w);
        return b.toString();
    }

    private static void fs(StringBuilder b, World w) {
        Xfs fs = w.fs();
        Geometry g = fs.geometry();
        b.append(String.format("XFS: %d AGs of %d blocks (%d blocks of 4 KiB), reflink %s, rmapbt %s, dax=%s, %s%s%n",
                g.agcount(), g.agblocks(), g.dblocks(), onOff(fs.reflink()), onOff(fs.rmapbt()), fs.daxPolicy().id(),
                fs.state().id(), fs.shutdownReason() != null ? " (" + fs.shutdownReason() + ")" : ""));
        if (g.hasInternalLog()) {
            b.append(String.format("  internal log: AG %d agbno %d–%d (%d blocks)%n", g.logAgno(), g.logAgbno(),
                    g.logAgbno() + g.logBlocks() - 1, g.logBlocks()));
        } else {
            b.append("  external log on ").append(w.logDevice().map(PmemDevice::name).orElse("?")).append('\n');
        }
        if (fs.realtime()) {
            b.append("  realtime device ").append(w.rtDevice().map(PmemDevice::name).orElse("?")).append('\n');
        }
        for (AllocationGroup ag : fs.ags()) {
            b.append(String.format("AG %d: %d blocks, %d free, inode chunks at %s%n", ag.agno(), ag.length(),
                    ag.freeBlocks(), ag.inodeChunks()));
            b.append("  rmap records (startblock+blockcount owner offset):\n");
            for (RmapRecord r : ag.rmap().records()) {
                b.append("    ").append(r.startblock()).append('+').append(r.blockcount()).append(' ')
                        .append(r.isInodeOwner() ? "inode " + r.owner() + " " + pathOf(fs, r.owner()) : r.ownerLabel())
                        .append(r.isInodeOwner() ? (r.attrFork() ? " attr" : r.bmbtBlock() ? " bmbt" : " off "
                                + r.offset()) : "").append('\n');
            }
            for (AllocationGroup.RefcountRecord rc : ag.refcountRecords()) {
                b.append(String.format("  shared: agbno %d+%d, %d owners%n", rc.startblock(), rc.blockcount(),
                        rc.refcount()));
            }
        }
        b.append("Files:\n");
        if (fs.inodes().isEmpty()) {
            b.append("  (none)\n");
        }
        for (Inode i : fs.inodes().values()) {
            b.append(String.format("  %s  inode %d, %s%s%s%s%n", i.path(), i.ino(), Units.human(i.size()),
                    i.rt() ? ", realtime" : "", i.reflinked() ? ", reflinked" : "",
                    i.incore() ? (i.dax() ? ", in core (DAX)" : ", in core (not DAX)") : ", not in core"));
            for (Extent e : i.dataExtents()) {
                b.append("    data ").append(extent(w, i, e)).append('\n');
            }
            for (Extent e : i.attrExtents()) {
                b.append("    attr ").append(extent(w, i, e)).append('\n');
            }
            for (long bm : i.bmbtBlocks()) {
                b.append(String.format("    bmbt block: AG %d agbno %d%n", fs.geometry().agnoOf(bm),
                        fs.geometry().agbnoOf(bm)));
            }
        }
    }

    private static String extent(World w, Inode i, Extent e) {
        long pfn = i.rt() ? w.rtDevice().orElseThrow().pfnOfOffset(e.startblock() * Units.PAGE_SIZE)
                : w.device().pfnOfOffset(e.startblock() * Units.PAGE_SIZE);
        String where = i.rt() ? "rt block " + e.startblock() : "AG " + w.fs().geometry().agnoOf(e.startblock())
                + " agbno " + w.fs().geometry().agbnoOf(e.startblock());
        return String.format("file blocks %d–%d → %s (%d blocks, pfn %s)", e.startoff(), e.endoff() - 1, where,
                e.blockcount(), Units.hex(pfn));
    }

    private static String pathOf(Xfs fs, long ino) {
        Inode i = fs.inode(ino);
        return i == null ? "" : i.path();
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private static void processes(StringBuilder b, World w) {
        b.append("Processes (task-list order):\n");
        if (w.processes().isEmpty()) {
            b.append("  (none)\n");
        }
        for (Process p : w.processes()) {
            b.append(String.format("  %s:%d  early kill %s, on SIGBUS %s, %s%n", p.comm(), p.pid(), p.earlyKill().id(),
                    p.onSigbus().id(), p.state().id()));
            for (Vma v : p.vmas()) {
                b.append(String.format("    maps %s %s+%s at %s%s; faulted pages: %s%n", v.path(),
                        Units.human(v.fileOffset()), Units.human(v.length()), Units.hex(v.start()),
                        v.pmd() ? " (PMD)" : "", ranges(v.present())));
            }
        }
        b.append(String.format("sysctl: vm.memory_failure_early_kill=%d vm.memory_failure_recovery=%d%n",
                w.sysctl().memoryFailureEarlyKill(), w.sysctl().memoryFailureRecovery()));
    }

    static String ranges(NavigableSet<Long> idx) {
        if (idx.isEmpty()) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        long start = -1;
        long prev = -2;
        for (long i : idx) {
            if (i != prev + 1) {
                if (start >= 0) {
                    out.add(start == prev ? "" + start : start + "–" + prev);
                }
                start = i;
            }
            prev = i;
        }
        out.add(start == prev ? "" + start : start + "–" + prev);
        return "index " + String.join(", ", out);
    }

    private static void pages(StringBuilder b, World w) {
        TreeMap<Long, PageState> sorted = new TreeMap<>(w.pages());
        b.append("Struct pages with state:\n");
        if (sorted.isEmpty()) {
            b.append("  (none)\n");
        }
        int shown = 0;
        for (Map.Entry<Long, PageState> e : sorted.entrySet()) {
            if (shown++ >= 64) {
                b.append("  … ").append(sorted.size() - 64).append(" more\n");
                break;
            }
            PageState s = e.getValue();
            String owner;
            if (s.hasMarker()) {
                owner = s.marker().name() + " marker, share " + s.share();
            } else if (s.owner() == PageState.DEVDAX_OWNER) {
                owner = "mapping " + ScenarioBuilder.DEVDAX_PATH + " index " + s.index();
            } else if (s.hasOwner()) {
                owner = "mapping " + (w.hasFs() ? pathOf(w.fs(), s.owner()) : "") + " (inode " + s.owner() + ") index "
                        + s.index();
            } else {
                owner = "no mapping";
            }
            b.append("  pfn ").append(Units.hex(e.getKey())).append(": ").append(owner)
                    .append(s.hwpoison() ? ", HWPoison" : "").append('\n');
        }
        b.append("DAX entries:\n");
        boolean any = false;
        for (Map.Entry<Long, java.util.NavigableMap<Long, DaxEntry>> e : new TreeMap<>(w.daxEntries()).entrySet()) {
            for (Map.Entry<Long, DaxEntry> x : e.getValue().entrySet()) {
                any = true;
                DaxEntry d = x.getValue();
                b.append("  ").append(w.hasFs() ? pathOf(w.fs(), e.getKey()) : "inode " + e.getKey()).append(" index ")
                        .append(x.getKey()).append(" → ").append(d.zero() ? "zero page" : "pfn " + Units.hex(d.pfn()))
                        .append(d.pmd() ? " (PMD)" : "").append('\n');
            }
        }
        if (!any) {
            b.append("  (none)\n");
        }
    }
}
