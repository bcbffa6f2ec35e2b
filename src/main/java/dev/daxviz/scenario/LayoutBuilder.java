package dev.daxviz.scenario;

import dev.daxviz.model.Extent;
import dev.daxviz.model.FsLayout;
import dev.daxviz.model.FsOptions;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.Invariants;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes the world of a scenario whose filesystem carries a {@link LayoutDef}: the geometry and every block as the
 * layout says, checked against the device and the model's invariants, every problem located in the file. Inodes
 * start out of the inode cache: they are read from disk when a process first opens them.
 */
final class LayoutBuilder {
    private final Problems pr;

    LayoutBuilder(Problems pr) {
        this.pr = pr;
    }

    /** The editor of the laid-out world, or null when the layout has problems (reported). */
    WorldEditor build(LayoutDef l, FsOptions o, PmemDevice device, KernelProfile profile, Sysctl sysctl, long seed,
                      Scenario.FsDef fsd) {
        int before = pr.size();
        Geometry g = geometry(l, o, device, fsd);
        if (g == null) {
            return null;
        }
        List<FsLayout.AgPlan> plans = plans(l, g);
        List<Inode> inodes = inodes(l, g);
        if (pr.size() > before) {
            return null;
        }
        try {
            FsLayout.Features f = new FsLayout.Features(o.reflink(), o.rmapbt(), o.logDevice() != null,
                    o.rtDevice() != null, o.dax(), o.state(), o.mountedAfterSetup());
            var fs = FsLayout.build(g, f, plans, inodes, FsLayout.dirsOf(inodes), new TreeMap<>());
            WorldEditor ed = World.withFilesystem(profile, device, o.logDevice(), o.rtDevice(), fs, sysctl, seed);
            ed.build().check();
            return ed;
        } catch (Invariants.Violation v) {
            List<String> ps = v.problems();
            pr.add(l.locs().self(), "the layout does not hold together: " + String.join("; ", ps.subList(0,
                    Math.min(3, ps.size()))) + (ps.size() > 3 ? " (and " + (ps.size() - 3) + " more)" : ""),
                    "every block may have one owner (shared data blocks excepted): import the image again");
            return null;
        } catch (IllegalArgumentException e) {
            pr.add(l.locs().self(), "the layout does not hold together: " + e.getMessage(), "import the image again");
            return null;
        }
    }

    private Geometry geometry(LayoutDef l, FsOptions o, PmemDevice device, Scenario.FsDef fsd) {
        boolean ok = true;
        if (l.blocks() * Units.PAGE_SIZE > device.size()) {
            pr.add(l.locs().at("blocks"), "the filesystem's " + l.blocks() + " blocks (" + Units.human(l.blocks()
                    * Units.PAGE_SIZE) + ") do not fit the " + Units.human(device.size()) + " device",
                    "make the device at least " + Fields.human(l.blocks() * Units.PAGE_SIZE));
            ok = false;
        }
        long agcount = o.agCount();
        if ((agcount - 1) * l.agBlocks() >= l.blocks() || agcount * l.agBlocks() < l.blocks()) {
            pr.add(fsd.locs().at("agCount"), agcount + " AGs of " + l.agBlocks() + " blocks do not make a filesystem of "
                    + l.blocks() + " blocks", "use agCount " + Math.max(1, (l.blocks() + l.agBlocks() - 1)
                    / l.agBlocks()));
            ok = false;
        }
        boolean external = o.logDevice() != null;
        if (external && l.log() != null) {
            pr.add(l.log().locs().self(), "the log is external, so the layout has no internal log",
                    "remove layout.log, or write 'log: internal'");
            ok = false;
        }
        if (!external && l.log() == null) {
            pr.add(l.locs().self(), "the layout does not say where the internal log is",
                    "add 'log: {agno, agbno, length}', or write 'log: external'");
            ok = false;
        }
        if (!ok) {
            return null;
        }
        int agblklog = 64 - Long.numberOfLeadingZeros(l.agBlocks() - 1L);
        int inopblog = Integer.numberOfTrailingZeros((int) Units.PAGE_SIZE / l.inodeSize());
        LayoutDef.LogDef log = l.log();
        try {
            Geometry g = new Geometry((int) Units.PAGE_SIZE, l.blocks(), (int) agcount, l.agBlocks(), agblklog,
                    l.inodeSize(), inopblog, log == null ? -1 : log.agno(), log == null ? 0 : log.agbno(),
                    log == null ? 0 : log.length());
            if (log != null && (log.agno() >= agcount || log.agbno() + (long) log.length() > g.agSize(log.agno()))) {
                pr.add(log.locs().self(), "the log (" + log.length() + " blocks at AG " + log.agno() + " block "
                        + log.agbno() + ") is not inside an AG", "import the image again");
                return null;
            }
            return g;
        } catch (IllegalArgumentException e) {
            pr.add(l.locs().at("agBlocks"), e.getMessage(), "import the image again");
            return null;
        }
    }

