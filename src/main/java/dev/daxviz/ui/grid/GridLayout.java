package dev.daxviz.ui.grid;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every cell of the grid goes for a width, a zoom ({@code pagesPerCell}, {@code cellPx}) and the device's
 * bands: each band starts on a new row under a label gutter. Pure geometry, shared by painting and hit-testing.
 */
public final class GridLayout {
    public static final int MARGIN = 12;

    private final List<Band> bands;
    private final long pagesPerCell;
    private final int cellPx;
    private final int labelPx;
    private final int cols;
    private final int[] bandY;
    private final long[] bandRows;
    private final long[] bandPpc;
    private final int height;

    public GridLayout(List<Band> bands, long pagesPerCell, int cellPx, int width, int labelPx) {
        this.bands = List.copyOf(bands);
        this.pagesPerCell = Math.max(1, pagesPerCell);
        this.cellPx = Math.max(2, cellPx);
        this.labelPx = labelPx;
        this.cols = Math.max(4, (width - 2 * MARGIN) / this.cellPx);
        bandY = new int[bands.size()];
        bandRows = new long[bands.size()];
        bandPpc = new long[bands.size()];
        long y = MARGIN;
        for (int b = 0; b < bands.size(); b++) {
            bandY[b] = (int) Math.min(Integer.MAX_VALUE / 2, y);
            Band band = bands.get(b);
            bandPpc[b] = band.compact() ? Math.max(this.pagesPerCell, (band.pages() + cols - 1) / cols) : this.pagesPerCell;
            long cells = (band.pages() + bandPpc[b] - 1) / bandPpc[b];
            bandRows[b] = (cells + cols - 1) / cols;
            y += labelPx + bandRows[b] * this.cellPx + MARGIN;
        }
        height = (int) Math.min(Integer.MAX_VALUE / 2, y);
    }

    /** A cell: a band and the cell's index in it. */
    public record Cell(int band, long index) {
    }

    public List<Band> bands() {
        return bands;
    }

    public long pagesPerCell() {
        return pagesPerCell;
    }

    /** Pages per cell in one band (a compact band packs itself into one row). */
    public long bandPpc(int b) {
        return bandPpc[b];
    }

    public int cellPx() {
        return cellPx;
    }

    public int cols() {
        return cols;
    }

    public int labelPx() {
        return labelPx;
    }

    public int height() {
        return height;
    }

    public int width() {
        return cols * cellPx + 2 * MARGIN;
    }

    public int bandY(int b) {
        return bandY[b];
    }

    public long bandRows(int b) {
        return bandRows[b];
    }

    /** Top of the first cell row of a band. */
    public int bandCellsY(int b) {
        return bandY[b] + labelPx;
    }

    public Cell cellAt(int x, int y) {
        int cx = (x - MARGIN) / cellPx;
        if (x < MARGIN || cx >= cols) {
            return null;
        }
        for (int b = 0; b < bands.size(); b++) {
            int top = bandCellsY(b);
            if (y >= top && y < top + bandRows[b] * cellPx) {
                long row = (y - top) / cellPx;
                long idx = row * cols + cx;
                long cells = (bands.get(b).pages() + bandPpc[b] - 1) / bandPpc[b];
                return idx < cells ? new Cell(b, idx) : null;
            }
        }
        return null;
    }

    public long firstPfn(Cell c) {
        return bands.get(c.band).firstPfn() + c.index * bandPpc[c.band];
    }

    public long endPfn(Cell c) {
        return Math.min(firstPfn(c) + bandPpc[c.band], bands.get(c.band).endPfn());
    }

    public Cell cellOf(long pfn) {
        for (int b = 0; b < bands.size(); b++) {
            if (bands.get(b).contains(pfn)) {
                return new Cell(b, (pfn - bands.get(b).firstPfn()) / bandPpc[b]);
            }
        }
        return null;
    }

    public Rectangle rectOf(Cell c) {
        long row = c.index / cols;
        long col = c.index % cols;
        return new Rectangle((int) (MARGIN + col * cellPx), (int) (bandCellsY(c.band) + row * cellPx), cellPx, cellPx);
    }

    /** Rectangles (one per row) covering the cells of pfns {@code [from, to)}. */
    public List<Rectangle> rowSpans(long from, long to) {
        List<Rectangle> out = new ArrayList<>();
        for (int b = 0; b < bands.size(); b++) {
            Band band = bands.get(b);
            long s = Math.max(from, band.firstPfn());
            long e = Math.min(to, band.endPfn());
            if (e <= s) {
                continue;
            }
            long c0 = (s - band.firstPfn()) / bandPpc[b];
            long c1 = (e - 1 - band.firstPfn()) / bandPpc[b];
            for (long row = c0 / cols; row <= c1 / cols; row++) {
                long a = Math.max(c0, row * cols) % cols;
                long z = Math.min(c1, row * cols + cols - 1) % cols;
                out.add(new Rectangle((int) (MARGIN + a * cellPx), (int) (bandCellsY(b) + row * cellPx),
                        (int) ((z - a + 1) * cellPx), cellPx));
            }
        }
        return out;
    }
}
