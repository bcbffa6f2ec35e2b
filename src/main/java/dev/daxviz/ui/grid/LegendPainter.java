package dev.daxviz.ui.grid;

import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;

/** Draws the legend: a swatch with its pattern for each page class, the poison glyph, and the zoom. */
public final class LegendPainter {
    private LegendPainter() {
    }

    public static void paint(Graphics2D g0, Rectangle b, Palette p, String zoom) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(p.panel());
            g.fillRect(b.x, b.y, b.width, b.height);
            g.setFont(Fonts.ui(11.5f * p.fontScale()));
            FontMetrics fm = g.getFontMetrics();
            int sw = Math.round(12 * p.fontScale());
            int x = b.x + 10;
            int y = b.y + (b.height - sw) / 2;
            PageClass[] order = {PageClass.DATA, PageClass.SHARED, PageClass.METADATA, PageClass.LOG, PageClass.FREE,
                PageClass.RESERVE};
            for (PageClass c : order) {
                g.setPaint(Patterns.paint(p, c));
                g.fillRect(x, y, sw, sw);
                g.setColor(p.gridLine());
                g.drawRect(x, y, sw, sw);
                g.setColor(p.text());
                String label = switch (c) {
                    case SHARED -> "shared (reflink)";
                    case METADATA -> "metadata";
                    case LOG -> "log";
                    case FREE -> "free";
                    case RESERVE -> "reserve";
                    default -> "data";
                };
                g.drawString(label, x + sw + 5, y + sw - 2);
                x += sw + 5 + fm.stringWidth(label) + 14;
            }
            g.setColor(p.poison());
            g.fillRect(x, y, sw, sw);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(x + 3, y + 3, x + sw - 3, y + sw - 3);
            g.drawLine(x + 3, y + sw - 3, x + sw - 3, y + 3);
            g.setColor(p.text());
            g.drawString("HWPoison", x + sw + 5, y + sw - 2);
            x += sw + 5 + fm.stringWidth("HWPoison") + 14;
            g.setColor(p.selection());
            g.drawRect(x, y, sw, sw);
            g.setColor(p.text());
            g.drawString("selected", x + sw + 5, y + sw - 2);
            if (zoom != null && !zoom.isEmpty()) {
                g.setColor(p.mutedText());
                g.drawString(zoom, b.x + b.width - fm.stringWidth(zoom) - 10, y + sw - 2);
            }
        } finally {
            g.dispose();
        }
    }
}
