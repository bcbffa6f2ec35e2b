package dev.daxviz.importer;

import dev.daxviz.importer.disk.Superblock;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import found, as a tree of maps and lists in a fixed key order (for {@code daxviz import --json}): the
 * geometry and features the superblock gives, each AG's numbers, the inodes by kind, and the notes.
 */
public final class ImportSummary {
    private ImportSummary() {
    }

    public static Map<String, Object> of(String image, ImageImporter.Imported imp) {
        Superblock sb = imp.superblock();
        Xfs fs = imp.world().fs();
        Geometry g = fs.geometry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put("image", image);
        m.put("uuid", sb.uuid().toString());
        m.put("blockSize", sb.blocksize());
        m.put("sectorSize", sb.sectsize());
        m.put("inodeSize", sb.inodesize());
        m.put("dblocks", sb.dblocks());
        m.put("agCount", g.agcount());
        m.put("agBlocks", g.agblocks());
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("internal", g.hasInternalLog());
        log.put("agno", g.hasInternalLog() ? g.logAgno() : null);
        log.put("agbno", g.hasInternalLog() ? g.logAgbno() : null);
        log.put("blocks", sb.logblocks());
        m.put("log", log);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("reflink", sb.hasReflink());
        f.put("rmapbt", sb.hasRmapbt());
        f.put("finobt", sb.hasFinobt());
        f.put("sparseInodes", sb.hasSparseInodes());
        f.put("bigtime", sb.hasBigtime());
        f.put("inobtCount", sb.hasInobtCount());
        f.put("nrext64", sb.hasNrext64());
        f.put("realtime", sb.hasRealtime());
        m.put("features", f);
        m.put("rootIno", sb.rootino());
        List<Object> ags = new ArrayList<>();
        for (AllocationGroup ag : fs.ags()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("agno", ag.agno());
            a.put("length", ag.length());
            a.put("freeBlocks", ag.freeBlocks());
            a.put("rmapRecords", ag.rmap().size());
            long meta = 0;
            for (RmapRecord r : ag.rmap().records()) {
                if (!r.isInodeOwner()) {
                    meta += r.blockcount();
                }
            }
            a.put("metadataBlocks", meta);
            a.put("sharedBlocks", ag.refcounts().size());
            a.put("inodeChunks", ag.inodeChunks().size());
            ags.add(a);
        }
        m.put("ags", ags);
        Map<String, Object> in = new LinkedHashMap<>();
        long files = 0;
        long dirs = 0;
        long links = 0;
        long other = 0;
        long reflinked = 0;
        long extents = 0;
        for (Inode i : fs.inodes().values()) {
            switch (i.kind()) {
                case REGULAR -> files++;
                case DIRECTORY -> dirs++;
                case SYMLINK -> links++;
                case OTHER -> other++;
            }
            reflinked += i.reflinked() ? 1 : 0;
            extents += i.dataExtents().size();
        }
        in.put("total", fs.inodes().size());
        in.put("files", files);
        in.put("directories", dirs);
        in.put("symlinks", links);
        in.put("other", other);
        in.put("reflinked", reflinked);
        in.put("dataExtents", extents);
        m.put("inodes", in);
        m.put("notes", imp.notes());
        return m;
    }
}
