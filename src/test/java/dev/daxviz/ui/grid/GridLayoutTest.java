package dev.daxviz.ui.grid;

import dev.daxviz.ui.UiWorlds;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.util.List;

import static dev.daxviz.ui.UiWorlds.AGBLOCKS;
import static dev.daxviz.ui.UiWorlds.DATA_PFN;
import static dev.daxviz.ui.UiWorlds.FIRST_PFN;
import static dev.daxviz.ui.UiWorlds.RESERVE_PAGES;
import static dev.daxviz.ui.UiWorlds.pfn;
import static org.assertj.core.api.Assertions.assertThat;

/** Grid geometry: bands on their own rows, the compact reserve band, and hit-testing round trips. */
class GridLayoutTest {
    private static final List<Band> BANDS = DeviceSummary.of(UiWorlds.reference().build()).bands();
    private static final int LABEL = 22;

    private static GridLayout layout(long ppc, int px, int cols) {
        return new GridLayout(BANDS, ppc, px, 2 * GridLayout.MARGIN + cols * px, LABEL);
    }

    @Test
    void bandsStackUnderTheirLabels() {
        GridLayout l = layout(1, 10, 64);
        assertThat(l.cols()).isEqualTo(64);
        assertThat(l.width()).isEqualTo(2 * GridLayout.MARGIN + 640);
        assertThat(l.bands()).hasSize(5);
        // the reserve: 2,560 pages on one row of 64 cells of 40 pages
        assertThat(l.bandRows(0)).isEqualTo(1);
        assertThat(l.bandPpc(0)).isEqualTo(RESERVE_PAGES / 64);
        // an AG: 32,128 pages, one per cell, 64 a row
        for (int b = 1; b < 5; b++) {
            assertThat(l.bandPpc(b)).isEqualTo(1);
            assertThat(l.bandRows(b)).isEqualTo((AGBLOCKS + 63) / 64);
        }
        int y = GridLayout.MARGIN;
        for (int b = 0; b < 5; b++) {
            assertThat(l.bandY(b)).isEqualTo(y);
            assertThat(l.bandCellsY(b)).isEqualTo(y + LABEL);
            y += LABEL + (int) l.bandRows(b) * 10 + GridLayout.MARGIN;
        }
        assertThat(l.height()).isEqualTo(y);
    }

    @Test
    void compactBandStaysOneRowAtAnyZoomButDoesNotZoomInPastTheGrid() {
        for (long ppc : new long[] {1, 8, 40, 100, 4096}) {
            GridLayout l = layout(ppc, 10, 64);
            assertThat(l.bandRows(0)).as("ppc %d", ppc).isEqualTo(1);
            assertThat(l.bandPpc(0)).isEqualTo(Math.max(ppc, (RESERVE_PAGES + 63) / 64));
            assertThat(l.bandPpc(1)).isEqualTo(ppc);
            assertThat(l.bandRows(1)).isEqualTo(((AGBLOCKS + ppc - 1) / ppc + 63) / 64);
        }
        // whole AG in one cell
        GridLayout l = layout(AGBLOCKS, 10, 64);
        assertThat(l.bandRows(1)).isEqualTo(1);
        assertThat(l.cellOf(pfn(1, 0))).isEqualTo(l.cellOf(pfn(1, AGBLOCKS - 1)));
    }

