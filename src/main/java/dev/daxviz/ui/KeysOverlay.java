package dev.daxviz.ui;

import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.KeyStroke;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;

/** The "?" / F1 overlay that lists every key. */
final class KeysOverlay {
    static final String[][] KEYS = {
        {"Space", "play / pause"}, {"→  or  .", "next step"}, {"←  or  ,", "previous step"},
        {"Home / End", "first / last step"}, {"[  /  ]", "slower / faster"}, {"P", "poison the selected page"},
        {"↑ / ↓, Shift+← / Shift+→", "move the selection in the grid"}, {"+ / −, mouse wheel", "zoom the grid"},
        {"drag, Ctrl+wheel", "pan the grid"}, {"right click", "page menu: poison as a scrub or as a reader"},
        {"Ctrl+O", "open a scenario"}, {"Ctrl+I", "open an XFS image (read only)"},
        {"Ctrl+Shift+K", "check the scenario against a real kernel"}, {"Ctrl+Z / Ctrl+Y", "undo / redo"},
        {"Ctrl+G", "go to an address"},
        {"F1 or ?", "this list"}, {"Esc", "close this list"}};

    private KeysOverlay() {
    }

    static void show(JFrame owner, Palette p) {
        StringBuilder b = new StringBuilder("<html><table cellpadding='3'>");
        for (String[] k : KEYS) {
            b.append("<tr><td><b>").append(StoryPanel.esc(k[0])).append("</b></td><td>").append(StoryPanel.esc(k[1]))
                    .append("</td></tr>");
        }
        b.append("</table></html>");
        JLabel l = new JLabel(b.toString());
        l.setFont(Fonts.ui(14f * p.fontScale()));
        l.setBorder(javax.swing.BorderFactory.createEmptyBorder(16, 20, 16, 20));
        JDialog d = new JDialog(owner, "Keys", false);
        d.setName("keys");
        d.getContentPane().add(l);
        d.getRootPane().getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                "close");
        d.getRootPane().getActionMap().put("close", new javax.swing.AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(ActionEvent e) {
                d.dispose();
            }
        });
        d.pack();
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
    }
}
