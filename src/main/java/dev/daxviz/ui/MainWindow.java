package dev.daxviz.ui;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.importer.ImageImporter;
import dev.daxviz.importer.disk.ImageException;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.scenario.ImportedScenario;
import dev.daxviz.scenario.Lessons;
import dev.daxviz.scenario.Problem;
import dev.daxviz.scenario.Scenario;
import dev.daxviz.scenario.ScenarioException;
import dev.daxviz.scenario.ScenarioReader;
import dev.daxviz.scenario.Scenarios;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.grid.PageGrid;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.playback.Player;
import dev.daxviz.ui.playback.Timeline;
import dev.daxviz.ui.playback.TimelineBar;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Icons;
import dev.daxviz.ui.theme.Palette;
import net.miginfocom.swing.MigLayout;

import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.ButtonGroup;
import javax.swing.JButton;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTabbedPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.JToggleButton;
import javax.swing.JToolBar;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;
import javax.swing.TransferHandler;
import javax.swing.UIManager;
import javax.swing.filechooser.FileNameExtensionFilter;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.datatransfer.DataFlavor;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.prefs.Preferences;

/**
 * The DaxViz window: toolbar, page grid with legend, inspector, rmap btree and tables, the story of the current
 * step (call chain, narration, dmesg) and the player. It holds a {@link Session} (the states) and a
 * {@link Player} (the position in the trace); every view is refreshed from the player's snapshot.
 */
public final class MainWindow extends JFrame {
    private static final long serialVersionUID = 1L;
    private static final Preferences PREFS = Preferences.userNodeForPackage(MainWindow.class);

    private final transient Session session = new Session();
    private final transient Player player;
    private transient Palette palette = Palette.LIGHT;
    private final Workbench bench = new Workbench();
    private final PageGrid grid = bench.grid();
    private final TimelineBar timelineBar = new TimelineBar();
    private final JLabel counter = new JLabel("0/0");
    private final JLabel function = new JLabel(" ");
    private final JButton playButton = new JButton("Play");
    private final JComboBox<String> speed = new JComboBox<>();
    private final JComboBox<KernelProfile> kernel = new JComboBox<>(KernelProfile.all().toArray(new KernelProfile[0]));
    private final JToggleButton poisonMode = new JToggleButton("Poison mode");
    private final JTextField gotoField = new JTextField(18);
    private final JButton undoButton = new JButton("Undo");
    private final JButton redoButton = new JButton("Redo");
    private final JMenu recentMenu = new JMenu("Open recent");
    private boolean updatingKernel;
    private transient SwingWorker<Session.State, Void> opening;
    private final javax.swing.JProgressBar openProgress = new javax.swing.JProgressBar();
    private final JButton cancelOpen = new JButton("Cancel");

