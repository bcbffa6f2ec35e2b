package dev.daxviz.ui.charts;

import dev.daxviz.ui.Session;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.theme.Palette;
import org.jfree.chart.JFreeChart;

import javax.swing.JComponent;
import javax.swing.Scrollable;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Charts tab: {@link ChartsPainter} into the panel's width (one column when narrow, so it scrolls). The charts
 * are rebuilt only when the world, the event on screen or the palette changes, and only when painted.
 */
public final class ChartsPanel extends JComponent implements Scrollable {
    private static final long serialVersionUID = 1L;
    private transient Palette palette = Palette.LIGHT;
    private transient Session.State state;
    private transient PlaybackSnapshot snap;
    private transient DeviceSummary summary;
    private transient Supplier<BlastSnapshot> blast = () -> null;
    private transient Object key;
    private transient ChartsPainter.Snapshot built;
    private transient List<JFreeChart> charts;

    public ChartsPanel() {
        setName("charts");
    }

    public void setPalette(Palette p) {
        palette = p;
        revalidate();
        repaint();
    }

    /** What to chart: a state at one instant, the device summary the grid uses, and where the strip comes from. */
    public void show(Session.State st, PlaybackSnapshot s, DeviceSummary sum, Supplier<BlastSnapshot> strip) {
        state = st;
        snap = s;
        summary = sum;
        blast = strip;
        repaint();
    }

    /** The snapshot painted now (built on demand). */
    public ChartsPainter.Snapshot snapshot() {
        if (state == null || snap == null) {
            return null;
        }
        Object k = List.of(System.identityHashCode(snap.world()), snap.eventIndex(), palette.name(),
                System.identityHashCode(state));
        if (!Objects.equals(k, key) || built == null) {
            ChartData d = ChartData.of(state, snap, summary);
            built = new ChartsPainter.Snapshot(d, null, palette, null);
            charts = ChartsPainter.charts(built);
            key = k;
        }
        return new ChartsPainter.Snapshot(built.data(), blast.get(), palette, null);
    }

    @Override
    public Dimension getPreferredSize() {
        int w = Math.max(300, getParent() == null ? 600 : getParent().getWidth());
        return new Dimension(w, ChartsPainter.preferredHeight(w, palette));
    }

    @Override
    protected void paintComponent(Graphics g) {
        ChartsPainter.Snapshot s = snapshot();
        if (s == null) {
            g.setColor(palette.panel());
            g.fillRect(0, 0, getWidth(), getHeight());
            return;
        }
        ChartsPainter.paint((Graphics2D) g, new Rectangle(0, 0, getWidth(), getHeight()), s, charts);
    }

    @Override
    public Dimension getPreferredScrollableViewportSize() {
        return new Dimension(440, 400);
    }

    @Override
    public int getScrollableUnitIncrement(Rectangle visibleRect, int orientation, int direction) {
        return 24;
    }

    @Override
    public int getScrollableBlockIncrement(Rectangle visibleRect, int orientation, int direction) {
        return Math.max(24, visibleRect.height - 24);
    }

    @Override
    public boolean getScrollableTracksViewportWidth() {
        return true;
    }

    @Override
    public boolean getScrollableTracksViewportHeight() {
        return false;
    }
}
