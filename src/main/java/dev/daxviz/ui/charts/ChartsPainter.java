package dev.daxviz.ui.charts;

import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import org.jfree.chart.JFreeChart;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Draws the charts view into any bounds: an optional caption, the four charts of {@link DaxCharts} (two by two, or
 * one above the other when narrow) and the blast-radius strip along the bottom. The same call paints the window's
 * Charts tab and the exported PNG/SVG.
 */
public final class ChartsPainter {
    /** Below this width (unless wider than tall) the charts stack in one column. */
    public static final int TWO_COLUMNS_FROM = 760;

    private ChartsPainter() {
    }

    /**
     * One frame of the charts view.
     *
     * @param caption a line above the charts (scenario, kernel, step), or null
     */
    public record Snapshot(ChartData data, BlastSnapshot blast, Palette palette, String caption) {
    }

    /** The four charts of a snapshot, in reading order. */
    public static List<JFreeChart> charts(Snapshot s) {
        return List.of(DaxCharts.pageClasses(s.data(), s.palette()), DaxCharts.shareCounts(s.data(), s.palette()),
                DaxCharts.signals(s.data(), s.palette()), DaxCharts.ownersPerAg(s.data(), s.palette()));
    }

    /** Height the strip takes in bounds of this height. */
    public static int stripHeight(Rectangle b, Palette p) {
        return Math.max(Math.round(64 * p.fontScale()), Math.min(Math.round(130 * p.fontScale()), b.height / 6));
    }

    /** Height a one-column layout needs at this width (for a scrolling panel). */
    public static int preferredHeight(int width, Palette p) {
        int chart = Math.round(250 * p.fontScale());
        int n = width >= TWO_COLUMNS_FROM ? 2 : 4;
        return n * chart + Math.round(130 * p.fontScale()) + Math.round(30 * p.fontScale());
    }

    public static void paint(Graphics2D g0, Rectangle b, Snapshot s) {
        paint(g0, b, s, charts(s));
    }

    /** Paints with charts already built (the on-screen panel keeps them while the data does not change). */
    public static void paint(Graphics2D g0, Rectangle b, Snapshot s, List<JFreeChart> charts) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.clipRect(b.x, b.y, b.width, b.height);
            Palette p = s.palette();
            g.setColor(p.panel());
            g.fillRect(b.x, b.y, b.width, b.height);
            int y = b.y;
            if (s.caption() != null) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(Fonts.uiBold(13f * p.fontScale()));
                FontMetrics fm = g.getFontMetrics();
                g.setColor(p.text());
                g.drawString(s.caption(), b.x + 10, y + 6 + fm.getAscent());
                y += fm.getHeight() + 10;
            }
            int strip = stripHeight(b, p);
            int gap = 8;
            Rectangle area = new Rectangle(b.x, y, b.width, b.y + b.height - y - strip - gap);
            boolean two = b.width >= TWO_COLUMNS_FROM || b.width >= b.height;
            int cols = two ? 2 : 1;
            int rows = (charts.size() + cols - 1) / cols;
            for (int i = 0; i < charts.size(); i++) {
                int c = i % cols;
                int r = i / cols;
                int x0 = area.x + c * area.width / cols;
                int x1 = area.x + (c + 1) * area.width / cols;
                int y0 = area.y + r * area.height / rows;
                int y1 = area.y + (r + 1) * area.height / rows;
                Graphics2D cg = (Graphics2D) g.create();
                try {
                    charts.get(i).draw(cg, new Rectangle2D.Double(x0, y0, x1 - x0, y1 - y0));
                } finally {
                    cg.dispose();
                }
            }
            if (s.blast() != null) {
                Rectangle sb = new Rectangle(b.x, b.y + b.height - strip, b.width, strip);
                BlastRadiusPainter.paint(g, sb, s.blast());
                g.setColor(p.gridLine());
                g.fillRect(b.x, sb.y - gap / 2, b.width, 1);
            }
        } finally {
            g.dispose();
        }
    }
}
