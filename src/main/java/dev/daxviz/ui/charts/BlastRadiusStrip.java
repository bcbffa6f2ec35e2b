package dev.daxviz.ui.charts;

import dev.daxviz.model.World;
import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import javax.swing.SwingUtilities;
import javax.swing.ToolTipManager;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.function.LongConsumer;

/**
 * The blast-radius strip under the page grid. It owns no drawing ({@link BlastRadiusPainter} does it) and computes
 * the {@link BlastRadius} of the shown world once per world. A tooltip describes the region under the mouse; a click
 * reports the page there a poison would hurt most (or the region's first page).
 */
public final class BlastRadiusStrip extends JComponent {
    private static final long serialVersionUID = 1L;
    private transient Palette palette = Palette.LIGHT;
    private transient World world;
    private transient BlastRadius radius;
    private long selected = -1;
    private long viewFrom = -1;
    private long viewTo = -1;
    private transient LongConsumer onPick = pfn -> { };

    public BlastRadiusStrip() {
        setName("blastRadius");
        ToolTipManager.sharedInstance().registerComponent(this);
        addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                BlastRadius r = radius();
                int k = r == null ? -1 : BlastRadiusPainter.regionAt(plot(), r, e.getX());
                if (k >= 0 && SwingUtilities.isLeftMouseButton(e)) {
                    long pfn = r.worstPfn(k) >= 0 ? r.worstPfn(k) : r.regionFirstPfn(k);
                    onPick.accept(pfn);
                }
            }
        });
    }

    public void setPalette(Palette p) {
        palette = p;
        revalidate();
        repaint();
    }

    /** The world whose reach to show; the radius is recomputed only when the world changes. */
    public void setWorld(World w) {
        if (w != world) {
            world = w;
            radius = null;
            repaint();
        }
    }

    public void setSelected(long pfn) {
        selected = pfn;
        repaint();
    }

    /** The stretch the grid shows, bracketed on the strip. */
    public void setView(long from, long to) {
        if (from != viewFrom || to != viewTo) {
            viewFrom = from;
            viewTo = to;
            repaint();
        }
    }

    public void onPick(LongConsumer c) {
        onPick = c;
    }

    /** The radius of the shown world (computed on first use). */
    public BlastRadius radius() {
        if (radius == null && world != null) {
            radius = BlastRadius.of(world);
        }
        return radius;
    }

    public BlastSnapshot snapshot() {
        BlastRadius r = radius();
        return r == null ? null : new BlastSnapshot(r, palette, selected, viewFrom, viewTo);
    }

    private Rectangle plot() {
        return BlastRadiusPainter.plotBounds(new Rectangle(0, 0, getWidth(), getHeight()), palette);
    }

    @Override
    public String getToolTipText(MouseEvent e) {
        BlastRadius r = radius();
        int k = r == null ? -1 : BlastRadiusPainter.regionAt(plot(), r, e.getX());
        return k < 0 ? "<html>Blast radius: for each stretch of the device, the files (above) and processes (below) "
                + "a poison there would reach.<br>Pale: everything in the stretch; solid: the worst single page. "
                + "Tinted: metadata, a poison there shuts the filesystem down.</html>"
                : "<html>" + r.describe(k).replace("&", "&amp;").replace("<", "&lt;") + "<br>Click to select the page "
                + "a poison would hurt most here.</html>";
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(600, Math.round(46 * palette.fontScale()));
    }

    @Override
    protected void paintComponent(Graphics g) {
        BlastSnapshot s = snapshot();
        if (s == null) {
            g.setColor(palette.panel());
            g.fillRect(0, 0, getWidth(), getHeight());
            return;
        }
        BlastRadiusPainter.paint((Graphics2D) g, new Rectangle(0, 0, getWidth(), getHeight()), s);
    }
}
