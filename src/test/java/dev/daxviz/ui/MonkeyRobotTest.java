package dev.daxviz.ui;

import dev.daxviz.scenario.Lessons;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JMenuItemFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.swing.AbstractButton;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.MenuElement;
import javax.swing.MenuSelectionManager;
import javax.swing.SwingUtilities;
import java.awt.Component;
import java.awt.Dialog;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.Point;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A robot monkey (issue 9): random clicks, drags, wheel turns, keys and menu actions over the window, for a
 * bounded time, from a fixed seed. Asserts zero uncaught exceptions (a default handler records them; standard
 * error is watched for "Exception in thread"), zero EDT violations ({@code FailOnThreadViolationRepaintManager},
 * installed by {@link GuiTestSupport#requireDisplay}, throws them into the handler), and an event queue that
 * never stalls for more than {@link #MAX_STALL_MS}: a probe thread posts an {@code invokeLater} every 50 ms and
 * measures how late it runs.
 *
 * <p>The window's remembered settings (theme, reduce motion, size, recent files) are put back afterwards. Modal
 * file choosers are never opened (no "Open…", no export to a file, no Ctrl+O/Ctrl+E, no Quit); any
 * dialog that appears is recorded and closed. An error dialog that says the app failed ("internal error",
 * "Could not open", "… failed", "Not enough memory") fails the run; the app's own messages ("That cannot be done
 * here", "The simulated kernel has crashed", …) are expected.
 *
 * <p>{@code -Ddaxviz.monkey.seconds=N} (default 30; the {@code long} Maven profile: 600) and
 * {@code -Ddaxviz.monkey.seed=S} (default {@value #DEFAULT_SEED}). The seed, the actions by kind, the dialogs
 * seen and the worst stall are printed ("monkey: …").
 */
class MonkeyRobotTest {
    static final long DEFAULT_SEED = 20260909L;
    static final long MAX_STALL_MS = 1000;
    private static final long PROBE_EVERY_MS = 50;

    private FrameFixture window;
    private final List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    private Thread.UncaughtExceptionHandler oldHandler;
    private PrintStream oldErr;
    private final ByteArrayOutputStream errCopy = new ByteArrayOutputStream();

    /** The window's remembered settings before the run: the monkey changes the theme, reduce motion, the size. */
    private final Map<String, String> savedPrefs = new TreeMap<>();
    private static final java.util.prefs.Preferences PREFS =
            java.util.prefs.Preferences.userNodeForPackage(MainWindow.class);

    @BeforeEach
    void start() throws java.util.prefs.BackingStoreException {
        GuiTestSupport.requireDisplay();
        for (String k : PREFS.keys()) {
            savedPrefs.put(k, PREFS.get(k, null));
        }
        oldHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            java.io.StringWriter sw = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(sw));
            uncaught.add(t.getName() + ": " + sw);
        });
        oldErr = System.err;
        System.setErr(new PrintStream(new Tee(oldErr, errCopy), true, StandardCharsets.UTF_8));
        window = GuiTestSupport.open("builtin:default");
    }

    @AfterEach
    void stop() throws java.util.prefs.BackingStoreException {
        if (window != null) {
            window.cleanUp();
        }
        // give the user (and the robot tests after this one) their settings back
        PREFS.clear();
        savedPrefs.forEach(PREFS::put);
        PREFS.flush();
        if (oldErr != null) {
            System.setErr(oldErr);
        }
        Thread.setDefaultUncaughtExceptionHandler(oldHandler);
    }

    /** Copies standard error to a buffer, so the run can check it. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }

    // ------------------------------------------------------------------ the probe

    /** Posts a task to the event queue every 50 ms and keeps the longest wait until one ran. */
    static final class StallProbe implements Runnable {
        final AtomicLong worstNs = new AtomicLong();
        final AtomicLong worstAt = new AtomicLong(-1);
        final AtomicLong posted = new AtomicLong();
        final AtomicLong ran = new AtomicLong();
        /** When the oldest task not yet run was posted (0: none pending). */
        final AtomicLong pendingSince = new AtomicLong();
        volatile long action;
        volatile boolean stop;

        @Override
        public void run() {
            while (!stop) {
                long t0 = System.nanoTime();
                long at = action;
                pendingSince.compareAndSet(0, t0);
                posted.incrementAndGet();
                EventQueue.invokeLater(() -> {
                    long d = System.nanoTime() - t0;
                    if (d > worstNs.get()) {
                        worstNs.set(d);
                        worstAt.set(at);
                    }
                    ran.incrementAndGet();
                    pendingSince.set(0);
                });
                try {
                    Thread.sleep(PROBE_EVERY_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The current wait of a task still queued (0 if none). */
        long pendingMs() {
            long p = pendingSince.get();
            return p == 0 ? 0 : (System.nanoTime() - p) / 1_000_000;
        }
    }

    // ------------------------------------------------------------------ the monkey

    private MainWindow main() {
        return (MainWindow) window.target();
    }

    private Robot robot() {
        return window.robot();
    }

    private static final int[][] KEYS = {
        {KeyEvent.VK_SPACE, 0}, {KeyEvent.VK_LEFT, 0}, {KeyEvent.VK_RIGHT, 0}, {KeyEvent.VK_UP, 0},
        {KeyEvent.VK_DOWN, 0}, {KeyEvent.VK_LEFT, KeyEvent.SHIFT_DOWN_MASK}, {KeyEvent.VK_RIGHT, KeyEvent.SHIFT_DOWN_MASK},
        {KeyEvent.VK_P, 0}, {KeyEvent.VK_EQUALS, 0}, {KeyEvent.VK_ADD, 0}, {KeyEvent.VK_MINUS, 0},
        {KeyEvent.VK_SUBTRACT, 0}, {KeyEvent.VK_HOME, 0}, {KeyEvent.VK_END, 0}, {KeyEvent.VK_OPEN_BRACKET, 0},
        {KeyEvent.VK_CLOSE_BRACKET, 0}, {KeyEvent.VK_COMMA, 0}, {KeyEvent.VK_PERIOD, 0},
        {KeyEvent.VK_Z, KeyEvent.CTRL_DOWN_MASK}, {KeyEvent.VK_Y, KeyEvent.CTRL_DOWN_MASK},
        {KeyEvent.VK_G, KeyEvent.CTRL_DOWN_MASK}, {KeyEvent.VK_F1, 0}, {KeyEvent.VK_ESCAPE, 0}, {KeyEvent.VK_TAB, 0},
        {KeyEvent.VK_PAGE_DOWN, 0}, {KeyEvent.VK_PAGE_UP, 0}, {KeyEvent.VK_ENTER, 0},
    };

    private static final String[] GOTO = {"pfn 0x100819", "daddr 200", "ag 1/513", "/data/a.bin+4KiB", "0x100819000",
        "ag 3/16383", "pfn 0", "fsblock 25", "off 0x1000", "/vm/base.img+1MiB", "/home/di/f5999", "ag 0/99999999",
        "pfn 0xffffffffffff", "nonsense", "", "ag", "/nope+1"};

    /** Menu items the monkey may choose: not the ones that open a file chooser or close the window. */
    private static boolean allowed(JMenuItem it, String path) {
        String t = it.getText() == null ? "" : it.getText();
        if (path.startsWith("File/Open recent") || t.equals("Quit") || t.startsWith("Open scenario")) {
            return false;
        }
        return !t.endsWith("…") || t.startsWith("Go to address") || t.startsWith("Keys");
    }

    private static void collect(MenuElement e, String path, List<JMenuItem> out, List<String> paths) {
        for (MenuElement c : e.getSubElements()) {
            if (c instanceof JMenu m) {
                collect(m, path + m.getText() + "/", out, paths);
            } else if (c instanceof JPopupMenu p) {
                collect(p, path, out, paths);
            } else if (c instanceof JMenuItem it && allowed(it, path + it.getText())) {
                out.add(it);
                paths.add(path + it.getText());
            }
        }
    }

    @Test
    void aMonkeyCannotBreakTheWindow() throws Exception {
        long seed = Long.getLong("daxviz.monkey.seed", DEFAULT_SEED);
        int seconds = Integer.getInteger("daxviz.monkey.seconds", 30);
        System.out.printf("monkey: seed %d, %d s (-Ddaxviz.monkey.seed=%d -Ddaxviz.monkey.seconds=%d to replay)%n",
                seed, seconds, seed, seconds);
        Random r = new Random(seed);
        robot().settings().delayBetweenEvents(0);
        robot().settings().eventPostingDelay(0);
        // playback animates: the queue is rarely idle while it plays, so do not wait long for idleness
        robot().settings().idleTimeout(300);

        List<JMenuItem> menu = new ArrayList<>();
        List<String> menuPaths = new ArrayList<>();
        GuiActionRunner.execute(() -> {
            JMenuBar mb = main().getJMenuBar();
            collect(mb, "", menu, menuPaths);
            return null;
        });
        assertThat(menu).as("menu items the monkey may use").hasSizeGreaterThan(10);

        StallProbe probe = new StallProbe();
        Thread probeThread = new Thread(probe, "stall-probe");
        probeThread.setDaemon(true);
        probeThread.start();

        Map<String, Integer> actions = new TreeMap<>();
        Map<String, Long> actionMs = new TreeMap<>();
        Map<String, Integer> menus = new TreeMap<>();
        Map<String, Integer> dialogs = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Deque<String> recent = new ArrayDeque<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        try {
            while (System.nanoTime() < end && failures.isEmpty()) {
                n++;
                probe.action = n;
                long t0 = System.nanoTime();
                String did;
                try {
                    did = act(r, menu, menuPaths);
                } catch (org.assertj.swing.exception.ActionFailedException
                         | org.assertj.swing.exception.ComponentLookupException e) {
                    // the robot could not do it (a target off the screen, a menu that closed): the monkey's miss
                    did = "missed " + e.getMessage();
                }
                String kind = did.split(" ")[0];
                actions.merge(kind, 1, Integer::sum);
                if (kind.equals("menu") || did.contains(" → ")) {
                    menus.merge(did.substring(did.indexOf(kind.equals("menu") ? " " : "→") + 1).trim(), 1,
                            Integer::sum);
                }
                actionMs.merge(kind, (System.nanoTime() - t0) / 1_000_000, Long::sum);
                recent.addLast(n + ": " + did);
                if (recent.size() > 40) {
                    recent.removeFirst();
                }
                robot().waitForIdle();
                closeDialogs(dialogs, failures, did);
                if (probe.pendingMs() > MAX_STALL_MS) {
                    failures.add("the event queue has not run a task for " + probe.pendingMs() + " ms after: " + did);
                }
                boolean alive = GuiActionRunner.execute(() -> main().isDisplayable() && main().session().state() != null);
                if (!alive) {
                    failures.add("the window is gone or has no world after: " + did);
                }
            }
            // let what was started finish (an open in progress, playback), then the queue must drain
            robot().waitForIdle();
            closeDialogs(dialogs, failures, "(end)");
        } finally {
            probe.stop = true;
            probeThread.join(2000);
        }
        String err;
        synchronized (errCopy) {
            err = errCopy.toString(StandardCharsets.UTF_8);
        }
        double worstMs = probe.worstNs.get() / 1e6;
        Map<String, Long> avg = new TreeMap<>();
        actions.forEach((k, v) -> avg.put(k, actionMs.get(k) / v));
        System.out.printf("monkey: %d actions in %d s %s (mean ms each %s); dialogs seen %s; probe %d posted, %d ran; "
                + "worst stall %.0f ms (at action %d); uncaught exceptions %d%n", n, seconds, actions, avg, dialogs,
                probe.posted.get(), probe.ran.get(), worstMs, probe.worstAt.get(), uncaught.size());
        System.out.printf("monkey: menu and popup items chosen %s%n", menus);
        String tail = String.join("\n", recent);
        assertThat(uncaught).as("uncaught exceptions (EDT violations among them); last actions:%n%s", tail).isEmpty();
        assertThat(err).as("standard error; last actions:%n%s", tail).doesNotContain("Exception in thread")
                .doesNotContain("EdtViolationException");
        assertThat(failures).as("last actions:%n%s", tail).isEmpty();
        assertThat(worstMs).as("worst event-queue stall (ms), at action %d; last actions:%n%s", probe.worstAt.get(),
                tail).isLessThan(MAX_STALL_MS);
        // still usable, with a world
        assertThat(GuiActionRunner.execute(() -> main().session().state().world())).isNotNull();
    }

    /** One random action; returns what it did (its first word is its kind). */
    private String act(Random r, List<JMenuItem> menu, List<String> menuPaths) {
        MainWindow w = main();
        Component grid = w.grid();
        Dimension gs = GuiActionRunner.execute(() -> grid.getSize());
        int p = r.nextInt(100);
        if (p < 22) {
            Point at = new Point(r.nextInt(Math.max(1, gs.width)), r.nextInt(Math.max(1, gs.height)));
            robot().click(grid, at, MouseButton.LEFT_BUTTON, 1);
            return "click grid " + at.x + "," + at.y;
        } else if (p < 27) {
            Point at = new Point(r.nextInt(Math.max(1, gs.width)), r.nextInt(Math.max(1, gs.height)));
            robot().click(grid, at, MouseButton.RIGHT_BUTTON, 1);
            robot().waitForIdle();
            String chosen = popupChoice(r);
            return "context " + at.x + "," + at.y + " " + chosen;
        } else if (p < 35) {
            Point from = new Point(r.nextInt(Math.max(1, gs.width)), r.nextInt(Math.max(1, gs.height)));
            Point to = new Point(r.nextInt(Math.max(1, gs.width)), r.nextInt(Math.max(1, gs.height)));
            robot().pressMouse(grid, from, MouseButton.LEFT_BUTTON);
            robot().moveMouse(grid, (from.x + to.x) / 2, (from.y + to.y) / 2);
            robot().moveMouse(grid, to);
            robot().releaseMouse(MouseButton.LEFT_BUTTON);
            return "drag " + from.x + "," + from.y + "→" + to.x + "," + to.y;
        } else if (p < 45) {
            int amount = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(3));
            boolean ctrl = r.nextInt(4) == 0;
            robot().moveMouse(grid, r.nextInt(Math.max(1, gs.width)), r.nextInt(Math.max(1, gs.height)));
            if (ctrl) {
                robot().pressModifiers(KeyEvent.CTRL_DOWN_MASK);
            }
            robot().rotateMouseWheel(grid, amount);
            if (ctrl) {
                robot().releaseModifiers(KeyEvent.CTRL_DOWN_MASK);
            }
            return "wheel " + amount + (ctrl ? " ctrl" : "");
        } else if (p < 70) {
            int[] k = KEYS[r.nextInt(KEYS.length)];
            if (r.nextInt(3) == 0) {
                robot().click(grid); // keys go to the grid, not to whatever text field has the focus
            }
            if (k[1] != 0) {
                robot().pressModifiers(k[1]);
            }
            robot().pressAndReleaseKey(k[0]);
            if (k[1] != 0) {
                robot().releaseModifiers(k[1]);
            }
            return "key " + (k[1] != 0 ? KeyEvent.getModifiersExText(k[1]) + "+" : "") + KeyEvent.getKeyText(k[0]);
        } else if (p < 82) {
            int i = r.nextInt(menu.size());
            JMenuItem it = menu.get(i);
            String path = menuPaths.get(i);
            if (path.startsWith("Lessons/") || path.startsWith("File/Lessons/")) {
                // a third of the lesson picks are the 1 TiB lesson: open, pan, zoom and poison it too
                if (r.nextInt(3) == 0) {
                    GuiActionRunner.execute(() -> {
                        main().openSource(Lessons.PREFIX + "big-1tib");
                        return null;
                    });
                    return "menu Lessons/big-1tib (by openSource)";
                }
            }
            if (!GuiActionRunner.execute(() -> it.isEnabled())) {
                return "menu (disabled) " + path;
            }
            new JMenuItemFixture(robot(), it).click();
            return "menu " + path;
        } else if (p < 92) {
            return clickAnywhere(r);
        } else if (p < 96) {
            String text = GOTO[r.nextInt(GOTO.length)];
            window.textBox("goto").deleteText();
            if (!text.isEmpty()) {
                window.textBox("goto").enterText(text);
            }
            robot().pressAndReleaseKey(KeyEvent.VK_ENTER);
            return "goto " + text;
        } else {
            int width = 900 + r.nextInt(700);
            int height = 600 + r.nextInt(400);
            window.resizeTo(new Dimension(width, height));
            return "resize " + width + "x" + height;
        }
    }

    /** A click somewhere in the window's content (toolbar, player, tables, tabs), but never on "Open…". */
    private String clickAnywhere(Random r) {
        for (int tries = 0; tries < 20; tries++) {
            Object[] hit = GuiActionRunner.execute(() -> {
                Component content = main().getContentPane();
                Point pt = new Point(r.nextInt(Math.max(1, content.getWidth())), r.nextInt(Math.max(1,
                        content.getHeight())));
                Component c = SwingUtilities.getDeepestComponentAt(content, pt.x, pt.y);
                if (c == null) {
                    return null;
                }
                if (c instanceof AbstractButton b && b.getText() != null && b.getText().startsWith("Open")) {
                    return null;
                }
                Point in = SwingUtilities.convertPoint(content, pt, c);
                if (!(c instanceof javax.swing.JComponent j) || !j.getVisibleRect().contains(in)) {
                    return null;
                }
                String name = c.getName() != null ? c.getName() : c.getClass().getSimpleName();
                return new Object[] {c, in, name};
            });
            if (hit == null) {
                continue;
            }
            Component c = (Component) hit[0];
            Point in = (Point) hit[1];
            if (!GuiActionRunner.execute(() -> c.isShowing())) {
                continue;
            }
            robot().click(c, in, MouseButton.LEFT_BUTTON, 1);
            robot().waitForIdle();
            String chosen = popupChoice(r);
            return "click " + hit[2] + " " + in.x + "," + in.y + (chosen.isEmpty() ? "" : " " + chosen);
        }
        return "click (nothing)";
    }

    /** If a popup menu (page menu, lessons, a combo's list) is open: choose one of its items, or Escape. */
    private String popupChoice(Random r) {
        List<JMenuItem> items = GuiActionRunner.execute(() -> {
            List<JMenuItem> out = new ArrayList<>();
            for (MenuElement e : MenuSelectionManager.defaultManager().getSelectedPath()) {
                if (e instanceof JPopupMenu pm && pm.isShowing()) {
                    for (MenuElement c : pm.getSubElements()) {
                        if (c instanceof JMenuItem it && it.isEnabled() && allowed(it, "")) {
                            out.add(it);
                        }
                    }
                }
            }
            return out;
        });
        if (items.isEmpty()) {
            return "";
        }
        if (r.nextInt(3) == 0) {
            robot().pressAndReleaseKey(KeyEvent.VK_ESCAPE);
            GuiActionRunner.execute(() -> {
                MenuSelectionManager.defaultManager().clearSelectedPath();
                return null;
            });
            return "→ escape";
        }
        JMenuItem it = items.get(r.nextInt(items.size()));
        String text = GuiActionRunner.execute(() -> it.getText());
        robot().click(it);
        return "→ " + text;
    }

    /** Records and closes every dialog that is showing; the app's failure dialogs are failures. */
    private void closeDialogs(Map<String, Integer> seen, List<String> failures, String after) {
        for (int round = 0; round < 5; round++) {
            List<Dialog> open = GuiActionRunner.execute(() -> {
                List<Dialog> out = new ArrayList<>();
                for (Window x : Window.getWindows()) {
                    if (x instanceof Dialog d && d.isShowing() && x != main()) {
                        out.add(d);
                    }
                }
                return out;
            });
            if (open.isEmpty()) {
                return;
            }
            for (Dialog d : open) {
                String title = GuiActionRunner.execute(() -> d.getTitle() == null ? "(untitled)" : d.getTitle());
                seen.merge(title, 1, Integer::sum);
                if (title.contains("internal error") || title.startsWith("Could not open") || title.endsWith(" failed")
                        || title.startsWith("Not enough memory")) {
                    failures.add("dialog '" + title + "' after: " + after + ": " + GuiActionRunner.execute(() ->
                            text(d)));
                }
                GuiActionRunner.execute(() -> {
                    d.dispose();
                    return null;
                });
            }
            robot().waitForIdle();
        }
    }

    /** The text of a dialog's labels and text areas, for a failure message. */
    private static String text(Component c) {
        StringBuilder b = new StringBuilder();
        if (c instanceof javax.swing.JLabel l && l.getText() != null) {
            b.append(l.getText()).append(' ');
        } else if (c instanceof javax.swing.text.JTextComponent t) {
            b.append(t.getText()).append(' ');
        } else if (c instanceof javax.swing.JOptionPane o && o.getMessage() instanceof String s) {
            b.append(s).append(' ');
        }
        if (c instanceof java.awt.Container k) {
            for (Component x : k.getComponents()) {
                b.append(text(x));
            }
        }
        return b.toString();
    }
}
