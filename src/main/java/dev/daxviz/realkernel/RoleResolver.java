package dev.daxviz.realkernel;

import dev.daxviz.model.Address;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.PageState;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.realkernel.GuestPlan.PageRole;

import java.util.List;

/**
 * What a simulated pfn holds, as a role the real layout has too. Pfns, daddrs and agbnos differ between the
 * simulation and the guest (another namespace address, another allocator), so a poison is carried over by what
 * the block <em>is</em>: a file and offset, an attr or bmbt block of a file, a kind of metadata in an AG (a btree
 * root by the AGF/AGI field that points at it), the log, free space, the fsdax reserve. The guest finds the block
 * with that role (init.sh's role_pfn: FIEMAP, fsmap, xfs_db) and pokes it.
 */
final class RoleResolver {
    private final World w;
    private final MachineLayout machine;

    RoleResolver(World w, MachineLayout machine) {
        this.w = w;
        this.machine = machine;
    }

    /** The role of {@code pfn} in this world; throws {@link Refusal} when the guest has no such block. */
    PageRole resolve(long pfn) {
        Address a = w.addressing().ofPfn(pfn);
        String at = "pfn " + Units.hex(pfn);
        switch (a.region()) {
            case OUTSIDE:
                throw new Refusal(at + " is outside every namespace: the guest can only poison its own pmem");
            case RESERVE:
                if (a.device() != w.device()) {
                    throw new Refusal(at + " is in the fsdax reserve of " + a.device().name() + "; only the data "
                            + "device's reserve is reproduced");
                }
                long k = pfn - a.device().firstPfn();
                return role(pfn, "page " + k + " of the fsdax reserve", Fidelity.EXACT, "", "reserve", k);
            case LOG_DEVICE:
                return role(pfn, "block " + a.fsblock() + " of the external log device", Fidelity.EXACT, "",
                        "logdev", machine.namespace("log"), a.fsblock());
            case RT_DEVICE:
                return realtime(pfn, a);
            default:
                break;
        }
        if (!w.hasFs()) {
            return role(pfn, "device offset " + Units.hex(a.deviceOffset()), Fidelity.EXACT, "", "devoff",
                    a.deviceOffset());
        }
        AllocationGroup ag = w.fs().ag(a.agno());
        List<RmapRecord> recs = ag.rmap().queryRange(a.agbno(), a.agbno()).records();
        if (recs.isEmpty()) {
            return role(pfn, "free block " + a.agbno() + " of AG " + a.agno(), Fidelity.EXACT, "", "free", a.agno(),
                    a.agbno());
        }
        RmapRecord r = recs.get(0);
        return r.isInodeOwner() ? inodeBlock(pfn, r, a.agno(), a.agbno()) : metadata(pfn, ag, r, a.agbno());
    }

    /**
     * For madvise (and consume, done as madvise): the role seen through {@code proc}'s own mapping of the page, so
     * that its mapper calls madvise on an address it maps. Null when none of its mappings covers the page.
     */
    MadviseTarget throughMapping(Process proc, long pfn) {
        Address a = w.addressing().ofPfn(pfn);
        for (Vma v : proc.vmas()) {
            if (v.ino() == PageState.DEVDAX_OWNER && a.deviceOffset() != null && v.covers(a.deviceOffset() / Units.PAGE_SIZE)) {
                return new MadviseTarget(v.path(), a.deviceOffset());
            }
            if (!w.hasFs() || a.agno() == null) {
                continue;
            }
            for (RmapRecord r : w.fs().ag(a.agno()).rmap().queryRange(a.agbno(), a.agbno()).records()) {
                long index = r.offset() + a.agbno() - r.startblock();
                if (r.owner() == v.ino() && !r.attrFork() && !r.bmbtBlock() && v.covers(index)) {
                    return new MadviseTarget(v.path(), index * Units.PAGE_SIZE);
                }
            }
        }
        return null;
    }

    /** A madvise through a mapping of {@code path} (the scenario's) at file or device offset {@code offset}. */
    record MadviseTarget(String path, long offset) {
    }

    private PageRole inodeBlock(long pfn, RmapRecord r, int agno, int agbno) {
        Inode i = w.fs().inode(r.owner());
        if (i.unlinked()) {
            throw new Refusal("pfn " + Units.hex(pfn) + " belongs to " + i.path() + ", which is unlinked by then: the "
                    + "guest finds blocks by path");
        }
        long k = r.offset() + agbno - r.startblock();
        if (r.attrFork()) {
            return role(pfn, i.path() + " attr block " + k, Fidelity.APPROXIMATE, "XFS lays the attr fork out "
                    + "itself: the guest poisons its block number " + k + " in disk order", "attr", i.path(), k);
        }
        if (r.bmbtBlock()) {
            int n = i.bmbtBlocks().indexOf(w.fs().geometry().fsblock(agno, agbno));
            return role(pfn, i.path() + " bmbt block " + Math.max(n, 0), Fidelity.APPROXIMATE, "the guest's extent "
                    + "btree has its own shape: its block " + Math.max(n, 0) + " in disk order", "bmbt", i.path(),
                    Math.max(n, 0));
        }
        return role(pfn, i.path() + "+" + k * Units.PAGE_SIZE, Fidelity.EXACT, "", "file", i.path(),
                k * Units.PAGE_SIZE);
    }

