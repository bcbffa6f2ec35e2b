package dev.daxviz.ui.grid;

import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import javax.swing.JScrollBar;
import javax.swing.SwingUtilities;
import javax.swing.ToolTipManager;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The page grid on screen: it owns only view state (zoom, scroll, hover) and paints through {@link GridPainter}.
 * Zoom with the wheel or +/−, pan with the scroll bar or by dragging. Clicks report a pfn; what a click means
 * (select or poison) is the window's business.
 */
public final class PageGrid extends JComponent {
    private static final long serialVersionUID = 1L;
    private static final int MIN_PX = 5;
    private static final int MAX_PX = 28;

    private transient DeviceSummary summary;
    private transient Palette palette = Palette.LIGHT;
    private long pagesPerCell = 1;
    private int cellPx = 14;
    private long scrollY;
    private long[] poisoned = new long[0];
    private long selected = -1;
    private transient List<long[]> highlights = List.of();
    private transient List<long[]> glow = List.of();
    private long pulsePfn = -1;
    private float pulse;
    private transient GridLayout layout;
    private final JScrollBar bar = new JScrollBar(JScrollBar.VERTICAL);
    private transient LongConsumer onClick = pfn -> { };
    private transient LongConsumer onContext = pfn -> { };
    private transient LongFunction<String> tooltips = pfn -> null;
    private transient Point dragFrom;
    private long dragScroll;

    public PageGrid() {
        setLayout(null);
        add(bar);
        bar.addAdjustmentListener(e -> {
            if (scrollY != e.getValue()) {
                scrollY = e.getValue();
                repaint();
            }
        });
        setFocusable(true);
        ToolTipManager.sharedInstance().registerComponent(this);
        MouseAdapter m = new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                requestFocusInWindow();
                dragFrom = e.getPoint();
                dragScroll = scrollY;
                long pfn = pfnAt(e.getX(), e.getY());
                if (pfn >= 0 && (e.isPopupTrigger() || SwingUtilities.isRightMouseButton(e))) {
                    onContext.accept(pfn);
                }
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                boolean click = dragFrom != null && dragFrom.distance(e.getPoint()) < 4;
                dragFrom = null;
                setCursor(null);
                if (click && SwingUtilities.isLeftMouseButton(e)) {
                    long pfn = pfnAt(e.getX(), e.getY());
                    if (pfn >= 0) {
                        onClick.accept(pfn);
                    }
                }
            }

            @Override
            public void mouseDragged(MouseEvent e) {
                if (dragFrom != null && dragFrom.distance(e.getPoint()) >= 4) {
                    setCursor(java.awt.Cursor.getPredefinedCursor(java.awt.Cursor.MOVE_CURSOR));
                    scrollTo(dragScroll - (e.getY() - dragFrom.y));
                }
            }