    @Test
    void cellOfKnownPages() {
        GridLayout l = layout(1, 10, 64);
        assertThat(l.cellOf(FIRST_PFN)).isEqualTo(new GridLayout.Cell(0, 0));
        assertThat(l.cellOf(DATA_PFN)).isEqualTo(new GridLayout.Cell(1, 0));
        assertThat(l.cellOf(pfn(0, 25))).isEqualTo(new GridLayout.Cell(1, 25));
        assertThat(l.cellOf(pfn(1, 513))).isEqualTo(new GridLayout.Cell(2, 513));
        assertThat(l.cellOf(pfn(3, AGBLOCKS - 1))).isEqualTo(new GridLayout.Cell(4, AGBLOCKS - 1));
        assertThat(l.cellOf(FIRST_PFN - 1)).isNull();
        assertThat(l.cellOf(pfn(4, 0))).isNull();
        // ag 1/513 is row 8, column 1 of AG 1's band
        Rectangle r = l.rectOf(new GridLayout.Cell(2, 513));
        assertThat(r).isEqualTo(new Rectangle(GridLayout.MARGIN + 10, l.bandCellsY(2) + 8 * 10, 10, 10));
        assertThat(l.firstPfn(new GridLayout.Cell(2, 513))).isEqualTo(pfn(1, 513));
        assertThat(l.endPfn(new GridLayout.Cell(2, 513))).isEqualTo(pfn(1, 514));
        // the reserve's last cell ends with the band
        GridLayout.Cell last = new GridLayout.Cell(0, 63);
        assertThat(l.endPfn(last)).isEqualTo(DATA_PFN);
    }

    @Test
    void cellAtOutsideTheCellsIsNull() {
        GridLayout l = layout(1, 10, 64);
        int y = l.bandCellsY(1) + 5;
        assertThat(l.cellAt(GridLayout.MARGIN - 1, y)).isNull();
        assertThat(l.cellAt(GridLayout.MARGIN, y)).isEqualTo(new GridLayout.Cell(1, 0));
        assertThat(l.cellAt(GridLayout.MARGIN + 640 - 1, y)).isEqualTo(new GridLayout.Cell(1, 63));
        assertThat(l.cellAt(GridLayout.MARGIN + 640, y)).isNull();
        // the label gutter above a band
        assertThat(l.cellAt(GridLayout.MARGIN + 5, l.bandY(1) + 3)).isNull();
        assertThat(l.cellAt(GridLayout.MARGIN + 5, l.bandCellsY(1) - 1)).isNull();
        // the last row of AG 0 is partial: 32,128 = 502 × 64, so it is full here; use 60 columns instead
        GridLayout l60 = layout(1, 10, 60);
        long rows = l60.bandRows(1);
        assertThat(rows).isEqualTo((AGBLOCKS + 59) / 60);
        int lastRowY = l60.bandCellsY(1) + (int) (rows - 1) * 10 + 5;
        long inLastRow = AGBLOCKS - (rows - 1) * 60; // 28 cells
        assertThat(l60.cellAt(GridLayout.MARGIN + (int) (inLastRow - 1) * 10, lastRowY))
                .isEqualTo(new GridLayout.Cell(1, AGBLOCKS - 1));
        assertThat(l60.cellAt(GridLayout.MARGIN + (int) inLastRow * 10, lastRowY)).isNull();
        // far below everything
        assertThat(l.cellAt(GridLayout.MARGIN + 5, l.height() + 100)).isNull();
    }

    @Property(tries = 300)
    void cellRoundTrips(@ForAll @LongRange(min = 0, max = 2560 + 4 * 32128 - 1) long offset,
                        @ForAll @IntRange(min = 0, max = 6) int zoom, @ForAll @IntRange(min = 2, max = 16) int px,
                        @ForAll @IntRange(min = 4, max = 200) int cols) {
        long ppc = new long[] {1, 2, 7, 64, 512, 4096, 40000}[zoom];
        GridLayout l = layout(ppc, px, cols);
        long p = FIRST_PFN + offset;
        GridLayout.Cell c = l.cellOf(p);
        assertThat(c).isNotNull();
        assertThat(l.bands().get(c.band()).contains(p)).isTrue();
        assertThat(l.firstPfn(c)).isLessThanOrEqualTo(p);
        assertThat(l.endPfn(c)).isGreaterThan(p);
        assertThat(l.endPfn(c) - l.firstPfn(c)).isLessThanOrEqualTo(l.bandPpc(c.band()));
        Rectangle r = l.rectOf(c);
        assertThat(r.width).isEqualTo(Math.max(2, px));
        assertThat(l.cellAt(r.x, r.y)).isEqualTo(c);
        assertThat(l.cellAt(r.x + r.width - 1, r.y + r.height - 1)).isEqualTo(c);
        assertThat(l.cellAt(r.x + r.width / 2, r.y + r.height / 2)).isEqualTo(c);
        assertThat(l.cellOf(l.firstPfn(c))).isEqualTo(c);
        assertThat(l.cellOf(l.endPfn(c) - 1)).isEqualTo(c);
        // the page's row span is exactly its cell
        assertThat(l.rowSpans(p, p + 1)).containsExactly(r);
    }