    private PageRole metadata(long pfn, AllocationGroup ag, RmapRecord r, int agbno) {
        int agno = ag.agno();
        AllocationGroup.Roots roots = ag.roots();
        String field = rootField(roots, agbno, r.owner());
        if (field != null) {
            String header = field.equals("root") || field.equals("free_root") ? "agi" : "agf";
            return role(pfn, describeRoot(field) + " of AG " + agno, Fidelity.EXACT, "", "root", header, agno, field);
        }
        if (r.owner() == RmapOwner.COW) {
            throw new Refusal("pfn " + Units.hex(pfn) + " is a CoW staging block: those exist only during a write");
        }
        if (r.owner() == RmapOwner.LOG) {
            Geometry g = w.fs().geometry();
            long k = g.fsblock(agno, agbno) - g.fsblock(g.logAgno(), g.logAgbno());
            return role(pfn, "block " + k + " of the internal log", Fidelity.EXACT, "", "meta", FSMAP_OWNERS[4], -1, k);
        }
        // the k-th block of this owner in this AG, counting its records in disk order as fsmap lists them
        long k = agbno - r.startblock();
        for (RmapRecord o : ag.rmap().records()) {
            if (o.owner() == r.owner() && o.startblock() < r.startblock()) {
                k += o.blockcount();
            }
        }
        String owner = fsmapOwner(r.owner());
        Fidelity f = r.owner() == RmapOwner.FS || r.owner() == RmapOwner.INODES ? Fidelity.EXACT : Fidelity.APPROXIMATE;
        String why = f == Fidelity.EXACT ? "" : "a " + owner + " block that is no btree root: the guest takes block "
                + k + " of its " + owner + " records, which may have another role there";
        String what = r.owner() == RmapOwner.FS ? "header block " + k + " (superblock, AGF, AGI, AGFL)"
                : r.owner() == RmapOwner.INODES ? "inode chunk block " + k : owner + " block " + k;
        return role(pfn, what + " of AG " + agno, f, why, "meta", owner, agno, k);
    }

    /** The AGF/AGI field that points at {@code agbno}, or null when it is no btree root. */
    private static String rootField(AllocationGroup.Roots roots, int agbno, long owner) {
        if (owner == RmapOwner.AG) {
            return agbno == roots.bnobt() ? "bnoroot" : agbno == roots.cntbt() ? "cntroot"
                    : agbno == roots.rmapbt() ? "rmaproot" : null;
        }
        if (owner == RmapOwner.INOBT) {
            return agbno == roots.inobt() ? "root" : agbno == roots.finobt() ? "free_root" : null;
        }
        if (owner == RmapOwner.REFC) {
            return agbno == roots.refcountbt() ? "refcntroot" : null;
        }
        return null;
    }

    private static String describeRoot(String field) {
        return switch (field) {
            case "bnoroot" -> "the bnobt root";
            case "cntroot" -> "the cntbt root";
            case "rmaproot" -> "the rmapbt root";
            case "refcntroot" -> "the refcountbt root";
            case "root" -> "the inobt root";
            default -> "the finobt root";
        };
    }

    /** The owner words of {@code xfs_io -c 'fsmap -d'} (xfs_io/fsmap.c), by rmap owner. */
    private static final String[] FSMAP_OWNERS = {"static fs metadata", "per-AG metadata", "inode btree", "inodes",
        "journalling log", "refcount btree"};

    private static String fsmapOwner(long owner) {
        if (owner == RmapOwner.FS) {
            return FSMAP_OWNERS[0];
        }
        if (owner == RmapOwner.AG) {
            return FSMAP_OWNERS[1];
        }
        if (owner == RmapOwner.INOBT) {
            return FSMAP_OWNERS[2];
        }
        if (owner == RmapOwner.INODES) {
            return FSMAP_OWNERS[3];
        }
        if (owner == RmapOwner.REFC) {
            return FSMAP_OWNERS[5];
        }
        throw new Refusal("an rmap owner the guest cannot find: " + RmapOwner.typeName(owner));
    }

    private PageRole realtime(long pfn, Address a) {
        long rtb = a.fsblock();
        for (Inode i : w.fs().inodes().values()) {
            if (!i.rt() || i.unlinked()) {
                continue;
            }
            for (Extent e : i.dataExtents()) {
                if (rtb >= e.startblock() && rtb < e.startblock() + e.blockcount()) {
                    long off = (e.startoff() + rtb - e.startblock()) * Units.PAGE_SIZE;
                    return role(pfn, i.path() + "+" + off + " (realtime)", Fidelity.EXACT, "", "rtfile",
                            machine.namespace("rt"), i.path(), off);
                }
            }
        }
        throw new Refusal("pfn " + Units.hex(pfn) + " is free space on the realtime device: the guest's realtime "
                + "allocator need not leave the same block free");
    }

    private static PageRole role(long pfn, String what, Fidelity f, String note, Object... args) {
        return new PageRole(pfn, what, java.util.Arrays.stream(args).map(String::valueOf).toList(), f, note);
    }
}
