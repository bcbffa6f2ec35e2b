package dev.daxviz.scenario;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Inode;
import dev.daxviz.model.RmapOwner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and type-checks {@code filesystem.layout} ({@link LayoutDef}); the builder checks it against the world. */
final class LayoutReader {
    static final List<String> LAYOUT = List.of("blocks", "agBlocks", "sectorSize", "inodeSize", "log", "ags", "inodes");
    static final List<String> LOG = List.of("agno", "agbno", "length");
    static final List<String> AG = List.of("agno", "roots", "metadata", "inodeChunks");
    static final List<String> ROOTS = List.of("superblock", "agf", "agi", "agfl", "bnobt", "cntbt", "inobt", "finobt",
            "rmapbt", "refcountbt");
    static final List<String> META = List.of("agbno", "length", "owner");
    static final List<String> INODE = List.of("ino", "type", "path", "size", "reflinked", "dax", "unlinked", "extents",
            "attrExtents", "bmbtBlocks", "attrBmbtBlocks", "forkoff", "btree", "nlink", "links");
    static final List<String> EXTENT = List.of("offset", "agno", "agbno", "length", "unwritten");
    static final List<String> BLOCK = List.of("agno", "agbno");
    static final List<String> OWNERS = List.of("fs", "log", "ag", "inobt", "inodes", "refc", "cow", "unknown");
    /** XFS inode numbers fit in 64 bits, but the AG and block parts of ours in 56. */
    private static final long MAX_INO = 1L << 56;
    private static final int MAX_AGBNO = Integer.MAX_VALUE;

    private final Problems pr;

    LayoutReader(Problems pr) {
        this.pr = pr;
    }

    LayoutDef layout(YNode n) {
        Fields f = Fields.of(n, "filesystem.layout", pr, "a filesystem layout", LAYOUT);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("blocks", "give the filesystem's data blocks, e.g. 'blocks: 262144'");
        ok &= f.require("agBlocks", "give the blocks per AG, e.g. 'agBlocks: 65536'");
        ok &= f.require("ags", "describe every AG under 'ags'");
        Long blocks = f.integer("blocks", null, 1, ScenarioReader.MAX_SIZE / 4096);
        Integer agBlocks = f.intval("agBlocks", null, 64, MAX_AGBNO);
        Integer sector = f.intval("sectorSize", 4096, 512, 4096);
        if (sector != null && sector != 512 && sector != 4096) {
            pr.add(f.at("sectorSize"), "sector size " + sector + " is not one DaxViz lays out", "use 512 (an image file) "
                    + "or 4096 (pmem)");
        }
        Integer inodeSize = f.intval("inodeSize", 512, 256, 2048);
        if (inodeSize != null && Integer.bitCount(inodeSize) != 1) {
            pr.add(f.at("inodeSize"), "inode size " + inodeSize + " is not a power of two", "use 512 (mkfs.xfs's "
                    + "default for v5 filesystems)");
        }
        LayoutDef.LogDef log = f.has("log") ? log(f.raw("log")) : null;
        List<LayoutDef.AgDef> ags = new ArrayList<>();
        List<YNode> al = f.list("ags");
        for (int i = 0; i < al.size(); i++) {
            LayoutDef.AgDef a = ag(al.get(i), "filesystem.layout.ags[" + i + "]");
            if (a != null) {
                ags.add(a);
            }
        }
        List<LayoutDef.InodeDef> inodes = new ArrayList<>();
        List<YNode> il = f.list("inodes");
        for (int i = 0; i < il.size(); i++) {
            LayoutDef.InodeDef d = inode(il.get(i), "filesystem.layout.inodes[" + i + "]");
            if (d != null) {
                inodes.add(d);
            }
        }
        if (!ok || blocks == null || agBlocks == null) {
            return null;
        }
        return new LayoutDef(blocks, agBlocks, sector == null ? 4096 : sector, inodeSize == null ? 512 : inodeSize, log,
                ags, inodes, f.locs());
    }

