package dev.daxviz.ui;

import dev.daxviz.ui.grid.LegendPainter;
import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;

/** The always-visible legend under the grid. */
public final class LegendPanel extends JComponent {
    private static final long serialVersionUID = 1L;
    private transient Palette palette = Palette.LIGHT;
    private String zoom = "";

    public LegendPanel() {
        setName("legend");
    }

    public void setPalette(Palette p) {
        palette = p;
        revalidate();
        repaint();
    }

    public void setZoomText(String z) {
        zoom = z;
        repaint();
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(600, Math.round(26 * palette.fontScale()));
    }

    @Override
    protected void paintComponent(Graphics g) {
        LegendPainter.paint((Graphics2D) g, new Rectangle(0, 0, getWidth(), getHeight()), palette, zoom);
    }
}
