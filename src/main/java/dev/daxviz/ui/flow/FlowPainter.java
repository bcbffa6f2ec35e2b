package dev.daxviz.ui.flow;

import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;

/**
 * Draws the blast diagram: the poisoned page on the left, arrows to the owners the kernel found, arrows from each
 * file to the processes that map it, each with its kill setting, and AR/AO badges and a struck-out name once
 * signalled and killed. Owners not reached yet are drawn faint; a shutdown or oops shows as a banner below.
 */
public final class FlowPainter {
    private FlowPainter() {
    }

    public static void paint(Graphics2D g0, Rectangle b, FlowModel m, Palette p) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(p.panel());
            g.fillRect(b.x, b.y, b.width, b.height);
            float s = p.fontScale();
            if (m == null || m.pageLabel() == null) {
                g.setColor(p.mutedText());
                g.setFont(Fonts.ui(13f * s));
                g.drawString("No failure yet: poison a page (P) or press Play to see who it reaches.", b.x + 12,
                        b.y + 28);
                return;
            }
            g.setFont(Fonts.ui(12f * s));
            FontMetrics fm = g.getFontMetrics();
            int rowH = Math.round(44 * s);
            int colW = (b.width - 40) / 3;
            int x0 = b.x + 12;
            int x1 = x0 + colW + 8;
            int x2 = x1 + colW + 8;
            int boxW = colW - 12;
            int top = b.y + Math.round(30 * s);
            g.setFont(Fonts.uiBold(11.5f * s));
            g.setColor(p.mutedText());
            g.drawString("poisoned page", x0, top - 10);
            g.drawString("owners (reverse map)", x1, top - 10);
            g.drawString("processes mapping them", x2, top - 10);
            int n = Math.max(1, Math.max(m.owners().size(), m.processes().size()));
            Rectangle page = new Rectangle(x0, top + (n - 1) * rowH / 2, boxW, rowH - 10);
            box(g, page, p.poison(), Color.WHITE, "× " + m.pageLabel(), null, p, s, true);
            Rectangle[] owners = new Rectangle[m.owners().size()];
            for (int i = 0; i < owners.length; i++) {
                FlowModel.OwnerNode o = m.owners().get(i);
                owners[i] = new Rectangle(x1, top + i * rowH, boxW, rowH - 10);
                Color fill = !o.found() ? p.background() : o.file() ? (o.shared() ? p.shared() : p.data()) : p.metadata();
                Color text = !o.found() ? p.mutedText() : Color.WHITE;
                if (o.found()) {
                    arrow(g, page.x + page.width, page.y + page.height / 2, owners[i].x, owners[i].y + owners[i].height / 2,
                            p.text(), s);
                }
                box(g, owners[i], fill, o.file() && o.shared() && o.found() ? Color.BLACK : text, o.label(), o.detail(),
                        p, s, o.found());
            }
            for (int i = 0; i < m.processes().size(); i++) {
                FlowModel.ProcNode pr = m.processes().get(i);
                Rectangle r = new Rectangle(x2, top + i * rowH, boxW, rowH - 10);
                for (int[] e : m.edges()) {
                    if (e[1] == i && m.owners().get(e[0]).found()) {
                        arrow(g, owners[e[0]].x + owners[e[0]].width, owners[e[0]].y + owners[e[0]].height / 2, r.x,
                                r.y + r.height / 2, pr.signal() != null ? p.poison() : p.gridLine(), s);
                    }
                }
                String note = pr.note() + (pr.touched() ? "" : " · page not touched");
                box(g, r, pr.killed() ? p.banner() : p.background(), p.text(), (pr.killed() ? "† " : "") + pr.label(),
                        note, p, s, true);
                if (pr.signal() != null) {
                    g.setFont(Fonts.uiBold(11f * s));
                    int bw = g.getFontMetrics().stringWidth(pr.signal()) + 10;
                    g.setColor(p.poison());
                    g.fillRoundRect(r.x + r.width - bw - 4, r.y + 4, bw, Math.round(16 * s), 6, 6);
                    g.setColor(Color.WHITE);
                    g.drawString(pr.signal(), r.x + r.width - bw + 1, r.y + 4 + Math.round(12 * s));
                }
            }
            int bottom = top + n * rowH + 6;
            String banner = m.oops() != null ? m.oops() : m.shutdown();
            if (banner != null) {
                g.setFont(Fonts.uiBold(12.5f * s));
                g.setColor(p.banner());
                g.fillRoundRect(x0, bottom, b.width - 24, Math.round(26 * s), 8, 8);
                g.setColor(p.bannerText());
                g.drawString("⚠ " + banner, x0 + 8, bottom + Math.round(18 * s));
            }
        } finally {
            g.dispose();
        }
    }

    private static void box(Graphics2D g, Rectangle r, Color fill, Color text, String title, String detail, Palette p,
                            float s, boolean solid) {
        g.setColor(fill);
        g.fillRoundRect(r.x, r.y, r.width, r.height, 10, 10);
        g.setStroke(solid ? new BasicStroke(1.2f * p.strokeScale()) : new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        g.setColor(solid ? p.text() : p.gridLine());
        g.drawRoundRect(r.x, r.y, r.width, r.height, 10, 10);
        g.setColor(text);
        g.setFont(Fonts.uiBold(12f * s));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(clip(fm, title, r.width - 12), r.x + 6, r.y + fm.getAscent() + 3);
        if (detail != null) {
            g.setFont(Fonts.ui(11f * s));
            FontMetrics fd = g.getFontMetrics();
            g.drawString(clip(fd, detail, r.width - 12), r.x + 6, r.y + fm.getHeight() + fd.getAscent() + 2);
        }
    }

    private static void arrow(Graphics2D g, int xa, int ya, int xb, int yb, Color c, float s) {
        g.setColor(c);
        g.setStroke(new BasicStroke(1.6f * s));
        Path2D path = new Path2D.Double();
        path.moveTo(xa, ya);
        int mid = (xa + xb) / 2;
        path.curveTo(mid, ya, mid, yb, xb - 6, yb);
        g.draw(path);
        int h = Math.round(6 * s);
        g.fillPolygon(new int[] {xb, xb - h, xb - h}, new int[] {yb, yb - h / 2 - 1, yb + h / 2 + 1}, 3);
    }

    private static String clip(FontMetrics fm, String t, int w) {
        if (fm.stringWidth(t) <= w) {
            return t;
        }
        String c = t;
        while (c.length() > 1 && fm.stringWidth(c + "…") > w) {
            c = c.substring(0, c.length() - 1);
        }
        return c + "…";
    }
}
