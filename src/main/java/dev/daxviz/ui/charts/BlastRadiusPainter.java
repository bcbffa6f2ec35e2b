package dev.daxviz.ui.charts;

import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;

/**
 * Draws the blast-radius strip into any bounds: the device from left to right, files a poison would reach above the
 * middle line, processes below it. The pale bar is everything in the region, the solid bar what one page there
 * reaches at worst; bar heights follow the square root of the count so that one page stays visible beside a
 * crowded region. Metadata regions (a poison there shuts the filesystem down) are tinted full height. AG starts are
 * labelled, the selected page is a line, the stretch the grid shows is bracketed.
 *
 * <p>Palette keys: panel, background, text, mutedText, gridLine, data, poison, metadata, selection; fonts from
 * {@link Fonts}, scaled by the palette's font scale.
 */
public final class BlastRadiusPainter {
    /** Narrowest bar: a region with anything in it stays visible however many regions share a pixel. */
    private static final int MIN_BAR = 3;

    private BlastRadiusPainter() {
    }

    /** Width of the title gutter on the left for a palette. */
    public static int leftGutter(Palette p) {
        return Math.round(112 * p.fontScale());
    }

    /** Width of the scale gutter on the right for a palette. */
    public static int rightGutter(Palette p) {
        return Math.round(84 * p.fontScale());
    }