    private List<FsLayout.AgPlan> plans(LayoutDef l, Geometry g) {
        Map<Integer, LayoutDef.AgDef> byAgno = new HashMap<>();
        for (LayoutDef.AgDef a : l.ags()) {
            if (a.agno() >= g.agcount()) {
                pr.add(a.locs().at("agno"), "AG " + a.agno() + " does not exist (the filesystem has " + g.agcount() + ")",
                        "remove it, or raise filesystem.agCount");
            } else if (byAgno.put(a.agno(), a) != null) {
                pr.add(a.locs().at("agno"), "AG " + a.agno() + " is described twice", "describe each AG once");
            }
        }
        List<FsLayout.AgPlan> plans = new ArrayList<>();
        for (int agno = 0; agno < g.agcount(); agno++) {
            LayoutDef.AgDef a = byAgno.get(agno);
            if (a == null) {
                pr.add(l.locs().at("ags"), "AG " + agno + " is not described", "add an entry with 'agno: " + agno + "'");
                continue;
            }
            int size = g.agSize(agno);
            List<RmapRecord> meta = new ArrayList<>();
            for (LayoutDef.MetaDef m : a.metadata()) {
                if (m.agbno() + (long) m.length() > size) {
                    pr.add(m.locs().self(), "blocks " + m.agbno() + "+" + m.length() + " run past the end of AG " + agno
                            + " (" + size + " blocks)", "import the image again");
                } else {
                    meta.add(RmapRecord.special(m.agbno(), m.length(), m.owner()));
                }
            }
            var r = a.roots();
            for (int root : new int[] {r.superblock(), r.agf(), r.agi(), r.agfl(), r.bnobt(), r.cntbt(), r.inobt(),
                    r.finobt(), r.rmapbt(), r.refcountbt()}) {
                if (root >= size) {
                    pr.add(a.locs().at("roots"), "a root at block " + root + " is past the end of AG " + agno,
                            "import the image again");
                    break;
                }
            }
            for (int c : a.inodeChunks()) {
                if (c >= size) {
                    pr.add(a.locs().at("inodeChunks"), "an inode chunk at block " + c + " is past the end of AG " + agno,
                            "import the image again");
                }
            }
            plans.add(new FsLayout.AgPlan(agno, size, a.roots(), meta, a.inodeChunks()));
        }
        return plans;
    }

    private List<Inode> inodes(LayoutDef l, Geometry g) {
        List<Inode> out = new ArrayList<>();
        Map<Long, LayoutDef.InodeDef> seen = new HashMap<>();
        Map<String, LayoutDef.InodeDef> paths = new HashMap<>();
        for (LayoutDef.InodeDef d : l.inodes()) {
            if (seen.put(d.ino(), d) != null) {
                pr.add(d.locs().at("ino"), "inode " + d.ino() + " is described twice", "describe each inode once");
                continue;
            }
            if (g.agnoOfIno(d.ino()) >= g.agcount()) {
                pr.add(d.locs().at("ino"), "inode " + d.ino() + " would live in AG " + g.agnoOfIno(d.ino())
                        + ", which does not exist", "import the image again");
                continue;
            }
            boolean linked = d.kind() == Inode.Kind.REGULAR && !d.unlinked();
            if (linked && (!d.path().startsWith("/") || d.path().endsWith("/") || d.path().contains("//"))) {
                pr.add(d.locs().at("path"), "'" + d.path() + "' is not an absolute file path", "write it like /data/a.bin");
                continue;
            }
            boolean clash = false;
            for (String name : d.links().isEmpty() ? List.of(d.path()) : d.links()) {
                if (linked && paths.put(name, d) != null) {
                    pr.add(d.locs().at(d.links().isEmpty() ? "path" : "links"), name + " names two inodes",
                            "give each file its own path");
                    clash = true;
                }
            }
            if (clash) {
                continue;
            }
            List<Extent> data = extents(d.extents(), g);
            List<Extent> attr = extents(d.attrExtents(), g);
            List<Long> bmbt = blocks(d.bmbtBlocks(), g);
            List<Long> attrBmbt = blocks(d.attrBmbtBlocks(), g);
            if (data == null || attr == null || bmbt == null || attrBmbt == null) {
                continue;
            }
            Inode.OnDisk disk = d.onDisk() ? new Inode.OnDisk(d.forkoff() == null ? 0 : d.forkoff(),
                    Boolean.TRUE.equals(d.btree()), attrBmbt, d.nlink() == null ? 1 : d.nlink(), d.links()) : null;
            try {
                out.add(new Inode(d.ino(), d.path(), d.size(), data, attr, bmbt, false, d.dax(), d.reflinked(), false,
                        false, d.unlinked(), d.kind(), disk));
            } catch (IllegalArgumentException e) {
                pr.add(d.locs().self(), e.getMessage(), "import the image again");
            }
        }
        return out;
    }

    private List<Extent> extents(List<LayoutDef.ExtentDef> defs, Geometry g) {
        List<Extent> out = new ArrayList<>();
        long prevEnd = 0;
        for (LayoutDef.ExtentDef e : defs) {
            if (e.agno() >= g.agcount() || e.agbno() + e.length() > g.agSize(e.agno())) {
                pr.add(e.locs().self(), "blocks " + e.agbno() + "+" + e.length() + " are not inside AG " + e.agno(),
                        "import the image again");
                return null;
            }
            if (e.offset() < prevEnd) {
                pr.add(e.locs().at("offset"), "file block " + e.offset() + " overlaps the previous extent (which ends at "
                        + prevEnd + ")", "list the extents by offset, without overlaps");
                return null;
            }
            prevEnd = e.offset() + e.length();
            out.add(new Extent(e.offset(), g.fsblock(e.agno(), e.agbno()), e.length(), e.unwritten()));
        }
        return out;
    }

    private List<Long> blocks(List<LayoutDef.BlockDef> defs, Geometry g) {
        List<Long> out = new ArrayList<>();
        for (LayoutDef.BlockDef b : defs) {
            if (b.agno() >= g.agcount() || b.agbno() >= g.agSize(b.agno())) {
                pr.add(b.locs().self(), "block " + b.agbno() + " is not inside AG " + b.agno(), "import the image again");
                return null;
            }
            out.add(g.fsblock(b.agno(), b.agbno()));
        }
        return out;
    }
}
