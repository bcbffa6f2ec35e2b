package dev.daxviz.ui;

import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.World;
import dev.daxviz.ui.btree.BtreePainter;
import dev.daxviz.ui.btree.BtreeSnapshot;
import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.Set;

/** The rmap btree of one AG on screen; all drawing is {@link BtreePainter}'s. */
public final class BtreeView extends JComponent {
    private static final long serialVersionUID = 1L;
    private transient BtreeSnapshot snapshot;
    private transient Palette palette = Palette.LIGHT;
    private transient java.util.Map<Long, String> names = java.util.Map.of();
    private transient Object namesFor;

    public BtreeView() {
        setName("btree");
    }

    public void setPalette(Palette p) {
        palette = p;
        repaint();
    }

    public void show(World w, int agno, Set<String> visited, String current, Set<RmapRecord> matched) {
        if (w == null || !w.hasFs() || agno < 0 || agno >= w.fs().ags().size()) {
            snapshot = null;
        } else {
            if (namesFor != w.fs().inodes()) {
                // built once per set of inodes, not per frame: a big world has 100,000 files
                java.util.Map<Long, String> n = new java.util.HashMap<>();
                w.fs().inodes().values().forEach(i -> n.put(i.ino(), i.path()));
                names = n;
                namesFor = w.fs().inodes();
            }
            snapshot = new BtreeSnapshot(agno, w.fs().ag(agno).rmap(), palette, visited, current, matched, names);
        }
        repaint();
    }

    public BtreeSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(420, 300);
    }

    @Override
    protected void paintComponent(Graphics g) {
        g.setColor(palette.panel());
        g.fillRect(0, 0, getWidth(), getHeight());
        if (snapshot == null) {
            g.setColor(palette.mutedText());
            g.drawString("No reverse map here (no filesystem, or a page outside the AGs).", 10, 20);
            return;
        }
        BtreeSnapshot s = new BtreeSnapshot(snapshot.agno(), snapshot.tree(), palette, snapshot.visited(),
                snapshot.current(), snapshot.matched(), snapshot.ownerNames());
        BtreePainter.paint((Graphics2D) g, new Rectangle(0, 0, getWidth(), getHeight()), s);
    }
}