            @Override
            public void mouseWheelMoved(MouseWheelEvent e) {
                if (e.isControlDown() || e.isShiftDown()) {
                    scrollTo(scrollY + (long) (e.getPreciseWheelRotation() * cellPx * 3));
                } else {
                    zoomAt(e.getPreciseWheelRotation() < 0 ? 1 : -1, e.getY());
                }
            }
        };
        addMouseListener(m);
        addMouseMotionListener(m);
        addMouseWheelListener(m);
    }

    public void setSummary(DeviceSummary s) {
        this.summary = s;
        relayout();
    }

    public DeviceSummary summary() {
        return summary;
    }

    public void setPalette(Palette p) {
        if (this.palette != p) {
            cellPx = Math.max(MIN_PX, Math.min(MAX_PX, Math.round(cellPx / this.palette.fontScale() * p.fontScale())));
        }
        this.palette = p;
        relayout();
    }

    public void setPoisoned(long[] pfns) {
        this.poisoned = pfns.clone();
        repaint();
    }

    public void setSelected(long pfn) {
        this.selected = pfn;
        repaint();
    }

    public long selected() {
        return selected;
    }

    public void setHighlights(List<long[]> ranges) {
        this.highlights = List.copyOf(ranges);
        repaint();
    }

    public void setGlow(List<long[]> ranges, long pulsePfn, float pulse) {
        this.glow = List.copyOf(ranges);
        this.pulsePfn = pulsePfn;
        this.pulse = pulse;
        repaint();
    }

    public void onClick(LongConsumer c) {
        onClick = c;
    }

    public void onContextMenu(LongConsumer c) {
        onContext = c;
    }

    public void tooltips(LongFunction<String> f) {
        tooltips = f;
    }

    public long pagesPerCell() {
        return pagesPerCell;
    }

    public int cellPx() {
        return cellPx;
    }

    public GridLayout layoutNow() {
        return layout;
    }

    /** Zoom in (+1) or out (−1) one notch, keeping the row under {@code anchorY} in place. */
    public void zoomAt(int dir, int anchorY) {
        if (layout == null) {
            return;
        }
        long anchorPfn = pfnNear(anchorY);
        long oldPpc = pagesPerCell;
        int oldPx = cellPx;
        if (dir > 0) {
            if (cellPx < MAX_PX) {
                cellPx = Math.min(MAX_PX, cellPx + Math.max(1, cellPx / 5));
            } else if (pagesPerCell > 1) {
                pagesPerCell /= 2;
                cellPx = MAX_PX * 2 / 3;
            }
        } else {
            if (cellPx > MIN_PX + 3 || pagesPerCell >= maxPagesPerCell()) {
                cellPx = Math.max(MIN_PX, cellPx - Math.max(1, cellPx / 5));
            } else {
                pagesPerCell *= 2;
                cellPx = Math.min(MAX_PX, cellPx * 3 / 2);
            }
        }
        if (oldPpc == pagesPerCell && oldPx == cellPx) {
            return;
        }
        relayout();
        if (anchorPfn >= 0) {
            GridLayout.Cell c = layout.cellOf(anchorPfn);
            if (c != null) {
                scrollTo(layout.rectOf(c).y - anchorY);
            }
        }
        firePropertyChange("zoom", oldPpc * 1000 + oldPx, pagesPerCell * 1000 + cellPx);
    }

    /** Sets the zoom directly: {@code ppc} pages per cell of {@code px} pixels (exports repeat the window's zoom). */
    public void setZoom(long ppc, int px) {
        pagesPerCell = Math.max(1, ppc);
        cellPx = Math.max(MIN_PX, Math.min(MAX_PX, px));
        relayout();
    }

    /** Pages per cell at which the whole device fits the viewport: the overview. */
    private long maxPagesPerCell() {
        if (summary == null) {
            return 1;
        }
        long total = 0;
        for (Band b : summary.bands()) {
            total += b.pages();
        }
        long cells = Math.max(1, (long) Math.max(1, getWidth() / MIN_PX) * Math.max(1, getHeight() / MIN_PX) / 2);
        return Long.highestOneBit(Math.max(1, total / cells)) * 2;
    }

    /** Zoom out until the whole device fits. */
    public void overview() {
        if (summary == null || getWidth() <= 0) {
            return;
        }
        cellPx = 10;
        pagesPerCell = 1;
        for (int guard = 0; guard < 64; guard++) {
            relayout();
            if (layout.height() <= getHeight()) {
                break;
            }
            pagesPerCell *= 2;
        }
        scrollTo(0);
        repaint();
        firePropertyChange("zoom", -1L, pagesPerCell * 1000 + cellPx); // the zoom text follows (as zoomAt)
    }

    public void scrollTo(long y) {
        int max = layout == null ? 0 : Math.max(0, layout.height() - getHeight());
        long v = Math.max(0, Math.min(max, y));
        scrollY = v;
        bar.setValue((int) v);
        repaint();
    }

    /** Scrolls so the pfn is visible. */
    public void reveal(long pfn) {
        if (layout == null) {
            return;
        }
        GridLayout.Cell c = layout.cellOf(pfn);
        if (c == null) {
            return;
        }
        Rectangle r = layout.rectOf(c);
        if (r.y < scrollY || r.y + r.height > scrollY + getHeight()) {
            scrollTo(r.y - getHeight() / 3);
        }
    }

    /** The pfn a step of {@code rows} away from {@code pfn} (a row = one cell column move for up/down). */
    public long neighbour(long pfn, int dx, int dy) {
        if (layout == null || pfn < 0) {
            return pfn;
        }
        long step = (long) dx * pagesPerCell + (long) dy * pagesPerCell * layout.cols();
        long next = pfn + step;
        return layout.cellOf(next) != null ? next : pfn;
    }

    private long pfnNear(int y) {
        if (layout == null) {
            return -1;
        }
        GridLayout.Cell c = layout.cellAt(GridLayout.MARGIN + 1, (int) (y + scrollY));
        return c == null ? -1 : layout.firstPfn(c);
    }

    public long pfnAt(int x, int y) {
        if (layout == null) {
            return -1;
        }
        GridLayout.Cell c = layout.cellAt(x, (int) (y + scrollY));
        if (c == null) {
            return -1;
        }
        return layout.firstPfn(c);
    }

    /** Screen rectangle of the cell holding {@code pfn}, or null (for arrows and robot tests). */
    public Rectangle screenRectOf(long pfn) {
        if (layout == null) {
            return null;
        }
        GridLayout.Cell c = layout.cellOf(pfn);
        if (c == null) {
            return null;
        }
        Rectangle r = layout.rectOf(c);
        r.y -= scrollY;
        return r;
    }

    private void relayout() {
        if (summary == null) {
            return;
        }
        int w = Math.max(100, getWidth() - bar.getPreferredSize().width);
        int label = Math.round(22 * palette.fontScale());
        layout = new GridLayout(summary.bands(), pagesPerCell, cellPx, w, label);
        bar.setMaximum(Math.max(layout.height(), 1));
        bar.setVisibleAmount(Math.max(1, getHeight()));
        bar.setBlockIncrement(Math.max(1, getHeight() * 9 / 10));
        bar.setUnitIncrement(cellPx);
        scrollTo(scrollY);
        revalidate();
        repaint();
    }

    @Override
    public void doLayout() {
        int w = bar.getPreferredSize().width;
        bar.setBounds(getWidth() - w, 0, w, getHeight());
        relayout();
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(900, 600);
    }

    @Override
    public String getToolTipText(MouseEvent e) {
        long pfn = pfnAt(e.getX(), e.getY());
        return pfn < 0 ? null : tooltips.apply(pfn);
    }

    public GridSnapshot snapshot(int height) {
        return new GridSnapshot(layout, summary, palette, scrollY, poisoned, selected, highlights, glow, pulsePfn, pulse);
    }

    @Override
    protected void paintComponent(Graphics g) {
        if (layout == null) {
            g.setColor(palette.background());
            g.fillRect(0, 0, getWidth(), getHeight());
            return;
        }
        GridPainter.paint((Graphics2D) g, new Rectangle(0, 0, getWidth() - bar.getWidth(), getHeight()),
                snapshot(getHeight()));
    }

    /** Ranges of every cell of {@code pfns} helper: merges sorted pfns into [from, to) runs. */
    public static List<long[]> runsOf(long[] sortedPfns) {
        List<long[]> out = new ArrayList<>();
        for (long p : sortedPfns) {
            if (!out.isEmpty() && out.get(out.size() - 1)[1] == p) {
                out.get(out.size() - 1)[1] = p + 1;
            } else {
                out.add(new long[] {p, p + 1});
            }
        }
        return out;
    }
}
