package dev.daxviz.scenario;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.List;

/** Writes {@code filesystem.layout} ({@link LayoutDef}) for a world whose filesystem DaxViz's allocator did not lay out. */
final class LayoutWriter {
    private LayoutWriter() {
    }

    /**
     * Whether the filesystem needs a layout to be rebuilt: it has inodes read from an image, or geometry, roots or
     * inode numbers DaxViz's mkfs would not give.
     */
    static boolean needed(World w) {
        Xfs fs = w.fs();
        Geometry g = fs.geometry();
        Geometry mkfs;
        try {
            mkfs = Geometry.mkfs(w.device().size(), g.agcount(), !fs.externalLog());
        } catch (IllegalArgumentException e) {
            return true;
        }
        if (!g.equals(mkfs)) {
            return true;
        }
        for (AllocationGroup ag : fs.ags()) {
            if (!ag.roots().equals(AllocationGroup.Roots.MKFS_4K)) {
                return true;
            }
        }
        for (Inode i : fs.inodes().values()) {
            if (i.disk() != null || !i.isRegular()) {
                return true;
            }
        }
        return false;
    }

    static void write(StringBuilder b, World w) {
        Xfs fs = w.fs();
        Geometry g = fs.geometry();
        b.append("  layout:\n");
        b.append("    blocks: ").append(g.dblocks()).append('\n');
        b.append("    agBlocks: ").append(g.agblocks()).append('\n');
        b.append("    sectorSize: ").append(fs.ag(0).roots().agf() == 0 ? 512 : 4096).append('\n');
        b.append("    inodeSize: ").append(g.inodeSize()).append('\n');
        if (g.hasInternalLog()) {
            b.append("    log: {agno: ").append(g.logAgno()).append(", agbno: ").append(g.logAgbno()).append(", length: ")
                    .append(g.logBlocks()).append("}\n");
        }
        b.append("    ags:\n");
        for (AllocationGroup ag : fs.ags()) {
            AllocationGroup.Roots r = ag.roots();
            b.append("      - agno: ").append(ag.agno()).append('\n');
            b.append("        roots: {superblock: ").append(r.superblock()).append(", agf: ").append(r.agf())
                    .append(", agi: ").append(r.agi()).append(", agfl: ").append(r.agfl()).append(", bnobt: ")
                    .append(r.bnobt()).append(", cntbt: ").append(r.cntbt()).append(", inobt: ").append(r.inobt());
            optional(b, "finobt", r.finobt());
            optional(b, "rmapbt", r.rmapbt());
            optional(b, "refcountbt", r.refcountbt());
            b.append("}\n");
            b.append("        metadata:\n");
            for (RmapRecord rec : ag.rmap().records()) {
                if (!rec.isInodeOwner()) {
                    b.append("          - {agbno: ").append(rec.startblock()).append(", length: ").append(rec.blockcount())
                            .append(", owner: ").append(RmapOwner.typeName(rec.owner())).append("}\n");
                }
            }
            b.append("        inodeChunks: ").append(ag.inodeChunks()).append('\n');
        }
        if (!fs.inodes().isEmpty()) {
            b.append("    inodes:\n");
        }
        for (Inode i : fs.inodes().values()) {
            inode(b, g, i);
        }
    }

    private static void optional(StringBuilder b, String key, int agbno) {
        if (agbno >= 0) {
            b.append(", ").append(key).append(": ").append(agbno);
        }
    }

    /** One inode: a flow mapping on one line, or a block mapping when it has blocks to list. */
    private static void inode(StringBuilder b, Geometry g, Inode i) {
        List<String> kv = new ArrayList<>();
        kv.add("ino: " + i.ino());
        kv.add("type: " + (i.isRegular() ? "file" : i.kind().id()));
        kv.add("path: " + ScenarioWriter.q(i.path()));
        if (i.size() != 0) {
            kv.add("size: " + i.size());
        }
        flag(kv, "reflinked", i.reflinked());
        flag(kv, "dax", i.daxFlag());
        flag(kv, "unlinked", i.unlinked());
        Inode.OnDisk d = i.disk();
        if (d != null) {
            kv.add("forkoff: " + d.forkoff());
            kv.add("btree: " + d.dataBtree());
            kv.add("nlink: " + d.nlink());
            if (!d.links().isEmpty()) {
                kv.add("links: [" + String.join(", ", d.links().stream().map(ScenarioWriter::q).toList()) + "]");
            }
        }
        StringBuilder lists = new StringBuilder();
        extents(lists, g, "extents", i.dataExtents());
        extents(lists, g, "attrExtents", i.attrExtents());
        blocks(lists, g, "bmbtBlocks", i.bmbtBlocks());
        if (d != null) {
            blocks(lists, g, "attrBmbtBlocks", d.attrBmbtBlocks());
        }
        if (lists.length() == 0) {
            b.append("      - {").append(String.join(", ", kv)).append("}\n");
            return;
        }
        b.append("      - ").append(kv.get(0)).append('\n');
        for (String x : kv.subList(1, kv.size())) {
            b.append("        ").append(x).append('\n');
        }
        b.append(lists);
    }

    private static void flag(List<String> kv, String key, boolean v) {
        if (v) {
            kv.add(key + ": true");
        }
    }

    private static void extents(StringBuilder b, Geometry g, String key, List<Extent> es) {
        if (es.isEmpty()) {
            return;
        }
        b.append("        ").append(key).append(":\n");
        for (Extent e : es) {
            b.append("          - {offset: ").append(e.startoff()).append(", agno: ").append(g.agnoOf(e.startblock()))
                    .append(", agbno: ").append(g.agbnoOf(e.startblock())).append(", length: ").append(e.blockcount());
            if (e.unwritten()) {
                b.append(", unwritten: true");
            }
            b.append("}\n");
        }
    }

    private static void blocks(StringBuilder b, Geometry g, String key, List<Long> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        b.append("        ").append(key).append(":\n");
        for (long x : blocks) {
            b.append("          - {agno: ").append(g.agnoOf(x)).append(", agbno: ").append(g.agbnoOf(x)).append("}\n");
        }
    }

    /** A short summary for a scenario's description. */
    static String describe(World w) {
        Geometry g = w.fs().geometry();
        return g.agcount() + " AGs of " + g.agblocks() + " blocks (" + Units.human(g.dblocks() * Units.PAGE_SIZE) + "), "
                + w.fs().inodes().size() + " inodes";
    }
}
