package dev.daxviz.ui.grid;

import dev.daxviz.model.Units;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.util.Arrays;

/**
 * Paints the page grid for a {@link GridSnapshot} into any bounds: on screen, into images for tests and export.
 * Only the rows inside {@code bounds} are visited, so the cost depends on the viewport, not the device size.
 */
public final class GridPainter {
    /**
     * How the cells are drawn: {@code Boolean.TRUE} shape by shape (vector output, SVG, must keep them as shapes),
     * {@code Boolean.FALSE} composed into one image; unset, whichever is faster for the view. Both give the same
     * pixels.
     */
    public static final RenderingHints.Key VECTOR_OUTPUT = new RenderingHints.Key(0x44617856) {
        @Override
        public boolean isCompatibleValue(Object val) {
            return val instanceof Boolean;
        }
    };

    private GridPainter() {
    }

    public static void paint(Graphics2D g0, Rectangle bounds, GridSnapshot s) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.clipRect(bounds.x, bounds.y, bounds.width, bounds.height);
            g.translate(bounds.x, bounds.y - s.scrollY());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Palette p = s.palette();
            g.setColor(p.background());
            g.fillRect(0, (int) s.scrollY(), bounds.width, bounds.height);
            GridLayout l = s.layout();
            long top = s.scrollY();
            long bottom = top + bounds.height;
            for (int b = 0; b < l.bands().size(); b++) {
                int by = l.bandY(b);
                long bandBottom = l.bandCellsY(b) + l.bandRows(b) * l.cellPx();
                if (bandBottom < top || by > bottom) {
                    continue;
                }
                paintLabel(g, l, b, p);
                paintCells(g, l, b, s, top, bottom);
            }
            paintRanges(g, s.highlights(), l, p.selection(), 1.5f * p.strokeScale(), top, bottom);
            paintGlow(g, s, top, bottom);
            paintPoison(g, s, top, bottom);
            paintSelection(g, s);
        } finally {
            g.dispose();
        }
    }

    private static void paintLabel(Graphics2D g, GridLayout l, int b, Palette p) {
        Band band = l.bands().get(b);
        Font f = Fonts.uiBold(12f * p.fontScale());
        g.setFont(f);
        g.setColor(p.text());
        int y = l.bandY(b) + l.labelPx() - 6;
        g.drawString(band.label(), GridLayout.MARGIN, y);
        int w = g.getFontMetrics().stringWidth(band.label());
        g.setFont(Fonts.ui(11f * p.fontScale()));
        g.setColor(p.mutedText());
        String detail = band.agno() >= 0
                ? "agbno 0–" + (band.pages() - 1) + " · " + Units.human(band.pages() * Units.PAGE_SIZE)
                + " · pfn " + Units.hex(band.firstPfn())
                : Units.human(band.pages() * Units.PAGE_SIZE) + " · pfn " + Units.hex(band.firstPfn());
        g.drawString(detail, GridLayout.MARGIN + w + 10, y);
        g.setColor(p.gridLine());
        g.fillRect(GridLayout.MARGIN, l.bandY(b) + l.labelPx() - 2, l.cols() * l.cellPx(), 1);
    }

    private static void paintCells(Graphics2D g, GridLayout l, int b, GridSnapshot s, long top, long bottom) {
        Band band = l.bands().get(b);
        int px = l.cellPx();
        int cols = l.cols();
        long ppc = l.bandPpc(b);
        long firstRow = Math.max(0, (top - l.bandCellsY(b)) / px);
        long lastRow = Math.min(l.bandRows(b) - 1, (bottom - l.bandCellsY(b)) / px);
        if (lastRow < firstRow) {
            return;
        }
        int rows = (int) (lastRow - firstRow + 1);
        byte[][] major = new byte[rows][cols];
        byte[][] second = new byte[rows][cols];
        float[][] share = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            long from = band.firstPfn() + (firstRow + r) * cols * ppc;
            s.summary().classifyCells(from, ppc, cols, band.endPfn(), major[r], second[r], share[r]);
        }
        PageClass[] classes = PageClass.values();
        boolean gaps = px >= 6;
        int inner = gaps ? px - 1 : px;
        Object how = g.getRenderingHint(VECTOR_OUTPUT);
        if (Boolean.FALSE.equals(how) || how == null && mostlySplit(major, second, share, inner)) {
            paintCellsRaster(g, s.palette(), (int) (l.bandCellsY(b) + firstRow * px), cols, px, inner, major, second,
                    share);
            return;
        }
        // One class at a time: a texture paint that changes costs Java2D a primitive search on the next fill (it
        // finds no cached mask fill for it), far more than the fill. Runs of whole cells of one class are one fill.
        // The cells' parts do not overlap and the patterns are anchored to the grid, so the pixels are those of one
        // fill per cell part in cell order.
        for (int k = 0; k < classes.length; k++) {
            boolean painting = false;
            for (int r = 0; r < rows; r++) {
                byte[] maj = major[r];
                int y = (int) (l.bandCellsY(b) + (firstRow + r) * px);
                int c = 0;
                while (c < cols && maj[c] >= 0) {
                    int x = GridLayout.MARGIN + c * px;
                    if (split(second[r][c], share[r][c], inner)) {
                        int split = Math.max(1, Math.round(inner * share[r][c]));
                        if (maj[c] == k || second[r][c] == k) {
                            if (!painting) {
                                g.setPaint(Patterns.paint(s.palette(), classes[k]));
                                painting = true;
                            }
                            if (maj[c] == k) {
                                g.fillRect(x, y, split, inner);
                            } else {
                                g.fillRect(x + split, y, inner - split, inner);
                            }
                        }
                        c++;
                        continue;
                    }
                    int e = c + 1;
                    while (e < cols && maj[e] == maj[c] && !split(second[r][e], share[r][e], inner)) {
                        e++;
                    }
                    if (maj[c] == k) {
                        if (!painting) {
                            g.setPaint(Patterns.paint(s.palette(), classes[k]));
                            painting = true;
                        }
                        g.fillRect(x, y, (e - c) * px - (px - inner), inner);
                    }
                    c = e;
                }
            }
        }
        if (gaps) {
            // the 1 px gaps between the cells of a run, for every visible row at once
            g.setColor(s.palette().background());
            int y0 = (int) (l.bandCellsY(b) + firstRow * px);
            for (int c = 0; c < cols - 1; c++) {
                g.fillRect(GridLayout.MARGIN + c * px + inner, y0, 1, rows * px);
            }
        }
    }

    /**
     * Whether one cell in eight or more is split in two: the fills then turn into thousands of small patterned
     * rectangles, which Java2D draws far more slowly than one composed image; runs of whole cells stay fills.
     */
    private static boolean mostlySplit(byte[][] major, byte[][] second, float[][] share, int inner) {
        int cells = 0;
        int split = 0;
        for (int r = 0; r < major.length; r++) {
            for (int c = 0; c < major[r].length && major[r][c] >= 0; c++) {
                cells++;
                split += split(second[r][c], share[r][c], inner) ? 1 : 0;
            }
        }
        return split * 8 >= cells && split > 0;
    }

    /** The last composed image of this thread, reused while the viewport keeps its size. */
    private static final ThreadLocal<java.awt.image.BufferedImage> CELLS = new ThreadLocal<>();

    /**
     * The cells composed into one image, drawn with one call. The pixels are those of the shape-by-shape fills: each
     * class's tile anchored at user-space multiples of its size, 1 px gaps in the background colour, a split cell's
     * left part its majority class and its right part the second. Each class's tile is laid out once per frame as
     * full-width strips (one per tile row), and cells are copied from them.
     */
    private static void paintCellsRaster(Graphics2D g, Palette p, int y0, int cols, int px, int inner, byte[][] major,
                                         byte[][] second, float[][] share) {
        int rows = major.length;
        int w = cols * px;
        int h = rows * px;
        int x0 = GridLayout.MARGIN;
        java.awt.image.BufferedImage img = CELLS.get();
        if (img == null || img.getWidth() != w || img.getHeight() < h) {
            img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
            CELLS.set(img);
        }
        int[] pix = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int bg = p.background().getRGB();
        PageClass[] classes = PageClass.values();
        int t = Patterns.TILE;
        int[][][] strips = new int[classes.length][t][w];
        for (int k = 0; k < classes.length; k++) {
            int[] tile = Patterns.tile(p, classes[k]);
            for (int ty = 0; ty < t; ty++) {
                for (int x = 0; x < w; x++) {
                    strips[k][ty][x] = tile[ty * t + Math.floorMod(x0 + x, t)];
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            byte[] maj = major[r];
            for (int dy = 0; dy < px; dy++) {
                int row = (r * px + dy) * w;
                if (dy >= inner) {
                    java.util.Arrays.fill(pix, row, row + w, bg);
                    continue;
                }
                int ty = Math.floorMod(y0 + r * px + dy, t);
                for (int c = 0; c < cols; c++) {
                    int cx = c * px;
                    if (maj[c] < 0) {
                        java.util.Arrays.fill(pix, row + cx, row + w, bg);
                        break;
                    }
                    int cut = split(second[r][c], share[r][c], inner) ? Math.max(1, Math.round(inner * share[r][c]))
                            : inner;
                    System.arraycopy(strips[maj[c]][ty], cx, pix, row + cx, cut);
                    if (cut < inner) {
                        System.arraycopy(strips[second[r][c]][ty], cx + cut, pix, row + cx + cut, inner - cut);
                    }
                    if (inner < px) {
                        pix[row + cx + inner] = bg;
                    }
                }
            }
        }
        g.drawImage(img.getSubimage(0, 0, w, h), x0, y0, null);
    }

    /** A mixed cell is drawn split in two when its majority is under 90% and the cell is big enough. */
    private static boolean split(byte second, float share, int inner) {
        return second >= 0 && share < 0.9f && inner >= 4;
    }

    private static void paintRanges(Graphics2D g, java.util.List<long[]> ranges, GridLayout l, Color c, float width,
                                    long top, long bottom) {
        if (ranges == null || ranges.isEmpty()) {
            return;
        }
        Stroke old = g.getStroke();
        g.setStroke(new BasicStroke(width));
        g.setColor(c);
        for (long[] r : ranges) {
            for (Rectangle rect : l.rowSpans(r[0], r[1])) {
                if (rect.y + rect.height < top || rect.y > bottom) {
                    continue;
                }
                g.drawRect(rect.x, rect.y, rect.width - 1, rect.height - 1);
            }
        }
        g.setStroke(old);
    }

    private static void paintGlow(Graphics2D g, GridSnapshot s, long top, long bottom) {
        if (s.glow() == null || s.glow().isEmpty()) {
            return;
        }
        Palette p = s.palette();
        Color hl = p.highlight();
        g.setColor(new Color(hl.getRed(), hl.getGreen(), hl.getBlue(), 150));
        for (long[] r : s.glow()) {
            for (Rectangle rect : s.layout().rowSpans(r[0], r[1])) {
                if (rect.y + rect.height >= top && rect.y <= bottom) {
                    g.fillRect(rect.x, rect.y, rect.width, rect.height);
                }
            }
        }
        paintRanges(g, s.glow(), s.layout(), p.isDark() ? hl : Patterns.mix(hl, Color.BLACK, 0.45f), 2.5f * p.strokeScale(), top,
                bottom);
    }

    private static void paintPoison(Graphics2D g, GridSnapshot s, long top, long bottom) {
        long[] pfns = s.poisoned();
        GridLayout l = s.layout();
        Palette p = s.palette();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (long pfn : pfns) {
            GridLayout.Cell c = l.cellOf(pfn);
            if (c == null) {
                continue;
            }
            Rectangle r = l.rectOf(c);
            if (r.y + r.height < top || r.y > bottom) {
                continue;
            }
            drawPoisonMark(g, r, p, pfn == s.pulsePfn() ? s.pulse() : 0f);
        }
        if (s.pulsePfn() >= 0 && Arrays.binarySearch(pfns, s.pulsePfn()) < 0) {
            GridLayout.Cell c = l.cellOf(s.pulsePfn());
            if (c != null) {
                drawPulse(g, l.rectOf(c), p, s.pulse());
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    }

    /** A ring that grows and fades around the page the failure started at (before it is marked HWPoison). */
    private static void drawPulse(Graphics2D g, Rectangle r, Palette p, float pulse) {
        int m = Math.max(r.width, 8);
        int cx = r.x + r.width / 2;
        int cy = r.y + r.height / 2;
        int rad = (int) (m * (0.6f + 1.6f * pulse));
        int alpha = (int) (220 * (1f - pulse));
        g.setColor(new Color(p.poison().getRed(), p.poison().getGreen(), p.poison().getBlue(), Math.max(0, alpha)));
        g.setStroke(new BasicStroke(2.5f * p.strokeScale()));
        g.drawOval(cx - rad, cy - rad, 2 * rad, 2 * rad);
        g.setColor(p.poison());
        g.drawRect(r.x, r.y, r.width - 1, r.height - 1);
    }

    /** The poison glyph: a vermillion cell with a ✕, and a ring that grows while it pulses. */
    private static void drawPoisonMark(Graphics2D g, Rectangle r, Palette p, float pulse) {
        int m = Math.max(r.width, 8);
        int cx = r.x + r.width / 2;
        int cy = r.y + r.height / 2;
        if (pulse > 0f) {
            drawPulse(g, r, p, pulse);
        }
        g.setColor(p.poison());
        g.fillRect(cx - m / 2, cy - m / 2, m, m);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(Math.max(1.5f, m / 6f)));
        int d = m / 2 - Math.max(2, m / 5);
        g.drawLine(cx - d, cy - d, cx + d, cy + d);
        g.drawLine(cx - d, cy + d, cx + d, cy - d);
    }

    private static void paintSelection(Graphics2D g, GridSnapshot s) {
        if (s.selected() < 0) {
            return;
        }
        GridLayout.Cell c = s.layout().cellOf(s.selected());
        if (c == null) {
            return;
        }
        Rectangle r = s.layout().rectOf(c);
        Palette p = s.palette();
        g.setStroke(new BasicStroke(2f * p.strokeScale()));
        g.setColor(p.background());
        g.drawRect(r.x - 3, r.y - 3, r.width + 5, r.height + 5);
        g.setColor(p.selection());
        g.drawRect(r.x - 2, r.y - 2, r.width + 3, r.height + 3);
    }
}