    public MainWindow() {
        super("DaxViz");
        setName("daxviz");
        setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
        player = new Player(snap -> bench.showSnapshot(snap, following()));
        player.onStateChange(this::updatePlayerControls);
        session.addListener(s -> onState(s));
        buildUi();
        bindKeys();
        palette = Palette.byName(System.getProperty("daxviz.theme", PREFS.get("theme", "Light")));
        applyPalette();
        int w = PREFS.getInt("width", 1600);
        int h = PREFS.getInt("height", 1000);
        setSize(new Dimension(Math.max(900, w), Math.max(600, h)));
        setLocationByPlatform(true);
        addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosing(java.awt.event.WindowEvent e) {
                PREFS.putInt("width", getWidth());
                PREFS.putInt("height", getHeight());
            }
        });
    }

    // ------------------------------------------------------------------ layout

    private void buildUi() {
        setJMenuBar(menuBar());
        JPanel root = new JPanel(new BorderLayout());
        root.add(toolBar(), BorderLayout.NORTH);

        grid.onClick(this::gridClicked);
        grid.onContextMenu(this::gridMenu);
        root.add(bench, BorderLayout.CENTER);

        JPanel south = new JPanel(new BorderLayout());
        south.add(playerBar(), BorderLayout.NORTH);
        root.add(south, BorderLayout.SOUTH);
        setContentPane(root);

        setTransferHandler(new TransferHandler() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean canImport(TransferSupport s) {
                return s.isDataFlavorSupported(DataFlavor.javaFileListFlavor);
            }

            @Override
            @SuppressWarnings("unchecked")
            public boolean importData(TransferSupport s) {
                try {
                    List<File> fl = (List<File>) s.getTransferable().getTransferData(DataFlavor.javaFileListFlavor);
                    if (!fl.isEmpty()) {
                        open(fl.get(0).getPath());
                        return true;
                    }
                } catch (Exception e) {
                    showError("Could not open the dropped file", e.getMessage());
                }
                return false;
            }
        });
    }

    private JMenuBar menuBar() {
        JMenuBar mb = new JMenuBar();
        JMenu file = new JMenu("File");
        file.add(item("Open scenario…", KeyStroke.getKeyStroke(KeyEvent.VK_O, KeyEvent.CTRL_DOWN_MASK), e -> chooseFile()));
        JMenuItem image = item("Open XFS image…", KeyStroke.getKeyStroke(KeyEvent.VK_I, KeyEvent.CTRL_DOWN_MASK),
                e -> chooseImage());
        image.setName("openImage");
        image.setToolTipText("Read an unmounted XFS image (a file or a block device, read only): every block's owner "
                + "from the disk itself");
        file.add(image);
        file.add(recentMenu);
        JMenu lessons = new JMenu("Lessons");
        lessons.setName("lessonsMenu");
        for (Lessons.Lesson l : Lessons.all()) {
            JMenuItem it = item(l.title(), null, e -> openSource(l.source()));
            it.setToolTipText("<html><body style='width:380px'>" + StoryPanel.esc(l.description()) + "</body></html>");
            it.setName("lesson." + l.name());
            lessons.add(it);
        }
        file.add(lessons);
        file.addSeparator();
        file.add(item("Quit", KeyStroke.getKeyStroke(KeyEvent.VK_Q, KeyEvent.CTRL_DOWN_MASK), e -> dispose()));
        mb.add(file);
        mb.add(lessons);

        JMenu edit = new JMenu("Edit");
        edit.add(item("Undo", KeyStroke.getKeyStroke(KeyEvent.VK_Z, KeyEvent.CTRL_DOWN_MASK), e -> undo()));
        edit.add(item("Redo", KeyStroke.getKeyStroke(KeyEvent.VK_Y, KeyEvent.CTRL_DOWN_MASK), e -> redo()));
        edit.add(item("Reset scenario", null, e -> background("Resetting the scenario", Session::reset)));
        edit.addSeparator();
        edit.add(item("Go to address…", KeyStroke.getKeyStroke(KeyEvent.VK_G, KeyEvent.CTRL_DOWN_MASK),
                e -> gotoField.requestFocusInWindow()));
        mb.add(edit);

        JMenu scenario = new JMenu("Scenario");
        JMenuItem real = item("Check against a real kernel…", KeyStroke.getKeyStroke(KeyEvent.VK_K,
                KeyEvent.CTRL_DOWN_MASK | KeyEvent.SHIFT_DOWN_MASK), e -> checkRealKernel());
        real.setName("checkRealKernel");
        real.setToolTipText("Boot Debian's 6.1 or 6.12 kernel in qemu, run this scenario there, and compare");
        scenario.add(real);
        mb.add(scenario);

        JMenu sim = new JMenu("Simulate");
        sim.add(item("Poison selected page (as a scrub finds it)", null, e -> poisonSelected(FailureEvent.Source.MCE)));
        sim.add(item("Remove the device (unbind)", null, e -> background("Removing the device", Session::removed)));
        mb.add(sim);

        JMenu view = new JMenu("View");
        ButtonGroup themes = new ButtonGroup();
        for (Palette p : new Palette[] {Palette.LIGHT, Palette.DARK, Palette.PROJECTOR}) {
            JRadioButtonMenuItem it = new JRadioButtonMenuItem(p.name());
            it.setName("theme." + p.name());
            it.setSelected(p.name().equals(PREFS.get("theme", "Light")));
            it.addActionListener(e -> setPalette(p));
            themes.add(it);
            view.add(it);
        }
        view.addSeparator();
        JCheckBoxMenuItem reduce = new JCheckBoxMenuItem("Reduce motion");
        reduce.setSelected(PREFS.getBoolean("reduceMotion", false));
        player.setReduceMotion(reduce.isSelected());
        reduce.addActionListener(e -> {
            player.setReduceMotion(reduce.isSelected());
            PREFS.putBoolean("reduceMotion", reduce.isSelected());
        });
        view.add(reduce);
        view.add(item("Whole device", null, e -> grid.overview()));
        view.add(item("Keys…", KeyStroke.getKeyStroke(KeyEvent.VK_F1, 0), e -> showKeys()));
        mb.add(view);
        mb.add(new dev.daxviz.ui.export.ExportMenu(this, bench)); // PNG, SVG, frames, GIF, JSON, clipboard
        updateRecent();
        return mb;
    }

    private static JMenuItem item(String text, KeyStroke key, Consumer<ActionEvent> a) {
        JMenuItem it = new JMenuItem(text);
        if (key != null) {
            it.setAccelerator(key);
        }
        it.addActionListener(a::accept);
        return it;
    }

    private JToolBar toolBar() {
        JToolBar tb = new JToolBar();
        tb.setFloatable(false);
        tb.setFocusable(false);
        JButton open = new JButton("Open…", Icons.get("open", 1f));
        open.setToolTipText("Open a scenario file (Ctrl+O); you can also drop one on the window");
        open.addActionListener(e -> chooseFile());
        tb.add(open);
        JButton lessons = new JButton("Lessons", Icons.get("lessons", 1f));
        lessons.setName("lessons");
        lessons.setToolTipText("The built-in lessons");
        lessons.addActionListener(e -> {
            JPopupMenu m = new JPopupMenu();
            for (Lessons.Lesson l : Lessons.all()) {
                m.add(item(l.title(), null, ev -> openSource(l.source())));
            }
            m.show(lessons, 0, lessons.getHeight());
        });
        tb.add(lessons);
        tb.addSeparator();
        tb.add(new JLabel(" Kernel "));
        kernel.setName("kernel");
        kernel.setToolTipText("Which kernel's behaviour to simulate");
        kernel.addActionListener(e -> {
            if (!updatingKernel && session.state() != null && kernel.getSelectedItem() != session.state().profile()) {
                KernelProfile p = (KernelProfile) kernel.getSelectedItem();
                background("Switching to kernel " + p.id(), base -> Session.switched(base, p));
            }
        });
        tb.add(kernel);
        tb.addSeparator();
        poisonMode.setIcon(Icons.get("poison", 1f));
        poisonMode.setName("poisonMode");
        poisonMode.setToolTipText("When on, a click poisons the page instead of selecting it (P poisons the selection)");
        tb.add(poisonMode);
        tb.addSeparator();
        undoButton.setIcon(Icons.get("undo", 1f));
        undoButton.setName("undo");
        undoButton.addActionListener(e -> undo());
        redoButton.setIcon(Icons.get("redo", 1f));
        redoButton.setName("redo");
        redoButton.addActionListener(e -> redo());
        JButton reset = new JButton("Reset", Icons.get("reset", 1f));
        reset.setToolTipText("Back to the scenario as loaded (undoable)");
        reset.addActionListener(e -> background("Resetting the scenario", Session::reset));
        tb.add(undoButton);
        tb.add(redoButton);
        tb.add(reset);
        for (java.awt.Component c : tb.getComponents()) {
            if (c instanceof javax.swing.AbstractButton) {
                c.setFocusable(false);
            }
        }
        tb.add(javax.swing.Box.createHorizontalGlue());
        openProgress.setIndeterminate(true);
        openProgress.setMaximumSize(new Dimension(120, 16));
        openProgress.setToolTipText("Opening a scenario");
        openProgress.setVisible(false);
        cancelOpen.setName("cancelOpen");
        cancelOpen.setToolTipText("Stop opening; keep the scenario you have");
        cancelOpen.setVisible(false);
        cancelOpen.addActionListener(e -> {
            if (opening != null) {
                opening.cancel(true);
            }
        });
        tb.add(openProgress);
        tb.add(cancelOpen);
        tb.add(new JLabel("Go to "));
        gotoField.setName("goto");
        gotoField.setToolTipText(GotoParser.HELP);
        gotoField.putClientProperty("JTextField.placeholderText", "pfn 0x40a19, ag 0/24, /a+4KiB …");
        gotoField.addActionListener(e -> goTo(gotoField.getText()));
        tb.add(gotoField);
        return tb;
    }

    private JComponent playerBar() {
        JPanel p = new JPanel(new MigLayout("insets 4 8 4 8, gap 4", "[][][][][][]8[]8[grow,fill]8[]8[]", "[]"));
        JButton first = transport("first", "First step (Home)", player::first, "first");
        JButton prev = transport("previous", "Previous step (← or ,)", player::previous, "previous");
        playButton.setName("play");
        playButton.setFocusable(false);
        playButton.setToolTipText("Play / pause (Space)");
        playButton.addActionListener(e -> player.playPause());
        JButton next = transport("next", "Next step (→ or .)", player::next, "next");
        JButton last = transport("last", "Last step (End)", player::last, "last");
        for (double s : Player.SPEEDS) {
            speed.addItem(fmtSpeed(s));
        }
        speed.setSelectedItem(fmtSpeed(1));
        speed.setName("speed");
        speed.setToolTipText("Playback speed ([ slower, ] faster)");
        speed.addActionListener(e -> player.setSpeed(Double.parseDouble(((String) speed.getSelectedItem()).replace("×", ""))));
        timelineBar.onSeek(player::seek);
        counter.setName("counter");
        function.setName("function");
        p.add(first);
        p.add(prev);
        p.add(playButton);
        p.add(next);
        p.add(last);
        p.add(new JLabel("speed"));
        p.add(speed);
        p.add(timelineBar, "h 28!");
        p.add(counter);
        p.add(function, "w 260!");
        return p;
    }

    private static String fmtSpeed(double s) {
        return (s == Math.rint(s) ? Integer.toString((int) s) : Double.toString(s)) + "×";
    }

    private JButton transport(String icon, String tip, Runnable r, String name) {
        JButton b = new JButton(Icons.get(icon, 1.25f));
        b.setFocusable(false);
        b.setName(name);
        b.setToolTipText(tip);
        b.addActionListener(e -> r.run());
        return b;
    }

    private void bindKeys() {
        JComponent c = getRootPane();
        key(c, "SPACE", "play", player::playPause);
        key(c, "RIGHT", "next", player::next);
        key(c, "PERIOD", "next2", player::next);
        key(c, "LEFT", "prev", player::previous);
        key(c, "COMMA", "prev2", player::previous);
        key(c, "HOME", "first", player::first);
        key(c, "END", "last", player::last);
        key(c, "OPEN_BRACKET", "slower", player::slower);
        key(c, "CLOSE_BRACKET", "faster", player::faster);
        key(c, "P", "poison", () -> poisonSelected(FailureEvent.Source.MCE));
        key(c, "PLUS", "zoomIn", () -> grid.zoomAt(1, grid.getHeight() / 2));
        key(c, "EQUALS", "zoomIn2", () -> grid.zoomAt(1, grid.getHeight() / 2));
        key(c, "ADD", "zoomIn3", () -> grid.zoomAt(1, grid.getHeight() / 2));
        key(c, "MINUS", "zoomOut", () -> grid.zoomAt(-1, grid.getHeight() / 2));
        key(c, "SUBTRACT", "zoomOut2", () -> grid.zoomAt(-1, grid.getHeight() / 2));
        key(c, "typed ?", "keys2", this::showKeys);
        key(c, "F1", "keys3", this::showKeys);
        key(c, "UP", "up", () -> bench.moveSelection(0, -1));
        key(c, "DOWN", "down", () -> bench.moveSelection(0, 1));
        key(c, "shift LEFT", "selLeft", () -> bench.moveSelection(-1, 0));
        key(c, "shift RIGHT", "selRight", () -> bench.moveSelection(1, 0));
    }

    private final transient Map<KeyStroke, Runnable> keys = new HashMap<>();
    private transient java.awt.KeyEventDispatcher dispatcher;

    @Override
    public void dispose() {
        if (dispatcher != null) {
            java.awt.KeyboardFocusManager.getCurrentKeyboardFocusManager().removeKeyEventDispatcher(dispatcher);
        }
        player.pause();
        super.dispose();
    }

    /**
     * Window-wide keys. They go through a key event dispatcher rather than input maps, so split panes, tables
     * and lists (which bind arrows, Home and End themselves) cannot swallow them; text fields keep their keys.
     */
    private void key(JComponent c, String stroke, String name, Runnable r) {
        keys.put(KeyStroke.getKeyStroke(stroke), r);
        if (keys.size() == 1) {
            java.awt.KeyboardFocusManager.getCurrentKeyboardFocusManager().addKeyEventDispatcher(dispatcher = e -> {
                if (!isActive() || e.getID() == KeyEvent.KEY_RELEASED) {
                    return false;
                }
                java.awt.Component f = e.getComponent();
                if (f instanceof javax.swing.text.JTextComponent || f instanceof JComboBox
                        || SwingUtilities.getWindowAncestor(f) != this) {
                    return false;
                }
                KeyStroke ks = e.getID() == KeyEvent.KEY_TYPED ? KeyStroke.getKeyStroke(e.getKeyChar())
                        : KeyStroke.getKeyStroke(e.getKeyCode(), e.getModifiersEx());
                Runnable action = keys.get(ks);
                if (action == null) {
                    return false;
                }
                action.run();
                e.consume();
                return true;
            });
        }
    }

    // ------------------------------------------------------------------ opening

    /** Opens a scenario, or an XFS image (a file that starts with an XFS superblock). */
    public void open(String spec) {
        if (!spec.startsWith(Lessons.PREFIX) && ImageImporter.looksLikeXfs(Path.of(spec))) {
            openImage(Path.of(spec));
        } else {
            openSource(spec);
        }
    }

    /** Opens a scenario by file path or builtin:NAME, off the EDT; the old world stays if it is invalid. */
    public void openSource(String spec) {
        inBackground("Opening " + spec, "the previous scenario stays", () -> {
            Scenarios.Source src = Scenarios.source(spec);
            Scenario sc = ScenarioReader.read(src.name(), src.content());
            KernelProfile p = KernelProfile.byId(sc.kernel()).orElse(KernelProfile.DEFAULT);
            Session.State s = Session.build(sc, p);
            Workbench.prepare(s.world()); // the summary and tables of a big world, off the EDT too
            return s;
        }, s -> {
            session.openBuilt(s);
            if (!spec.startsWith(Lessons.PREFIX)) {
                addRecent(spec);
            }
            PREFS.put("last", spec);
        }, c -> {
            if (c instanceof ScenarioException se) {
                showProblems(spec, se.problems());
            } else {
                showError("Could not open " + spec, String.valueOf(c));
            }
            bench.setStatus("Kept the previous scenario: " + spec + " could not be opened.");
        }, () -> { });
    }

    /**
     * Runs {@code work} off the EDT with the progress bar and Cancel showing; a new task cancels the one before.
     * On the EDT afterwards: {@code accept} takes the result, {@code failed} the exception it threw; a cancelled
     * or out-of-memory task leaves the world as it was and says so ({@code kept} names what stays); {@code after}
     * runs last, whatever happened.
     */
    private void inBackground(String what, String kept, java.util.concurrent.Callable<Session.State> work,
                              java.util.function.Consumer<Session.State> accept,
                              java.util.function.Consumer<Throwable> failed, Runnable after) {
        if (opening != null) {
            opening.cancel(true);
        }
        bench.setStatus(what + " …");
        openProgress.setVisible(true);
        cancelOpen.setVisible(true);
        SwingWorker<Session.State, Void> worker = new SwingWorker<>() {
            @Override
            protected Session.State doInBackground() throws Exception {
                return work.call();
            }

            @Override
            protected void done() {
                if (opening == this) {
                    opening = null;
                    openProgress.setVisible(false);
                    cancelOpen.setVisible(false);
                }
                try {
                    finish();
                } finally {
                    after.run();
                }
            }

            private void finish() {
                if (isCancelled()) {
                    bench.setStatus(what + " was cancelled; " + kept + ".");
                    return;
                }
                try {
                    accept.accept(get());
                } catch (ExecutionException e) {
                    failed.accept(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.CancellationException e) {
                    bench.setStatus(what + " was cancelled; " + kept + ".");
                } catch (OutOfMemoryError e) {
                    showError("Not enough memory", what + " needs more memory than this Java has (run java with a "
                            + "larger -Xmx); " + kept + ".");
                }
            }
        };
        opening = worker;
        worker.execute();
    }

    private void chooseFile() {
        JFileChooser fc = new JFileChooser(PREFS.get("dir", System.getProperty("user.dir")));
        fc.setFileFilter(new FileNameExtensionFilter("DaxViz scenarios (*.yaml, *.yml, *.json)", "yaml", "yml", "json"));
        if (fc.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            PREFS.put("dir", fc.getSelectedFile().getParent());
            openSource(fc.getSelectedFile().getPath());
        }
    }

    /** Where checks against a real kernel start from (tests swap in a fake qemu and kernel). */
    private transient java.util.function.Supplier<dev.daxviz.realkernel.VerifyOptions> realKernelOptions =
            dev.daxviz.realkernel.VerifyOptions::defaults;

    Palette palette() {
        return palette;
    }

    void setRealKernelOptions(java.util.function.Supplier<dev.daxviz.realkernel.VerifyOptions> o) {
        realKernelOptions = o;
    }

    /** Scenario ▸ Check against a real kernel: a window of its own, so the app stays usable while qemu runs. */
    private void checkRealKernel() {
        Session.State s = session.state();
        if (s == null) {
            return;
        }
        new RealKernelDialog(this, s.title(), () -> dev.daxviz.scenario.ScenarioBuilder.build(s.scenario(),
                s.profile()), s.profile().id(), palette, realKernelOptions).setVisible(true);
    }

    private void chooseImage() {
        JFileChooser fc = new JFileChooser(PREFS.get("imageDir", PREFS.get("dir", System.getProperty("user.dir"))));
        fc.setDialogTitle("Open an XFS image (read only)");
        if (fc.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            PREFS.put("imageDir", fc.getSelectedFile().getParent());
            openImage(fc.getSelectedFile().toPath());
        }
    }

    /**
     * Imports an unmounted XFS image, off the EDT with progress and Cancel, and opens its world as a scenario
     * (so that a kernel switch or a reset rebuilds it); a damaged image is a dialog and the old world stays.
     */
    public void openImage(Path image) {
        String name = image.getFileName() == null ? image.toString() : image.getFileName().toString();
        KernelProfile profile = session.state() != null ? session.state().profile() : KernelProfile.DEFAULT;
        inBackground("Importing " + name, "the previous scenario stays", () -> {
            ImageImporter.Imported imp = ImageImporter.read(image, new ImageImporter.Options(profile,
                    ImageImporter.DEFAULT_PHYS, "pmem0"), () -> false, (what, done) -> SwingUtilities.invokeLater(
                            () -> importProgress(name, what, done)));
            String yaml = ImportedScenario.yaml(name, imp.world(), imp.notes());
            Session.State s = Session.build(ScenarioReader.read(image.toString(), yaml), profile);
            Workbench.prepare(s.world());
            return s;
        }, s -> {
            session.openBuilt(s);
            addRecent(IMAGE_PREFIX + image);
            boolean rmap = s.world().fs() != null && s.world().fs().rmapbt();
            bench.setStatus("Imported " + name + (rmap ? "" : ": it has no reverse-mapping btree, so the kernel "
                    + "takes the generic path (see the narration)"));
        }, c -> {
            if (c instanceof ImageException ie) {
                showError("Cannot read " + name, ie.getMessage());
            } else if (c instanceof ScenarioException se) {
                showProblems(image.toString(), se.problems());
            } else {
                showError("Could not import " + name, String.valueOf(c));
            }
            bench.setStatus("Kept the previous scenario: " + name + " could not be imported.");
        }, () -> openProgress.setIndeterminate(true));
    }

    private void importProgress(String name, String what, double done) {
        openProgress.setIndeterminate(false);
        openProgress.setValue((int) Math.round(done * 100));
        bench.setStatus("Importing " + name + ": " + what + " …");
    }

    /** A recent entry that is an image, not a scenario. */
    private static final String IMAGE_PREFIX = "image:";

    private void addRecent(String spec) {
        List<String> r = new ArrayList<>(Arrays.asList(PREFS.get("recent", "").split("\n")));
        r.removeIf(s -> s.isBlank() || s.equals(spec));
        r.add(0, spec);
        while (r.size() > 8) {
            r.remove(r.size() - 1);
        }
        PREFS.put("recent", String.join("\n", r));
        updateRecent();
    }

    private void updateRecent() {
        recentMenu.removeAll();
        for (String s : PREFS.get("recent", "").split("\n")) {
            if (!s.isBlank()) {
                boolean img = s.startsWith(IMAGE_PREFIX);
                String path = img ? s.substring(IMAGE_PREFIX.length()) : s;
                recentMenu.add(item(Path.of(path).getFileName() + (img ? " (XFS image)" : "") + "  —  " + path, null,
                        e -> {
                            if (img) {
                                openImage(Path.of(path));
                            } else {
                                openSource(path);
                            }
                        }));
            }
        }
        recentMenu.setEnabled(recentMenu.getItemCount() > 0);
    }

    private void showProblems(String spec, List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        for (Problem p : problems) {
            b.append(p).append('\n');
        }
        javax.swing.JTextArea text = new javax.swing.JTextArea(b.toString().strip());
        text.setEditable(false);
        text.setFont(Fonts.mono(12f));
        text.setName("problems");
        JScrollPane sp = new JScrollPane(text);
        sp.setPreferredSize(new Dimension(820, Math.min(420, 60 + 20 * problems.size())));
        JPanel panel = new JPanel(new BorderLayout(0, 8));
        panel.add(new JLabel("<html><b>" + StoryPanel.esc(spec) + "</b> has " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + ". Each line says where (file:line:col), what is wrong and how "
                + "to fix it. The scenario you had stays open.</html>"), BorderLayout.NORTH);
        panel.add(sp, BorderLayout.CENTER);
        JOptionPane.showMessageDialog(this, panel, "The scenario is not valid", JOptionPane.ERROR_MESSAGE);
    }

    private void showError(String title, String message) {
        JOptionPane.showMessageDialog(this, message, title, JOptionPane.ERROR_MESSAGE);
    }

    /**
     * Long work on the loaded scenario (a kernel switch or a reset rebuilds the world; a device removal walks every
     * rmap record) off the EDT, as opening is: the progress bar and Cancel show meanwhile. The result replaces the
     * state it was computed from (undoable); if the user changed the state meanwhile, the result is dropped.
     */
    private void background(String what, java.util.function.UnaryOperator<Session.State> work) {
        Session.State base = session.state();
        if (base == null) {
            return;
        }
        inBackground(what, "the scenario stays as it was", () -> {
            Session.State s = work.apply(base);
            Workbench.prepare(s.world());
            return s;
        }, s -> {
            if (session.state() != base) {
                bench.setStatus(what + " was dropped: the scenario changed meanwhile.");
            } else {
                session.show(s);
            }
        }, c -> {
            if (c instanceof ScenarioException se) {
                showProblems(base.scenario().source(), se.problems());
            } else if (c instanceof dev.daxviz.model.ModelException || c instanceof IllegalArgumentException) {
                showError("That cannot be done here", c.getMessage());
            } else {
                showError(what + " failed", String.valueOf(c));
            }
        }, this::syncKernel);
    }

    /** Runs a session action; an impossible one becomes a message, and the world stays as it was. */
    private void runGuarded(Runnable r) {
        try {
            r.run();
        } catch (ScenarioException e) {
            showProblems(session.state() == null ? "scenario" : session.state().scenario().source(), e.problems());
            syncKernel();
        } catch (dev.daxviz.model.ModelException | IllegalArgumentException e) {
            showError("That cannot be done here", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ state → views

    private void onState(Session.State s) {
        setTitle("DaxViz — " + s.title() + " — kernel " + s.profile().id());
        syncKernel();
        World w = s.world();
        bench.setState(s);
        Timeline tl = new Timeline(s);
        timelineBar.setTimeline(tl);
        boolean newUserEvent = !s.events().isEmpty() && s.events().get(s.events().size() - 1).byUser()
                && (s.action().startsWith("poison") || s.action().startsWith("remove"));
        if (newUserEvent) {
            player.load(tl, tl.lastEventStart(), false);
            if (!player.reduceMotion()) {
                player.playPause();
            } else {
                player.last();
            }
        } else if (s.action().startsWith("open") && !tl.isEmpty()) {
            player.load(tl, -1, false); // a lesson starts before its first step: press Play
        } else {
            player.load(tl, -1, true);
        }
        undoButton.setEnabled(session.canUndo());
        redoButton.setEnabled(session.canRedo());
        undoButton.setToolTipText(session.canUndo() ? "Undo " + session.undoLabel() + " (Ctrl+Z)" : "Nothing to undo");
        redoButton.setToolTipText(session.canRedo() ? "Redo " + session.redoLabel() + " (Ctrl+Y)" : "Nothing to redo");
        if (grid.selected() < 0 || w.deviceOfPfn(grid.selected()).isEmpty() || s.action().startsWith("open")) {
            long pfn = Workbench.firstInterestingPfn(s);
            select(pfn);
            SwingUtilities.invokeLater(() -> grid.reveal(pfn));
        } else {
            select(grid.selected());
        }
        grid.requestFocusInWindow();
    }

    /** While playing, the tabs follow the step. */
    private boolean following() {
        return player != null && player.playing();
    }

    private World displayedWorld() {
        return bench.displayedWorld();
    }

    private void updatePlayerControls() {
        Timeline tl = player.timeline();
        int n = tl == null ? 0 : tl.size();
        counter.setText(n == 0 ? "0/0" : (player.step() + 1) + "/" + n);
        PlaybackSnapshot s = bench.shown();
        function.setText(s == null || s.current() == null ? " " : s.current().function());
        function.setToolTipText(s == null || s.current() == null ? null : s.current().file());
        playButton.setText(player.playing() ? "Pause" : "Play");
        playButton.setIcon(Icons.get(player.playing() ? "pause" : "play", 1.25f));
        timelineBar.setPosition(player.step(), player.time());
        String sp = fmtSpeed(player.speed());
        if (!sp.equals(speed.getSelectedItem())) {
            speed.setSelectedItem(sp);
        }
    }

    private void syncKernel() {
        if (session.state() != null) {
            updatingKernel = true;
            kernel.setSelectedItem(session.state().profile());
            updatingKernel = false;
        }
    }

    // ------------------------------------------------------------------ selection and poison

    private void gridClicked(long pfn) {
        if (poisonMode.isSelected()) {
            select(pfn);
            poison(pfn, FailureEvent.Source.MCE, null);
        } else {
            select(pfn);
        }
    }

    private void gridMenu(long pfn) {
        select(pfn);
        JPopupMenu m = new JPopupMenu();
        m.add(item("Poison this page (found by a scrub)", null, e -> poison(pfn, FailureEvent.Source.MCE, null)));
        World w = displayedWorld();
        PageInfo info = PageInfo.of(w, pfn);
        for (PageInfo.Mapper mp : info.mappers()) {
            m.add(item("Poison it as " + mp.comm() + ":" + mp.pid() + " reads it (action required)", null,
                    e -> poison(pfn, FailureEvent.Source.CONSUME, mp.pid())));
        }
        m.addSeparator();
        m.add(item("Copy pfn", null, e -> copy(info.address().pfnHex())));
        java.awt.Point p = grid.getMousePosition();
        m.show(grid, p == null ? 20 : p.x, p == null ? 20 : p.y);
    }

    private static void copy(String s) {
        try {
            java.awt.Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new java.awt.datatransfer.StringSelection(s), null);
        } catch (IllegalStateException e) {
            // no clipboard on this display: nothing to do
        }
    }

    /** Selects a page: the inspector, the status bar and the btree view follow. */
    public void select(long pfn) {
        bench.select(pfn);
    }

    private void poisonSelected(FailureEvent.Source src) {
        if (grid.selected() >= 0) {
            poison(grid.selected(), src, null);
        }
    }

    private void poison(long pfn, FailureEvent.Source src, Integer pid) {
        if (session.crashed()) {
            showError("The simulated kernel has crashed", "An earlier event oopsed the kernel: nothing else runs. Undo "
                    + "(Ctrl+Z) or Reset to go back.");
            return;
        }
        runGuarded(() -> session.poison(pfn, src, pid));
    }

    private void goTo(String text) {
        World w = displayedWorld();
        if (w == null) {
            return;
        }
        try {
            long pfn = GotoParser.pfnOf(w, text);
            select(pfn);
            grid.reveal(pfn);
            gotoField.putClientProperty("JComponent.outline", null);
            grid.requestFocusInWindow();
        } catch (GotoParser.GotoException e) {
            gotoField.putClientProperty("JComponent.outline", "error");
            bench.setStatus("Go to: " + e.getMessage());
        }
    }

    private void undo() {
        player.pause();
        session.undo();
    }

    private void redo() {
        player.pause();
        session.redo();
    }

    // ------------------------------------------------------------------ theme

    private void setPalette(Palette p) {
        palette = p;
        PREFS.put("theme", p.name());
        applyPalette();
    }

    private void applyPalette() {
        if (!java.awt.GraphicsEnvironment.isHeadless()) {
            FlatLaf laf = palette.isDark() ? new FlatDarkLaf() : new FlatLightLaf();
            try {
                UIManager.put("defaultFont", Fonts.ui(13f * palette.fontScale()));
                UIManager.setLookAndFeel(laf);
                SwingUtilities.updateComponentTreeUI(this);
            } catch (javax.swing.UnsupportedLookAndFeelException e) {
                // keep the current look and feel
            }
        }
        bench.applyPalette(palette);
        timelineBar.setPalette(palette);
        counter.setFont(Fonts.mono(12f * palette.fontScale()));
        function.setFont(Fonts.mono(12f * palette.fontScale()));
    }

    private void showKeys() {
        KeysOverlay.show(this, palette);
    }

    // ------------------------------------------------------------------ for tests and tools

    public Session session() {
        return session;
    }

    public Player player() {
        return player;
    }

    public PageGrid grid() {
        return grid;
    }

    public InspectorPanel inspector() {
        return bench.inspector();
    }

    public StoryPanel story() {
        return bench.story();
    }

    public OutcomeView outcome() {
        return bench.outcome();
    }

    public Workbench workbench() {
        return bench;
    }
}
