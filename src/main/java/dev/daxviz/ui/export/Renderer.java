package dev.daxviz.ui.export;

import dev.daxviz.model.Units;
import dev.daxviz.ui.BtreeView;
import dev.daxviz.ui.StoryPanel;
import dev.daxviz.ui.Workbench;
import dev.daxviz.ui.charts.BlastRadius;
import dev.daxviz.ui.charts.BlastRadiusPainter;
import dev.daxviz.ui.charts.BlastSnapshot;
import dev.daxviz.ui.charts.ChartData;
import dev.daxviz.ui.charts.ChartsPainter;
import dev.daxviz.ui.grid.Band;
import dev.daxviz.ui.grid.GridLayout;
import dev.daxviz.ui.grid.GridPainter;
import dev.daxviz.ui.grid.GridSnapshot;
import dev.daxviz.ui.grid.LegendPainter;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Renders a {@link Scene} as a {@link RenderSpec} asks, headless or not, through the painters and components the
 * window uses (one painting path): {@code window} is the {@link Workbench} laid out at the size and printed;
 * {@code grid} is {@link GridPainter} with the blast-radius strip and {@link LegendPainter}; {@code btree} and
 * {@code story} are the window's {@link BtreeView} and {@link StoryPanel} printed at the size; {@code charts} is
 * {@link ChartsPainter}. Swing work runs on the event dispatch thread. The same scene and spec give the same pixels:
 * bundled fonts, fixed rendering hints, nothing that depends on the clock.
 */
public final class Renderer {
    private Renderer() {
    }

    /**
     * Starts loading what a first render needs (the bundled fonts and the look and feel) on the event dispatch thread,
     * so that it overlaps reading and running the scenario: a command-line render is mostly class loading. Changes
     * nothing a render depends on (the render sets the same look and feel).
     */
    public static void warmUp(Palette p) {
        javax.swing.SwingUtilities.invokeLater(() -> {
            Fonts.install();
            Headless.lookAndFeel(p);
        });
    }

    /** The scene drawn into an image of the spec's pixel size (logical size × scale). */
    public static BufferedImage image(Scene scene, RenderSpec spec) {
        BufferedImage img = new BufferedImage(spec.pixelWidth(), spec.pixelHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(spec.palette().background());
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            baseHints(g);
            g.scale(spec.scale(), spec.scale());
            paint(g, scene, spec);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * The scene as an SVG document at the spec's logical size: text stays text, the grid's hatches and dots become
     * paths ({@link VectorPatterns}); the scale does not apply.
     */
    public static String svg(Scene scene, RenderSpec spec) {
        SVGGraphics2D svg = new SVGGraphics2D(spec.width(), spec.height());
        svg.setDefsKeyPrefix("daxviz"); // not the clock: the same scene gives the same document
        Graphics2D g = new VectorPatterns(svg);
        g.setColor(spec.palette().background());
        g.fillRect(0, 0, spec.width(), spec.height());
        baseHints(g);
        paint(g, scene, spec);
        g.dispose();
        // spaces matter (aligned btree records, log lines): keep them rather than let viewers collapse them
        return svg.getSVGDocument().replaceFirst("<svg ", "<svg xml:space='preserve' ");
    }

    private static void baseHints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_NORMALIZE);
    }

    /** Paints the scene into {@code g} at the spec's logical size (the caller scales {@code g} for HiDPI). */
    public static void paint(Graphics2D g, Scene scene, RenderSpec spec) {
        Fonts.install();
        if (spec.view() == View.CHARTS) {
            paintCharts(g, scene, spec);
            return;
        }
        Headless.onEdt(() -> {
            Workbench wb = workbench(scene, spec.palette(), spec.width(), spec.height());
            switch (spec.view()) {
                case WINDOW -> wb.printAll(g);
                case GRID -> paintGrid(g, wb, scene, spec);
                case BTREE -> printAlone(g, wb.btree(), spec);
                case STORY -> printAlone(g, wb.story(), spec);
                default -> throw new IllegalStateException(spec.view().id());
            }
            return null;
        });
    }

    /**
     * The window's workbench showing the scene, laid out at a size without a window: palette, state, snapshot,
     * selection, tab; the grid scrolled to the selected page and the kernel log to its newest line. On the EDT.
     */
    public static Workbench workbench(Scene scene, Palette p, int width, int height) {
        Headless.lookAndFeel(p);
        Workbench wb = new Workbench();
        wb.applyPalette(p);
        wb.setState(scene.state());
        wb.showSnapshot(scene.snapshot(), false);
        wb.select(scene.selectedPfn());
        wb.showTab(scene.tab());
        if (scene.gridPpc() > 0 && scene.gridCellPx() > 0) {
            wb.grid().setZoom(scene.gridPpc(), scene.gridCellPx());
        }
        wb.layoutFor(width, height);
        Headless.layoutTree(wb);
        wb.grid().scrollTo(0);
        if (scene.selectedPfn() >= 0) {
            wb.grid().reveal(scene.selectedPfn());
        }
        Headless.layoutTree(wb);
        Headless.scrollToEnd(wb, "dmesg");
        return wb;
    }

