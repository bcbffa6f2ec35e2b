package dev.daxviz.ui;

import dev.daxviz.model.Address;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.PageState;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.List;

/**
 * What the inspector shows about one page, computed from a world: its address in every form, its owners per the
 * reverse map (or the realtime file that holds it), its struct page state, and who maps it.
 */
public record PageInfo(Address address, List<Owner> owners, List<RmapRecord> records, PageState state,
                       String mappingPath, List<Mapper> mappers, int refcount) {

    /** An owner: a file at an offset, or special metadata. */
    public record Owner(String label, long ino, String path, Long fileOffset, String fork) {
        public boolean isFile() {
            return ino >= 0;
        }
    }

    /** A process VMA that covers the page; {@code present} when it has a page-table entry for it. */
    public record Mapper(int pid, String comm, String earlyKill, String path, long userAddress, boolean present,
                         boolean pmd) {
    }

    public static PageInfo of(World w, long pfn) {
        Address a = w.addressing().ofPfn(pfn);
        List<Owner> owners = new ArrayList<>();
        List<RmapRecord> recs = new ArrayList<>();
        int refcount = 0;
        if (a.agno() != null && w.hasFs()) {
            AllocationGroup ag = w.fs().ag(a.agno());
            recs.addAll(ag.rmap().queryRange(a.agbno(), a.agbno()).records());
            refcount = ag.refcountOf(a.agbno());
            for (RmapRecord r : recs) {
                if (r.isInodeOwner()) {
                    Inode i = w.fs().inode(r.owner());
                    String path = i == null ? "inode " + r.owner() : i.path();
                    String fork = r.attrFork() ? "attr" : r.bmbtBlock() ? "bmbt" : "data";
                    Long off = fork.equals("data") ? (r.offset() + a.agbno() - r.startblock()) * Units.PAGE_SIZE : null;
                    owners.add(new Owner(path + (off != null ? " +" + Units.human(off) : " (" + fork + " fork block)"),
                            r.owner(), path, off, fork));
                } else {
                    owners.add(new Owner(RmapOwner.describe(r.owner()), -1, null, null, null));
                }
            }
        } else if (a.region() == Address.Region.RT_DEVICE && w.hasFs()) {
            long rtb = a.fsblock();
            for (Inode i : w.fs().inodes().values()) {
                if (!i.rt()) {
                    continue;
                }
                for (Extent e : i.dataExtents()) {
                    if (rtb >= e.startblock() && rtb < e.startblock() + e.blockcount()) {
                        long off = (e.startoff() + rtb - e.startblock()) * Units.PAGE_SIZE;
                        owners.add(new Owner(i.path() + " +" + Units.human(off) + " (realtime)", i.ino(), i.path(), off,
                                "data"));
                    }
                }
            }
        } else if (a.region() == Address.Region.LOG_DEVICE) {
            owners.add(new Owner("the journal (external log device)", -1, null, null, null));
        } else if (a.region() == Address.Region.RESERVE) {
            owners.add(new Owner("fsdax reserve: struct pages and the info block", -1, null, null, null));
        }
        PageState st = w.page(pfn);
        String mapping = null;
        if (st.hasOwner()) {
            mapping = st.owner() == PageState.DEVDAX_OWNER ? "/dev/dax0.0"
                    : w.hasFs() && w.fs().inode(st.owner()) != null ? w.fs().inode(st.owner()).path() : "inode " + st.owner();
        }
        List<Mapper> mappers = new ArrayList<>();
        for (Process p : w.processes()) {
            for (Vma v : p.vmas()) {
                for (Owner o : owners) {
                    if (o.isFile() && o.fileOffset() != null && v.ino() == o.ino() && v.covers(o.fileOffset() / Units.PAGE_SIZE)) {
                        long idx = o.fileOffset() / Units.PAGE_SIZE;
                        mappers.add(new Mapper(p.pid(), p.comm(), p.earlyKill().id(), v.path(), v.addressOf(idx),
                                v.isPresent(idx), v.pmd()));
                    }
                }
                if (v.ino() == PageState.DEVDAX_OWNER && a.deviceOffset() != null) {
                    long idx = a.deviceOffset() / Units.PAGE_SIZE;
                    if (v.covers(idx)) {
                        mappers.add(new Mapper(p.pid(), p.comm(), p.earlyKill().id(), v.path(), v.addressOf(idx),
                                v.isPresent(idx), v.pmd()));
                    }
                }
            }
        }
        return new PageInfo(a, owners, recs, st, mapping, mappers, refcount);
    }

    /** One line for a tooltip or the status bar. */
    public String summaryLine() {
        StringBuilder b = new StringBuilder("pfn ").append(address.pfnHex());
        if (address.agno() != null) {
            b.append(" · AG ").append(address.agno()).append('/').append(address.agbno());
        }
        if (address.daddr() != null) {
            b.append(" · daddr ").append(address.daddr());
        }
        b.append(" — ");
        if (owners.isEmpty()) {
            b.append(address.region() == Address.Region.DATA ? "free space" : address.region().name().toLowerCase());
        } else {
            List<String> l = new ArrayList<>();
            owners.forEach(o -> l.add(o.label()));
            b.append(String.join(", ", l));
        }
        if (state.hwpoison()) {
            b.append(" · HWPoison");
        }
        return b.toString();
    }
}
