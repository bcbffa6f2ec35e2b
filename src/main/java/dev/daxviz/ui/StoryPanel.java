package dev.daxviz.ui;

import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import net.miginfocom.swing.MigLayout;

import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextPane;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The story of the current step: the call chain as a stack (current frame on top, highlighted, with its kernel
 * file), the narration in plain words, and the kernel log accumulating below it.
 */
public final class StoryPanel extends JPanel {
    private static final long serialVersionUID = 1L;
    private final JList<PlaybackSnapshot.Frame> chain = new JList<>();
    private final JTextPane narration = new JTextPane();
    private final JTextArea dmesg = new JTextArea();
    private final JLabel chainTitle = new JLabel("Call chain");
    private final JLabel storyTitle = new JLabel("Narration");
    private transient Palette palette = Palette.LIGHT;
    private float scale = 1f;

    public StoryPanel() {
        super(new MigLayout("insets 6, gap 6", "[280:32%:520,fill][grow,fill]", "[][grow,fill]"));
        chain.setName("callChain");
        chain.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        chain.setCellRenderer((list, f, index, sel, focus) -> frameCell(f, index == 0));
        narration.setName("narration");
        narration.setEditable(false);
        narration.setContentType("text/html");
        dmesg.setName("dmesg");
        dmesg.setEditable(false);
        dmesg.setLineWrap(false);
        add(chainTitle);
        add(storyTitle, "wrap");
        add(new JScrollPane(chain), "growy");
        JPanel right = new JPanel(new MigLayout("insets 0, gap 4, fill", "[grow,fill]", "[fill,60%][fill,40%]"));
        right.add(new JScrollPane(narration), "wrap");
        JScrollPane ds = new JScrollPane(dmesg);
        ds.setBorder(BorderFactory.createTitledBorder("dmesg"));
        right.add(ds);
        add(right, "grow");
        setPalette(Palette.LIGHT);
    }

    private Component frameCell(PlaybackSnapshot.Frame f, boolean top) {
        JLabel l = new JLabel("<html><b>" + esc(f.function()) + "</b> <font color='#"
                + hex(palette.mutedText()) + "'>" + esc(f.file()) + "</font></html>");
        l.setFont(Fonts.mono(12f * scale));
        l.setOpaque(true);
        l.setBorder(BorderFactory.createEmptyBorder(2, 6, 2, 6));
        l.setBackground(top ? palette.highlight() : palette.panel());
        l.setForeground(top ? Color.BLACK : palette.text());
        if (top) {
            l.setText("<html>▸ <b>" + esc(f.function()) + "</b> <font color='#333333'>" + esc(f.file()) + "</font></html>");
        }
        return l;
    }

    public void setPalette(Palette p) {
        this.palette = p;
        this.scale = p.fontScale();
        Font t = Fonts.uiBold(12.5f * scale);
        chainTitle.setFont(t);
        storyTitle.setFont(t);
        dmesg.setFont(Fonts.mono(11.5f * scale));
        chain.setFixedCellHeight(Math.round(22 * scale));
        repaint();
    }

    public void show(PlaybackSnapshot s) {
        List<PlaybackSnapshot.Frame> frames = new ArrayList<>(s.stack());
        Collections.reverse(frames);
        chain.setListData(frames.toArray(new PlaybackSnapshot.Frame[0]));
        String head = s.current() == null ? "" : "<b>" + esc(s.current().function()) + "</b> <font color='#"
                + hex(palette.mutedText()) + "'>" + esc(s.current().file()) + " · step " + (s.step() + 1) + " of "
                + s.total() + (s.eventLabel().isEmpty() ? "" : " · " + esc(s.eventLabel())) + "</font><br>";
        String badge = "";
        String html = "<html><body style='font-family:Inter, sans-serif;font-size:" + Math.round(13 * scale) + "pt;color:#"
                + hex(palette.text()) + ";background:#" + hex(palette.panel()) + "'>" + badge + head
                + esc(s.narration()).replace("\n", "<br>") + "</body></html>";
        if (!html.equals(narration.getText())) {
            narration.setText(html);
            narration.setCaretPosition(0);
        }
        String log = String.join("\n", s.dmesg());
        if (!log.equals(dmesg.getText())) {
            dmesg.setText(log);
            // the newest line in view, scrolled fully left
            SwingUtilities.invokeLater(() -> dmesg.scrollRectToVisible(new java.awt.Rectangle(0,
                    Math.max(0, dmesg.getHeight() - 1), 1, 1)));
        }
    }

    /** The narration as plain text (for tests and copy). */
    public String narrationText() {
        try {
            return narration.getDocument().getText(0, narration.getDocument().getLength()).strip();
        } catch (javax.swing.text.BadLocationException e) {
            return "";
        }
    }

    /** The function on top of the call chain, or "". */
    public String currentFunction() {
        return chain.getModel().getSize() == 0 ? "" : chain.getModel().getElementAt(0).function();
    }

    public String dmesgText() {
        return dmesg.getText();
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String hex(Color c) {
        return String.format("%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