    private static void printAlone(Graphics2D g, javax.swing.JComponent c, RenderSpec spec) {
        c.setVisible(true);
        c.setBounds(0, 0, spec.width(), spec.height());
        Headless.layoutTree(c);
        Headless.scrollToEnd(c, "dmesg");
        c.printAll(g);
    }

    // ------------------------------------------------------------------ grid

    /** Heights of the grid view's strip and legend for a palette. */
    static int stripHeight(Palette p) {
        return Math.round(58 * p.fontScale());
    }

    static int legendHeight(Palette p) {
        return Math.round(26 * p.fontScale());
    }

    /** The grid as the window draws it (same zoom, poison, glow, selection), then the strip and the legend. */
    private static void paintGrid(Graphics2D g, Workbench wb, Scene scene, RenderSpec spec) {
        Palette p = spec.palette();
        int w = spec.width();
        int stripH = stripHeight(p);
        int legendH = legendHeight(p);
        int gridH = spec.height() - stripH - legendH;
        GridSnapshot live = wb.grid().snapshot(gridH);
        GridLayout l = gridLayout(wb, w, p);
        long scrollY = scrollFor(l, scene.selectedPfn(), gridH);
        GridSnapshot s = new GridSnapshot(l, live.summary(), p, scrollY, live.poisoned(), live.selected(),
                live.highlights(), live.glow(), live.pulsePfn(), live.pulse());
        GridPainter.paint(g, new Rectangle(0, 0, w, gridH), s);
        long[] view = visibleRange(l, scrollY, scrollY + gridH);
        BlastRadius radius = wb.blastStrip().radius();
        if (radius != null) {
            BlastRadiusPainter.paint(g, new Rectangle(0, gridH, w, stripH), new BlastSnapshot(radius, p,
                    scene.selectedPfn(), view[0], view[1]));
        }
        LegendPainter.paint(g, new Rectangle(0, gridH + stripH, w, legendH), p, zoomText(l.pagesPerCell()));
    }

    /** The grid layout at the window's zoom for an export width. */
    static GridLayout gridLayout(Workbench wb, int width, Palette p) {
        return new GridLayout(wb.summary().bands(), wb.grid().pagesPerCell(), wb.grid().cellPx(), width,
                Math.round(22 * p.fontScale()));
    }

    /** From the top, unless the page would not show: then with the page a third of the way down. */
    static long scrollFor(GridLayout l, long pfn, int height) {
        GridLayout.Cell c = pfn < 0 ? null : l.cellOf(pfn);
        if (c == null) {
            return 0;
        }
        Rectangle r = l.rectOf(c);
        if (r.y + r.height <= height) {
            return 0;
        }
        return Math.max(0, Math.min(l.height() - height, r.y - height / 3));
    }

    /** {first pfn, end pfn} of the cells between layout y {@code top} and {@code bottom}, or {−1, −1}. */
    static long[] visibleRange(GridLayout l, long top, long bottom) {
        long from = -1;
        long to = -1;
        for (int b = 0; b < l.bands().size(); b++) {
            Band band = l.bands().get(b);
            long y0 = l.bandCellsY(b);
            long y1 = y0 + l.bandRows(b) * l.cellPx();
            if (y1 <= top || y0 >= bottom) {
                continue;
            }
            long r0 = Math.max(0, (top - y0) / l.cellPx());
            long r1 = Math.min(l.bandRows(b), (bottom - y0 + l.cellPx() - 1) / l.cellPx());
            long a = band.firstPfn() + r0 * l.cols() * l.bandPpc(b);
            long z = Math.min(band.endPfn(), band.firstPfn() + r1 * l.cols() * l.bandPpc(b));
            if (from < 0) {
                from = a;
            }
            to = z;
        }
        return new long[] {from, to};
    }

    static String zoomText(long ppc) {
        return ppc == 1 ? "1 cell = 1 page (4 KiB)" : "1 cell = " + ppc + " pages (" + Units.human(ppc * Units.PAGE_SIZE)
                + ")";
    }

    // ------------------------------------------------------------------ charts

    private static void paintCharts(Graphics2D g, Scene scene, RenderSpec spec) {
        PlaybackSnapshot snap = scene.snapshot();
        ChartData data = ChartData.of(scene.state(), snap, null);
        BlastSnapshot blast = new BlastSnapshot(BlastRadius.of(snap.world()), spec.palette(), scene.selectedPfn());
        ChartsPainter.paint(g, new Rectangle(0, 0, spec.width(), spec.height()),
                new ChartsPainter.Snapshot(data, blast, spec.palette(), scene.caption()));
    }
}
