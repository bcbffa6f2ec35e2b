package dev.daxviz.ui;

import dev.daxviz.engine.Outcome;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import net.miginfocom.swing.MigLayout;

import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import java.awt.Color;

/**
 * The outcome of the events so far: for each poison or removal, who got SIGBUS with which code (AR/AO badges),
 * whether the filesystem shut down, the return code and the result word. While playing, only what has happened
 * by the current step is shown.
 */
public final class OutcomeView extends JScrollPane {
    private static final long serialVersionUID = 1L;
    private final JPanel body = new JPanel(new MigLayout("insets 8, gap 4 3, wrap 1", "[grow,fill]"));
    private String lastKey = "";

    public OutcomeView() {
        setViewportView(body);
        setBorder(null);
        setName("outcome");
        body.setName("outcome.body");
    }

    public void show(Session.State st, PlaybackSnapshot snap, Palette p) {
        if (st == null) {
            return;
        }
        int upTo = snap.step() >= 0 ? eventOf(snap) : snap.total() == 0 ? st.events().size() : -1;
        boolean partial = snap.step() >= 0 && snap.step() < snap.total() - 1;
        String key = System.identityHashCode(st) + ":" + upTo + ":" + snap.badges() + ":" + snap.banner() + ":" + p.name()
                + partial;
        if (key.equals(lastKey)) {
            return;
        }
        lastKey = key;
        body.removeAll();
        float s = p.fontScale();
        if (snap.banner() != null) {
            JLabel b = new JLabel("⚠ " + snap.banner());
            b.setName("outcome.banner");
            b.setOpaque(true);
            b.setBackground(p.banner());
            b.setForeground(p.bannerText());
            b.setFont(Fonts.uiBold(13f * s));
            b.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
            body.add(b);
        }
        int shownEvents = 0;
        for (int e = 0; e < st.events().size() && e <= upTo; e++) {
            Session.EventEntry ev = st.events().get(e);
            if (ev.result() == null) {
                if (!ev.log().isEmpty() || ev.label().contains("skipped")) {
                    body.add(label(ev.label(), Fonts.ui(11.5f * s), p.mutedText()));
                }
                continue;
            }
            shownEvents++;
            Outcome o = ev.result().outcome();
            boolean inProgress = partial && e == upTo;
            body.add(label(ev.label() + (inProgress ? "  (in progress)" : ""), Fonts.uiBold(13f * s), p.text()), "gaptop 6");
            if (inProgress) {
                for (var entry : snap.badges().entrySet()) {
                    body.add(signalLabel(entry.getKey(), pidComm(st, entry.getKey()), entry.getValue(), "", p, s));
                }
                continue;
            }
            if (o.oops() != null) {
                body.add(label("kernel oops in " + o.oops().function() + ": " + o.oops().message(), Fonts.monoBold(12f * s),
                        p.poison()));
            }
            if (o.signals().isEmpty() && o.oops() == null) {
                body.add(label("no process was signalled", Fonts.ui(12f * s), p.mutedText()));
            }
            for (Outcome.Signal sg : o.signals()) {
                body.add(signalLabel(sg.pid(), sg.comm(), sg.actionRequired() ? "AR" : "AO", " at " + Units.hex(sg.addr())
                        + " lsb " + sg.addrLsb() + " via " + sg.cause(), p, s));
            }
            if (o.shutdown() != null) {
                body.add(label("filesystem shut down: " + o.shutdown().reason(), Fonts.uiBold(12f * s), p.bannerText()));
            }
            body.add(label("return code " + o.returnCode() + (o.result() != null ? " · recovery action: " + o.result() : "")
                    + " · owners: " + owners(o), Fonts.mono(11.5f * s), p.mutedText()));
        }
        if (shownEvents == 0 && snap.banner() == null) {
            body.add(label("<html>Nothing has failed yet. Select a page and press <b>P</b> (or use Poison mode) to "
                    + "poison it.</html>", Fonts.ui(12.5f * s), p.mutedText()));
        }
        body.revalidate();
        body.repaint();
    }

    private static String pidComm(Session.State st, int pid) {
        for (Process p : st.initial().processes()) {
            if (p.pid() == pid) {
                return p.comm();
            }
        }
        return "?";
    }

    private static int eventOf(PlaybackSnapshot snap) {
        return snap.eventIndex() < 0 ? Integer.MAX_VALUE : snap.eventIndex();
    }

    private static String owners(Outcome o) {
        if (o.owners().isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (Outcome.Owner w : o.owners()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(w.path() != null ? w.path() : w.type());
        }
        return b.toString();
    }

    private static JLabel signalLabel(int pid, String comm, String code, String detail, Palette p, float s) {
        JLabel l = new JLabel("<html><span style='background:#" + StoryPanel.hex(p.poison()) + ";color:white'>&nbsp;"
                + code + "&nbsp;</span> SIGBUS → <b>" + StoryPanel.esc(comm) + ":" + pid + "</b>" + StoryPanel.esc(detail)
                + "</html>");
        l.setName("outcome.signal." + pid);
        l.setFont(Fonts.ui(12.5f * s));
        l.setToolTipText(code.equals("AR") ? "BUS_MCEERR_AR: action required — it was touching the page"
                : "BUS_MCEERR_AO: action optional — told early, before it touches the page");
        return l;
    }

    private static JLabel label(String t, java.awt.Font f, Color c) {
        JLabel l = new JLabel(t);
        l.setFont(f);
        l.setForeground(c);
        return l;
    }
}
