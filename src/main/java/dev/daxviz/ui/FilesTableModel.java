package dev.daxviz.ui;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.List;

/** Files and their extents, one row per extent, like {@code xfs_bmap -v}. */
public final class FilesTableModel extends RowTableModel<FilesTableModel.Row> {
    private static final long serialVersionUID = 1L;
    private static final String[] COLS = {"file", "ino", "ext", "file offset", "AG", "agbno", "blocks", "flags"};

    public FilesTableModel() {
        super(COLS);
    }

    /** One extent row. */
    public record Row(Inode inode, int extent, Extent e, Integer agno, Integer agbno, String flags, long firstPfn) {
    }

    public void setWorld(World w) {
        setRows(rowsOf(w));
    }

    /** The rows of a world's files (pure: {@link Workbench#prepare} computes them off the EDT for big worlds). */
    static List<Row> rowsOf(World w) {
        List<Row> out = new ArrayList<>();
        if (w != null && w.hasFs()) {
            Geometry g = w.fs().geometry();
            for (Inode i : w.fs().inodes().values()) {
                int k = 0;
                for (Extent e : i.dataExtents()) {
                    String flags = "";
                    Integer agno = null;
                    Integer agbno = null;
                    long pfn;
                    if (i.rt()) {
                        flags = "rt";
                        pfn = w.rtDevice().map(d -> d.pfnOfOffset(e.startblock() * Units.PAGE_SIZE)).orElse(-1L);
                    } else {
                        agno = g.agnoOf(e.startblock());
                        agbno = g.agbnoOf(e.startblock());
                        AllocationGroup ag = w.fs().ag(agno);
                        if (ag.refcountOf(agbno) > 1) {
                            flags = "shared ×" + ag.refcountOf(agbno);
                        }
                        pfn = w.device().pfnOfOffset(e.startblock() * Units.PAGE_SIZE);
                    }
                    if (e.unwritten()) {
                        flags = (flags.isEmpty() ? "" : flags + ", ") + "unwritten";
                    }
                    if (!i.isRegular()) {
                        flags = i.kind().id() + (flags.isEmpty() ? "" : ", " + flags);
                    }
                    out.add(new Row(i, k++, e, agno, agbno, flags, pfn));
                }
                for (Extent e : i.attrExtents()) {
                    int agno = g.agnoOf(e.startblock());
                    out.add(new Row(i, -1, e, agno, g.agbnoOf(e.startblock()), "attr fork",
                            w.device().pfnOfOffset(e.startblock() * Units.PAGE_SIZE)));
                }
                for (long b : i.bmbtBlocks()) {
                    out.add(new Row(i, -2, new Extent(0, b, 1, false), g.agnoOf(b), g.agbnoOf(b), "bmbt block",
                            w.device().pfnOfOffset(b * Units.PAGE_SIZE)));
                }
                for (long b : i.disk() == null ? List.<Long>of() : i.disk().attrBmbtBlocks()) {
                    out.add(new Row(i, -2, new Extent(0, b, 1, false), g.agnoOf(b), g.agbnoOf(b), "attr bmbt block",
                            w.device().pfnOfOffset(b * Units.PAGE_SIZE)));
                }
            }
        }
        return out;
    }

    @Override
    Object cell(Row row, int c) {
        return switch (c) {
            case 0 -> row.inode().path();
            case 1 -> row.inode().ino();
            case 2 -> row.extent() >= 0 ? Integer.toString(row.extent()) : "";
            case 3 -> row.extent() >= 0 ? Units.human(row.e().startoff() * Units.PAGE_SIZE) : "";
            case 4 -> row.agno() == null ? "" : row.agno();
            case 5 -> row.agbno() == null ? "rt " + row.e().startblock() : row.agbno() + (row.e().blockcount() > 1
                    ? "–" + (row.agbno() + row.e().blockcount() - 1) : "");
            case 6 -> row.e().blockcount();
            default -> row.flags();
        };
    }
}