    public static void paint(Graphics2D g0, Rectangle b, BlastSnapshot s) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.clipRect(b.x, b.y, b.width, b.height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            Palette p = s.palette();
            g.setColor(p.panel());
            g.fillRect(b.x, b.y, b.width, b.height);
            Rectangle plot = plotBounds(b, p);
            paintTitle(g, b, plot, s);
            if (plot.width < 8 || plot.height < 6) {
                return;
            }
            g.setColor(p.background());
            g.fillRect(plot.x, plot.y, plot.width, plot.height);
            paintMarks(g, b, plot, s);
            paintColumns(g, plot, s);
            paintView(g, plot, s);
            paintSelection(g, plot, s);
            g.setColor(p.gridLine());
            g.drawRect(plot.x, plot.y, plot.width - 1, plot.height - 1);
            paintScale(g, plot, s);
        } finally {
            g.dispose();
        }
    }

    /** Where the bars go inside bounds b (for hit-testing too). */
    public static Rectangle plotBounds(Rectangle b, Palette p) {
        int markH = Math.round(13 * p.fontScale());
        int x0 = b.x + leftGutter(p);
        int x1 = b.x + b.width - rightGutter(p);
        int below = Math.round(6 * p.fontScale()) + 3; // the selection's triangle and the grid's stretch
        return new Rectangle(x0, b.y + markH + 2, Math.max(0, x1 - x0), Math.max(0, b.height - markH - 2 - below));
    }

    /** The region under x in a plot, or −1. */
    public static int regionAt(Rectangle plot, BlastRadius r, int x) {
        if (x < plot.x || x >= plot.x + plot.width || plot.width <= 0) {
            return -1;
        }
        return (int) Math.min(r.regions() - 1, (long) (x - plot.x) * r.regions() / plot.width);
    }

    private static void paintTitle(Graphics2D g, Rectangle b, Rectangle plot, BlastSnapshot s) {
        Palette p = s.palette();
        float fs = p.fontScale();
        int x = b.x + 8;
        g.setFont(Fonts.uiBold(11f * fs));
        FontMetrics fm = g.getFontMetrics();
        int lines = plot.height >= 3 * fm.getHeight() - 4 ? 3 : 2;
        int y = lines == 3 ? plot.y + fm.getAscent() - 2 : b.y + (b.height - 2 * fm.getHeight()) / 2 + fm.getAscent();
        g.setColor(p.text());
        g.drawString("Blast radius", x, y);
        g.setFont(Fonts.ui(10f * fs));
        FontMetrics sm = g.getFontMetrics();
        if (lines == 3) {
            y += sm.getHeight() + 1;
            g.setColor(p.data());
            g.drawString("▲ files", x, y);
            y += sm.getHeight();
            g.setColor(p.poison());
            g.drawString("▼ processes", x, y);
        } else {
            y += sm.getHeight() + 1;
            g.setColor(p.data());
            g.drawString("▲ files", x, y);
            g.setColor(p.poison());
            g.drawString("▼ procs", x + sm.stringWidth("▲ files  "), y);
        }
    }

    /** Square-root scale of count c against the maximum m into h pixels (at least 2 px for any count). */
    private static int bar(int c, int m, int h) {
        if (c <= 0 || m <= 0 || h <= 0) {
            return 0;
        }
        return Math.max(Math.min(2, h), (int) Math.round(h * Math.sqrt((double) c / m)));
    }

    private static void paintColumns(Graphics2D g, Rectangle plot, BlastSnapshot s) {
        Palette p = s.palette();
        BlastRadius r = s.radius();
        int n = r.regions();
        int cols = Math.min(plot.width, n);
        int mid = plot.y + plot.height / 2;
        int up = mid - plot.y - 1;
        int down = plot.y + plot.height - mid - 2;
        int mf = Math.max(1, r.maxFiles());
        int mp = Math.max(1, r.maxProcesses());
        Color paleData = mix(p.data(), p.background(), 0.62f);
        Color palePoison = mix(p.poison(), p.background(), 0.62f);
        Color meta = mix(p.metadata(), p.background(), p.isDark() ? 0.62f : 0.68f); // opaque: overlaps do not darken
        for (int c = 0; c < cols; c++) {
            int r0 = (int) ((long) c * n / cols);
            int r1 = (int) ((long) (c + 1) * n / cols);
            int files = 0;
            int worstFiles = 0;
            int procs = 0;
            int worstProcs = 0;
            long metadata = 0;
            for (int k = r0; k < r1; k++) {
                files = Math.max(files, r.files(k));
                worstFiles = Math.max(worstFiles, r.worstFiles(k));
                procs = Math.max(procs, r.processes(k));
                worstProcs = Math.max(worstProcs, r.worstProcesses(k));
                metadata += r.metadataPages(k);
            }
            if (files == 0 && procs == 0 && metadata == 0) {
                continue;
            }
            int xa = plot.x + (int) ((long) c * plot.width / cols);
            int xb = plot.x + (int) ((long) (c + 1) * plot.width / cols);
            if (metadata > 0) {
                g.setColor(meta);
                g.fillRect(xa, plot.y + 1, Math.max(MIN_BAR, xb - xa), plot.height - 2);
            }
            int w = Math.max(1, xb - xa - (xb - xa >= 4 ? 1 : 0));
            if (w < MIN_BAR) { // a lone page in a big device still shows
                xa = Math.max(plot.x + 1, Math.min(plot.x + plot.width - 1 - MIN_BAR, (xa + xb) / 2 - MIN_BAR / 2));
                w = MIN_BAR;
            }
            int hf = bar(files, mf, up);
            int hwf = bar(worstFiles, mf, up);
            int hp = bar(procs, mp, down);
            int hwp = bar(worstProcs, mp, down);
            g.setColor(paleData);
            g.fillRect(xa, mid - hf, w, hf);
            g.setColor(p.data());
            g.fillRect(xa, mid - hwf, w, hwf);
            g.setColor(palePoison);
            g.fillRect(xa, mid + 1, w, hp);
            g.setColor(p.poison());
            g.fillRect(xa, mid + 1, w, hwp);
        }
        g.setColor(p.gridLine());
        g.fillRect(plot.x, mid, plot.width, 1);
    }

    private static int xOf(Rectangle plot, BlastRadius r, long global) {
        return plot.x + (int) Math.min(plot.width - 1, (long) ((double) global * plot.width / r.totalPages()));
    }

    private static void paintMarks(Graphics2D g, Rectangle b, Rectangle plot, BlastSnapshot s) {
        Palette p = s.palette();
        BlastRadius r = s.radius();
        g.setFont(Fonts.ui(9.5f * p.fontScale()));
        FontMetrics fm = g.getFontMetrics();
        int lastEnd = Integer.MIN_VALUE;
        for (BlastRadius.Mark m : r.marks()) {
            int x = xOf(plot, r, m.global());
            g.setColor(p.gridLine());
            if (m.global() > 0) {
                g.fillRect(x, plot.y, 1, plot.height);
            }
            if (x + 2 > lastEnd) {
                g.setColor(p.mutedText());
                g.drawString(m.label(), x + 2, plot.y - 3);
                lastEnd = x + 2 + fm.stringWidth(m.label()) + 6;
            }
        }
    }

    private static void paintView(Graphics2D g, Rectangle plot, BlastSnapshot s) {
        if (s.viewFrom() < 0 || s.viewTo() <= s.viewFrom()) {
            return;
        }
        BlastRadius r = s.radius();
        long a = r.globalAtOrAfter(s.viewFrom());
        long z = r.globalAtOrBefore(s.viewTo() - 1);
        if (a < 0 || z < a) {
            return;
        }
        int xa = xOf(plot, r, a);
        int xz = Math.max(xa + 2, xOf(plot, r, z) + 1);
        Palette p = s.palette();
        g.setColor(p.mutedText());
        g.fillRect(xa, plot.y + plot.height, xz - xa, Math.max(2, Math.round(2 * p.strokeScale())));
    }

    private static void paintSelection(Graphics2D g, Rectangle plot, BlastSnapshot s) {
        if (s.selectedPfn() < 0) {
            return;
        }
        BlastRadius r = s.radius();
        long gl = r.global(s.selectedPfn());
        if (gl < 0) {
            return;
        }
        Palette p = s.palette();
        int x = xOf(plot, r, gl);
        int t = Math.round(4 * p.fontScale());
        int y = plot.y + plot.height;
        g.setColor(p.selection());
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.fill(new Polygon(new int[] {x - t, x + t + 1, x}, new int[] {y + t + 2, y + t + 2, y}, 3));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    }

    private static void paintScale(Graphics2D g, Rectangle plot, BlastSnapshot s) {
        Palette p = s.palette();
        BlastRadius r = s.radius();
        g.setFont(Fonts.ui(10f * p.fontScale()));
        FontMetrics fm = g.getFontMetrics();
        int x = plot.x + plot.width + 6;
        int mid = plot.y + plot.height / 2;
        g.setColor(p.data());
        g.drawString(r.maxFiles() + (r.maxFiles() == 1 ? " file" : " files"), x, Math.max(plot.y + fm.getAscent() - 2,
                mid - 2));
        g.setColor(p.poison());
        g.drawString(r.maxProcesses() + (r.maxProcesses() == 1 ? " process" : " procs"), x,
                Math.min(plot.y + plot.height, mid + fm.getAscent()));
    }

    static Color mix(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }
}