    @Property(tries = 200)
    void rowSpansCoverExactlyTheCellsOfARange(@ForAll @LongRange(min = 0, max = 2560 + 4 * 32128 - 1) long a,
                                              @ForAll @LongRange(min = 1, max = 40000) long len,
                                              @ForAll @IntRange(min = 0, max = 3) int zoom,
                                              @ForAll @IntRange(min = 4, max = 100) int cols) {
        long ppc = new long[] {1, 3, 64, 700}[zoom];
        int px = 6;
        GridLayout l = layout(ppc, px, cols);
        long from = FIRST_PFN + a;
        long to = Math.min(from + len, pfn(4, 0));
        List<Rectangle> spans = l.rowSpans(from, to);
        // every span is one row high and within the grid's columns; spans do not overlap
        long area = 0;
        for (int i = 0; i < spans.size(); i++) {
            Rectangle s = spans.get(i);
            assertThat(s.height).isEqualTo(px);
            assertThat(s.x).isGreaterThanOrEqualTo(GridLayout.MARGIN);
            assertThat(s.x + s.width).isLessThanOrEqualTo(GridLayout.MARGIN + cols * px);
            area += (long) s.width * s.height;
            for (int j = 0; j < i; j++) {
                assertThat(s.intersects(spans.get(j))).isFalse();
            }
        }
        // the cells of the range, counted band by band
        long cells = 0;
        for (int b = 0; b < l.bands().size(); b++) {
            Band band = l.bands().get(b);
            long s = Math.max(from, band.firstPfn());
            long e = Math.min(to, band.endPfn());
            if (e > s) {
                cells += (e - 1 - band.firstPfn()) / l.bandPpc(b) - (s - band.firstPfn()) / l.bandPpc(b) + 1;
            }
        }
        assertThat(area).isEqualTo(cells * px * px);
        // the first and the last page's cells are covered
        Rectangle first = l.rectOf(l.cellOf(from));
        Rectangle last = l.rectOf(l.cellOf(to - 1));
        assertThat(spans).anyMatch(s -> s.contains(first));
        assertThat(spans).anyMatch(s -> s.contains(last));
    }

    @Test
    void rowSpansAcrossABandBoundary() {
        GridLayout l = layout(1, 10, 64);
        List<Rectangle> spans = l.rowSpans(pfn(0, AGBLOCKS - 2), pfn(1, 3));
        assertThat(spans).hasSize(2);
        assertThat(spans.get(0)).isEqualTo(new Rectangle(GridLayout.MARGIN + 62 * 10,
                l.bandCellsY(1) + (AGBLOCKS / 64 - 1) * 10, 20, 10));
        assertThat(spans.get(1)).isEqualTo(new Rectangle(GridLayout.MARGIN, l.bandCellsY(2), 30, 10));
        assertThat(l.rowSpans(pfn(1, 0), pfn(1, 0))).isEmpty();
        assertThat(l.rowSpans(0, 10)).isEmpty();
        // three rows: a tail, a full row, a head
        List<Rectangle> three = l.rowSpans(pfn(0, 60), pfn(0, 130));
        assertThat(three).containsExactly(
                new Rectangle(GridLayout.MARGIN + 600, l.bandCellsY(1), 40, 10),
                new Rectangle(GridLayout.MARGIN, l.bandCellsY(1) + 10, 640, 10),
                new Rectangle(GridLayout.MARGIN, l.bandCellsY(1) + 20, 20, 10));
    }

    @Test
    void tooNarrowOrTinyIsClamped() {
        GridLayout l = new GridLayout(BANDS, 0, 1, 10, LABEL);
        assertThat(l.pagesPerCell()).isEqualTo(1);
        assertThat(l.cellPx()).isEqualTo(2);
        assertThat(l.cols()).isEqualTo(4);
    }
}
