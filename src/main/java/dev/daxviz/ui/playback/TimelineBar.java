package dev.daxviz.ui.playback;

import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.function.IntConsumer;

/**
 * The scrubber: one marker per trace step, coloured by the kernel layer of its function (mm, pmem/dax, XFS), a
 * gap between events, and the playhead. Click or drag to jump; hover to see the step.
 */
public final class TimelineBar extends JComponent {
    private static final long serialVersionUID = 1L;
    private transient Timeline timeline;
    private int step = -1;
    private float t;
    private transient Palette palette = Palette.LIGHT;
    private transient IntConsumer onSeek = i -> { };

    public TimelineBar() {
        setName("timeline");
        setToolTipText("");
        MouseAdapter m = new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                seek(e.getX());
            }

            @Override
            public void mouseDragged(MouseEvent e) {
                seek(e.getX());
            }
        };
        addMouseListener(m);
        addMouseMotionListener(m);
    }

    public void onSeek(IntConsumer c) {
        onSeek = c;
    }

    public void setTimeline(Timeline tl) {
        timeline = tl;
        repaint();
    }

    public void setPalette(Palette p) {
        palette = p;
        repaint();
    }

    public void setPosition(int step, float t) {
        this.step = step;
        this.t = t;
        repaint();
    }

    private void seek(int x) {
        int i = indexAt(x);
        if (i >= 0) {
            onSeek.accept(i);
        }
    }

    private int indexAt(int x) {
        if (timeline == null || timeline.isEmpty()) {
            return -1;
        }
        int n = timeline.size();
        float w = (getWidth() - 16f) / n;
        return Math.max(0, Math.min(n - 1, (int) ((x - 8) / w)));
    }

    @Override
    public String getToolTipText(MouseEvent e) {
        int i = indexAt(e.getX());
        if (i < 0) {
            return null;
        }
        Timeline.Entry en = timeline.get(i);
        String n = en.trace().narration();
        return "<html><b>" + (i + 1) + "/" + timeline.size() + " · " + en.trace().function() + "</b><br>"
                + (n.length() > 140 ? n.substring(0, 140) + "…" : n).replace("<", "&lt;") + "</html>";
    }

    static Color layerColour(Palette p, String function) {
        if (function.startsWith("xfs")) {
            return p.metadata();
        }
        if (function.startsWith("pmem") || function.startsWith("dax") || function.equals("kill_dax")) {
            return p.log();
        }
        if (function.contains("kill")) {
            return p.poison();
        }
        return p.data();
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(400, Math.round(30 * palette.fontScale()));
    }

    @Override
    protected void paintComponent(Graphics g0) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int h = getHeight();
            g.setColor(palette.panel());
            g.fillRect(0, 0, getWidth(), h);
            g.setColor(palette.gridLine());
            g.fillRoundRect(8, h / 2 - 2, getWidth() - 16, 4, 4, 4);
            if (timeline == null || timeline.isEmpty()) {
                g.setColor(palette.mutedText());
                g.setFont(Fonts.ui(11f * palette.fontScale()));
                g.drawString("No trace yet: poison a page (P) to start one.", 12, h / 2 + 14);
                return;
            }
            int n = timeline.size();
            float w = (getWidth() - 16f) / n;
            int prevEvent = -1;
            for (int i = 0; i < n; i++) {
                Timeline.Entry e = timeline.get(i);
                int x = Math.round(8 + i * w + w / 2);
                if (e.event() != prevEvent && i > 0) {
                    g.setColor(palette.text());
                    g.fillRect(Math.round(8 + i * w) - 1, 3, 2, h - 6);
                }
                prevEvent = e.event();
                g.setColor(layerColour(palette, e.trace().function()));
                int mh = e.trace().depth() == 0 ? h - 10 : Math.max(6, h / 2 - e.trace().depth() * 2);
                g.fillRect(x - Math.max(1, Math.round(w / 4)), h / 2 - mh / 2, Math.max(2, Math.round(w / 2)), mh);
            }
            if (step >= 0) {
                float px = 8 + (step + Math.min(1f, t)) * w;
                if (step == n - 1 && t >= 1f) {
                    px = 8 + n * w - 1;
                }
                g.setColor(palette.selection());
                g.setStroke(new BasicStroke(2f * palette.strokeScale()));
                g.drawLine(Math.round(px), 1, Math.round(px), h - 2);
                g.fillOval(Math.round(px) - 5, h / 2 - 5, 10, 10);
            }
        } finally {
            g.dispose();
        }
    }
}
