package dev.daxviz.ui.export;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import javax.swing.JViewport;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import java.awt.Component;
import java.awt.Container;
import java.awt.Font;
import java.awt.Frame;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Swing without a window: laying out a component tree that has no peer, choosing the look and feel for a theme, and
 * running on the event dispatch thread. Works with {@code java.awt.headless=true}.
 */
public final class Headless {
    private Headless() {
    }

    /**
     * Lays out a component tree top-down with {@code doLayout} (a parent-less panel is not laid out by
     * {@code validate()}): every container sizes its children, then each child lays out its own.
     */
    public static void layoutTree(Component c) {
        if (c instanceof Container k) {
            k.doLayout();
            for (Component child : k.getComponents()) {
                layoutTree(child);
            }
        }
    }

    /** Scrolls the viewport around the component named {@code name} to its bottom left (the newest log line). */
    public static void scrollToEnd(Component root, String name) {
        Component c = find(root, name);
        if (c != null && c.getParent() instanceof JViewport v) {
            int y = Math.max(0, c.getHeight() - v.getExtentSize().height);
            v.setViewPosition(new Point(0, y));
        }
    }

    /** The component named {@code name} in a tree, or null. */
    public static Component find(Component c, String name) {
        if (name.equals(c.getName())) {
            return c;
        }
        if (c instanceof Container k) {
            for (Component child : k.getComponents()) {
                Component f = find(child, name);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    /**
     * The look and feel of a theme, as the window sets it (FlatLaf light or dark, Inter at 13 pt × the theme's font
     * scale). When a DaxViz window is on screen it owns the look and feel and nothing changes here.
     */
    public static void lookAndFeel(Palette p) {
        Font want = Fonts.ui(13f * p.fontScale());
        boolean matches = UIManager.getLookAndFeel() instanceof FlatLaf f && f.isDark() == p.isDark()
                && want.equals(UIManager.get("defaultFont"));
        if (matches || windowShowing()) {
            return;
        }
        UIManager.put("defaultFont", want);
        try {
            UIManager.setLookAndFeel(p.isDark() ? new FlatDarkLaf() : new FlatLightLaf());
        } catch (javax.swing.UnsupportedLookAndFeelException e) {
            throw new IllegalStateException("FlatLaf is not supported here", e);
        }
    }

    private static boolean windowShowing() {
        if (GraphicsEnvironment.isHeadless()) {
            return false;
        }
        for (Frame f : Frame.getFrames()) {
            if (f.isDisplayable()) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code task} on the event dispatch thread (directly when already on it) and returns its result. */
    public static <T> T onEdt(Callable<T> task) {
        if (SwingUtilities.isEventDispatchThread()) {
            try {
                return task.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        AtomicReference<T> out = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    out.set(task.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering", e);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(c);
        }
        return out.get();
    }
}
