package dev.daxviz.ui;

import javax.swing.JButton;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import java.awt.Component;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The default uncaught-exception handler: a plain message and a "Copy details" button (the stack trace goes to
 * the clipboard, not into the user's face). The window and its world stay as they were. One dialog at a time, so a
 * failing repaint cannot stack up hundreds of them.
 */
public final class CrashDialog {
    private static final AtomicBoolean SHOWING = new AtomicBoolean();

    private CrashDialog() {
    }

    public static void install(Component owner) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> SwingUtilities.invokeLater(() -> show(owner, e)));
    }

    static void show(Component owner, Throwable e) {
        System.err.println("DaxViz: internal error: " + e);
        if (!SHOWING.compareAndSet(false, true)) {
            return;
        }
        try {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            JButton copy = new JButton("Copy details");
            copy.addActionListener(a -> {
                try {
                    Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(sw.toString()), null);
                    copy.setText("Copied");
                } catch (IllegalStateException | SecurityException ex) {
                    copy.setText("No clipboard here");
                }
            });
            Object[] options = {copy, "Close"};
            JOptionPane.showOptionDialog(owner, "<html><b>Something went wrong inside DaxViz.</b><br>" + esc(e.toString())
                    + "<br><br>What you had is still loaded; you can go on working. If it happens again, please report "
                    + "it with the details.</html>", "DaxViz: internal error", JOptionPane.DEFAULT_OPTION,
                    JOptionPane.ERROR_MESSAGE, null, options, options[1]);
        } finally {
            SHOWING.set(false);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