    private LayoutDef.LogDef log(YNode n) {
        Fields f = Fields.of(n, "filesystem.layout.log", pr, "the internal log's place", LOG);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("agno", "give the log's AG") & f.require("agbno", "give the log's first block")
                & f.require("length", "give the log's length in blocks");
        Integer agno = f.intval("agno", null, 0, 1023);
        Integer agbno = f.intval("agbno", null, 0, MAX_AGBNO);
        Integer len = f.intval("length", null, 1, MAX_AGBNO);
        return ok && agno != null && agbno != null && len != null ? new LayoutDef.LogDef(agno, agbno, len, f.locs())
                : null;
    }

    private LayoutDef.AgDef ag(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "an AG's layout", AG);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("agno", "give the AG number");
        ok &= f.require("roots", "give where the AG's headers and btree roots are");
        Integer agno = f.intval("agno", null, 0, 1023);
        AllocationGroup.Roots roots = f.has("roots") ? roots(f.raw("roots"), path + ".roots") : null;
        List<LayoutDef.MetaDef> meta = new ArrayList<>();
        List<YNode> ml = f.list("metadata");
        for (int i = 0; i < ml.size(); i++) {
            LayoutDef.MetaDef m = meta(ml.get(i), path + ".metadata[" + i + "]");
            if (m != null) {
                meta.add(m);
            }
        }
        List<Integer> chunks = new ArrayList<>();
        List<YNode> cl = f.list("inodeChunks");
        for (int i = 0; i < cl.size(); i++) {
            Long c = f.integerOf(cl.get(i), path + ".inodeChunks[" + i + "]", 0, MAX_AGBNO, null);
            if (c != null) {
                chunks.add((int) (long) c);
            }
        }
        return ok && agno != null && roots != null ? new LayoutDef.AgDef(agno, roots, meta, chunks, f.locs()) : null;
    }

    private AllocationGroup.Roots roots(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "the AG's header and root blocks", ROOTS);
        if (f == null) {
            return null;
        }
        int[] v = new int[ROOTS.size()];
        boolean ok = true;
        for (int i = 0; i < ROOTS.size(); i++) {
            String k = ROOTS.get(i);
            boolean optional = k.equals("finobt") || k.equals("rmapbt") || k.equals("refcountbt");
            if (!optional && !f.require(k, "give the agbno of the " + k)) {
                ok = false;
                continue;
            }
            Integer x = f.intval(k, optional ? -1 : null, optional ? -1 : 0, MAX_AGBNO);
            if (x == null) {
                ok = false;
            } else {
                v[i] = x;
            }
        }
        return ok ? new AllocationGroup.Roots(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]) : null;
    }

    private LayoutDef.MetaDef meta(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a metadata block range", META);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("agbno", "give the first block") & f.require("length", "give the length in blocks")
                & f.require("owner", "give the rmap owner: " + String.join(", ", OWNERS));
        Integer agbno = f.intval("agbno", null, 0, MAX_AGBNO);
        Integer len = f.intval("length", null, 1, MAX_AGBNO);
        String owner = f.choice("owner", null, named(OWNERS));
        return ok && agbno != null && len != null && owner != null
                ? new LayoutDef.MetaDef(agbno, len, RmapOwner.byTypeName(owner), f.locs()) : null;
    }

    private LayoutDef.InodeDef inode(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "an inode", INODE);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("ino", "give the inode number") & f.require("path", "give the inode's path");
        Long ino = f.integer("ino", null, 0, MAX_INO);
        Map<String, Inode.Kind> kinds = new LinkedHashMap<>();
        kinds.put("file", Inode.Kind.REGULAR);
        kinds.put("directory", Inode.Kind.DIRECTORY);
        kinds.put("symlink", Inode.Kind.SYMLINK);
        kinds.put("other", Inode.Kind.OTHER);
        Inode.Kind kind = f.choice("type", Inode.Kind.REGULAR, kinds);
        String p = f.str("path", null);
        if (p != null && (p.isEmpty() || p.contains("\n"))) {
            pr.add(f.at("path"), "'" + p + "' is not a path", "write the inode's absolute path, e.g. /data/a.bin");
            p = null;
        }
        Long size = f.integer("size", 0L, 0, Long.MAX_VALUE);
        boolean reflinked = f.bool("reflinked", false);
        boolean dax = f.bool("dax", false);
        boolean unlinked = f.bool("unlinked", false);
        List<LayoutDef.ExtentDef> extents = extents(f, "extents", path);
        List<LayoutDef.ExtentDef> attr = extents(f, "attrExtents", path);
        List<LayoutDef.BlockDef> bmbt = blocks(f, "bmbtBlocks", path);
        List<LayoutDef.BlockDef> attrBmbt = blocks(f, "attrBmbtBlocks", path);
        Integer forkoff = f.intval("forkoff", null, 0, 255);
        Boolean btree = f.bool("btree", null);
        Integer nlink = f.intval("nlink", null, 0, Integer.MAX_VALUE);
        List<String> links = new ArrayList<>();
        List<YNode> ll = f.list("links");
        for (int i = 0; i < ll.size(); i++) {
            if (ll.get(i) instanceof YNode.YScalar sc && sc.text().startsWith("/")) {
                links.add(sc.text());
            } else {
                pr.add(At.of(path + ".links[" + i + "]", ll.get(i)), "expected an absolute path, found "
                        + ll.get(i).describe(), "list every path that names the inode, e.g. [/a, /dir/b]");
            }
        }
        if (!links.isEmpty() && p != null && !links.contains(p)) {
            pr.add(f.at("links"), "the links do not include the inode's path " + p, "list " + p + " among them");
        }
        if (!attrBmbt.isEmpty() && forkoff == null && btree == null && nlink == null) {
            pr.add(f.at("attrBmbtBlocks"), "attr fork btree blocks are only kept for an inode read from an image",
                    "add the inode's forkoff, btree and nlink as the image has them, or remove attrBmbtBlocks");
        }
        if (!ok || ino == null || p == null || size == null) {
            return null;
        }
        return new LayoutDef.InodeDef(ino, kind, p, size, reflinked, dax, unlinked, extents, attr, bmbt, attrBmbt,
                forkoff, btree, nlink, links, f.locs());
    }

    private List<LayoutDef.ExtentDef> extents(Fields f, String key, String path) {
        List<LayoutDef.ExtentDef> out = new ArrayList<>();
        List<YNode> l = f.list(key);
        for (int i = 0; i < l.size(); i++) {
            Fields e = Fields.of(l.get(i), path + "." + key + "[" + i + "]", pr, "an extent", EXTENT);
            if (e == null) {
                continue;
            }
            boolean ok = e.require("offset", "give the file block") & e.require("agbno", "give the first block")
                    & e.require("length", "give the length in blocks");
            Long off = e.integer("offset", null, 0, (1L << 54) - 1);
            Integer agno = e.intval("agno", 0, 0, 1023);
            Integer agbno = e.intval("agbno", null, 0, MAX_AGBNO);
            Long len = e.integer("length", null, 1, MAX_AGBNO);
            boolean unwritten = e.bool("unwritten", false);
            if (ok && off != null && agno != null && agbno != null && len != null) {
                out.add(new LayoutDef.ExtentDef(off, agno, agbno, len, unwritten, e.locs()));
            }
        }
        return out;
    }

    private List<LayoutDef.BlockDef> blocks(Fields f, String key, String path) {
        List<LayoutDef.BlockDef> out = new ArrayList<>();
        List<YNode> l = f.list(key);
        for (int i = 0; i < l.size(); i++) {
            Fields b = Fields.of(l.get(i), path + "." + key + "[" + i + "]", pr, "a block", BLOCK);
            if (b == null) {
                continue;
            }
            boolean ok = b.require("agbno", "give the block");
            Integer agno = b.intval("agno", 0, 0, 1023);
            Integer agbno = b.intval("agbno", null, 0, MAX_AGBNO);
            if (ok && agno != null && agbno != null) {
                out.add(new LayoutDef.BlockDef(agno, agbno, b.locs()));
            }
        }
        return out;
    }

    private static Map<String, String> named(List<String> names) {
        Map<String, String> m = new LinkedHashMap<>();
        names.forEach(s -> m.put(s, s));
        return m;
    }
}
