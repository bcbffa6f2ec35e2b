package dev.daxviz.ui.btree;

import dev.daxviz.model.RmapBtree;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws one AG's rmap btree as boxes: the root on top, its children below, and (where the tree is big) only the
 * path the query took plus its siblings' counts. A leaf on the path shows its records around the matches, the
 * matched ones marked with ✓ and a highlight; blocks the query read are outlined.
 */
public final class BtreePainter {
    private static final int MAX_SHOWN_RECORDS = 9;

    private BtreePainter() {
    }

    public static void paint(Graphics2D g0, Rectangle b, BtreeSnapshot s) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Palette p = s.palette();
            g.setColor(p.panel());
            g.fillRect(b.x, b.y, b.width, b.height);
            Font title = Fonts.uiBold(12f * p.fontScale());
            g.setFont(title);
            g.setColor(p.text());
            RmapBtree t = s.tree();
            String head = "rmap btree, AG " + s.agno() + " — " + t.size() + " records, " + t.height() + " level"
                    + (t.height() == 1 ? "" : "s") + " (168 records per leaf, 91 keys per node)";
            g.drawString(head, b.x + 8, b.y + g.getFontMetrics().getAscent() + 4);
            if (t.root() == null) {
                return;
            }
            int y = b.y + 26 + Math.round(8 * p.fontScale());
            // the path to draw: from the root down, following the current/visited/matched block
            List<int[]> path = pathToShow(s);
            RmapBtree.Node n = t.root();
            int[] prefix = new int[0];
            int levelH = Math.round(46 * p.fontScale());
            for (int depth = 0; n != null; depth++) {
                if (n.isLeaf()) {
                    drawLeaf(g, b, y, n, name(prefix), s);
                    break;
                }
                int chosen = depth < path.size() ? path.get(depth)[0] : 0;
                drawNode(g, b, y, n, prefix, chosen, s);
                int[] next = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                next[prefix.length] = chosen;
                prefix = next;
                n = n.children().get(chosen);
                y += levelH;
            }
        } finally {
            g.dispose();
        }
    }

    /** Child indices to follow: the current block's path, else the first visited leaf's, else the first matched. */
    private static List<int[]> pathToShow(BtreeSnapshot s) {
        String target = s.current();
        if (target == null) {
            target = s.visited().stream().filter(v -> depthOf(v) == s.tree().height() - 1).sorted().findFirst()
                    .orElse(s.visited().stream().max(java.util.Comparator.comparingInt(BtreePainter::depthOf)).orElse(null));
        }
        if (target == null && !s.matched().isEmpty()) {
            target = leafOf(s.tree(), s.matched().iterator().next());
        }
        List<int[]> out = new ArrayList<>();
        if (target != null && !target.equals("root")) {
            for (String part : target.substring(5).split("\\.")) {
                if (!part.isEmpty()) {
                    out.add(new int[] {Integer.parseInt(part)});
                }
            }
        }
        return out;
    }

    private static int depthOf(String name) {
        return name.equals("root") ? 0 : name.split("\\.").length - 1;
    }

    /** The name of the leaf holding a record. */
    static String leafOf(RmapBtree t, RmapRecord r) {
        RmapBtree.Node n = t.root();
        StringBuilder b = new StringBuilder("root");
        while (n != null && !n.isLeaf()) {
            int ci = 0;
            List<RmapBtree.Node> kids = n.children();
            for (int i = 0; i < kids.size(); i++) {
                if (kids.get(i).lowKey().compareTo(r) <= 0) {
                    ci = i;
                }
            }
            b.append('.').append(ci);
            n = kids.get(ci);
        }
        return b.toString();
    }

    private static String name(int[] prefix) {
        StringBuilder b = new StringBuilder("root");
        for (int i : prefix) {
            b.append('.').append(i);
        }
        return b.toString();
    }

    private static void drawNode(Graphics2D g, Rectangle b, int y, RmapBtree.Node n, int[] prefix, int chosen,
                                 BtreeSnapshot s) {
        Palette p = s.palette();
        Font f = Fonts.mono(10.5f * p.fontScale());
        g.setFont(f);
        FontMetrics fm = g.getFontMetrics();
        int kids = n.children().size();
        int shown = Math.min(kids, 7);
        int first = Math.max(0, Math.min(chosen - shown / 2, kids - shown));
        int boxW = Math.max(60, (b.width - 16) / (shown + (kids > shown ? 1 : 0)) - 4);
        int h = fm.getHeight() * 2 + 6;
        String nodeName = name(prefix);
        int x = b.x + 8;
        g.setColor(p.mutedText());
        g.drawString(nodeName.equals("root") ? "root (level " + n.level() + ")" : "level " + n.level(), x, y - 3);
        for (int i = first; i < first + shown; i++) {
            RmapBtree.Node c = n.children().get(i);
            String childName = nodeName + "." + i;
            boolean followed = s.visited().contains(childName) || childName.equals(s.current());
            Rectangle r = new Rectangle(x, y, boxW, h);
            g.setColor(followed ? blend(p.panel(), p.highlight(), 0.55f) : p.background());
            g.fillRoundRect(r.x, r.y, r.width, r.height, 6, 6);
            g.setColor(followed ? p.selection() : p.gridLine());
            g.setStroke(new BasicStroke((followed ? 2f : 1f) * p.strokeScale()));
            g.drawRoundRect(r.x, r.y, r.width, r.height, 6, 6);
            g.setColor(p.text());
            String k1 = "≥ " + c.lowKey().startblock();
            String k2 = "≤ " + c.highBlock() + " · " + c.recordCount() + "r";
            g.drawString(clip(fm, k1, boxW - 6), r.x + 4, r.y + fm.getAscent() + 2);
            g.drawString(clip(fm, k2, boxW - 6), r.x + 4, r.y + fm.getAscent() + fm.getHeight() + 2);
            x += boxW + 4;
        }
        if (kids > shown) {
            g.setColor(p.mutedText());
            g.drawString("… " + (kids - shown) + " more", x, y + h / 2 + fm.getAscent() / 2);
        }
    }

    private static void drawLeaf(Graphics2D g, Rectangle b, int y, RmapBtree.Node leaf, String leafName, BtreeSnapshot s) {
        Palette p = s.palette();
        Font f = Fonts.mono(11f * p.fontScale());
        g.setFont(f);
        FontMetrics fm = g.getFontMetrics();
        List<RmapRecord> recs = leaf.records();
        int firstMatch = -1;
        for (int i = 0; i < recs.size(); i++) {
            if (s.matched().contains(recs.get(i))) {
                firstMatch = i;
                break;
            }
        }
        int from = Math.max(0, Math.min((firstMatch < 0 ? 0 : firstMatch) - 2, recs.size() - MAX_SHOWN_RECORDS));
        int to = Math.min(recs.size(), from + MAX_SHOWN_RECORDS);
        boolean read = s.visited().contains(leafName) || leafName.equals(s.current());
        int rowH = fm.getHeight() + 2;
        int h = (to - from) * rowH + fm.getHeight() + 10;
        Rectangle r = new Rectangle(b.x + 8, y, b.width - 16, h);
        g.setColor(p.background());
        g.fillRoundRect(r.x, r.y, r.width, r.height, 8, 8);
        g.setColor(read ? p.selection() : p.gridLine());
        g.setStroke(new BasicStroke((read ? 2f : 1f) * p.strokeScale()));
        g.drawRoundRect(r.x, r.y, r.width, r.height, 8, 8);
        g.setColor(p.mutedText());
        g.drawString("leaf " + leafName + " · " + recs.size() + " records" + (from > 0 ? " · … " + from + " above" : "")
                + (to < recs.size() ? " · " + (recs.size() - to) + " below" : ""), r.x + 6, r.y + fm.getAscent() + 3);
        int ry = r.y + fm.getHeight() + 6;
        for (int i = from; i < to; i++) {
            RmapRecord rec = recs.get(i);
            boolean hit = s.matched().contains(rec);
            if (hit) {
                g.setColor(blend(p.background(), p.highlight(), 0.7f));
                g.fillRect(r.x + 3, ry - 1, r.width - 6, rowH);
            }
            g.setColor(p.text());
            String owner = rec.isInodeOwner() ? "ino " + rec.owner() + ownerName(s, rec) : rec.ownerLabel();
            String line = (hit ? "✓ " : "  ") + String.format("%7d +%-6d %s off %d%s%s", rec.startblock(),
                    rec.blockcount(), owner, rec.offset(), rec.attrFork() ? " attr" : "", rec.bmbtBlock() ? " bmbt" : "");
            g.drawString(clip(fm, line, r.width - 12), r.x + 6, ry + fm.getAscent());
            ry += rowH;
        }
    }

    private static String ownerName(BtreeSnapshot s, RmapRecord r) {
        String n = s.ownerNames() == null ? null : s.ownerNames().get(r.owner());
        return n == null ? "" : " " + n;
    }

    private static String clip(FontMetrics fm, String s, int w) {
        if (fm.stringWidth(s) <= w) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > w) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }

    static Color blend(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }
}
