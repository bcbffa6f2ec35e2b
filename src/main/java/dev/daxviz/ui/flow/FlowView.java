package dev.daxviz.ui.flow;

import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;

/** The blast diagram on screen; drawing is {@link FlowPainter}'s. */
public final class FlowView extends JComponent {
    private static final long serialVersionUID = 1L;
    private transient FlowModel model;
    private transient Palette palette = Palette.LIGHT;

    public FlowView() {
        setName("flow");
    }

    public void show(FlowModel m, Palette p) {
        model = m;
        palette = p;
        int rows = m == null ? 1 : Math.max(m.owners().size(), m.processes().size());
        setPreferredSize(new Dimension(420, Math.round((60 + rows * 44 + 40) * p.fontScale())));
        revalidate();
        repaint();
    }

    public FlowModel model() {
        return model;
    }

    @Override
    protected void paintComponent(Graphics g) {
        FlowPainter.paint((Graphics2D) g, new Rectangle(0, 0, getWidth(), getHeight()), model, palette);
    }
}
