package dev.daxviz.ui.export;

import dev.daxviz.ui.Session;
import dev.daxviz.ui.Workbench;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.playback.Timeline;

import javax.swing.ButtonGroup;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JTabbedPane;
import javax.swing.KeyStroke;
import javax.swing.ProgressMonitor;
import javax.swing.SwingWorker;
import javax.swing.filechooser.FileNameExtensionFilter;
import java.awt.Toolkit;
import java.awt.event.KeyEvent;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.prefs.Preferences;

/**
 * The window's Export menu: what to export (the whole workbench or one view) and how (PNG at 1× or 2×, SVG, a frame
 * per step, an animated GIF, the result JSON, or the image on the clipboard). Everything is drawn by the
 * {@link Renderer} from the window's state, step, selection and zoom, so a file looks like the window; errors come
 * as dialogs.
 */
public final class ExportMenu extends JMenu {
    private static final long serialVersionUID = 1L;
    private static final Preferences PREFS = Preferences.userNodeForPackage(ExportMenu.class);

    private final JFrame owner;
    private final transient Workbench bench;
    private View view = View.WINDOW;

    public ExportMenu(JFrame owner, Workbench bench) {
        super("Export");
        this.owner = owner;
        this.bench = bench;
        setName("exportMenu");
        setMnemonic(KeyEvent.VK_X);
        JMenu what = new JMenu("What to export");
        what.setName("export.view");
        ButtonGroup g = new ButtonGroup();
        for (View v : View.values()) {
            JRadioButtonMenuItem it = new JRadioButtonMenuItem(v == View.WINDOW ? "Whole window (grid, story, "
                    + "inspector, tabs)" : v.title());
            it.setName("export.view." + v.id());
            it.setSelected(v == view);
            it.addActionListener(e -> view = v);
            g.add(it);
            what.add(it);
        }
        add(what);
        addSeparator();
        int menu = Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx();
        add(item("PNG image…", "png", KeyStroke.getKeyStroke(KeyEvent.VK_E, menu), () -> picture(Exporter.Format.PNG, 1)));
        add(item("PNG image at 2× (HiDPI)…", "png2", null, () -> picture(Exporter.Format.PNG, 2)));
        add(item("SVG image (text kept as text)…", "svg", null, () -> picture(Exporter.Format.SVG, 1)));
        addSeparator();
        add(item("Frame sequence (one PNG per step)…", "frames", null, () -> sequence(false)));
        add(item("Animated GIF of the trace…", "gif", null, () -> sequence(true)));
        addSeparator();
        add(item("Result JSON…", "json", null, this::json));
        add(item("Copy image", "copy", KeyStroke.getKeyStroke(KeyEvent.VK_C, menu | KeyEvent.SHIFT_DOWN_MASK),
                this::copy));
    }

    private static JMenuItem item(String text, String name, KeyStroke key, Runnable r) {
        JMenuItem it = new JMenuItem(text);
        it.setName("export." + name);
        if (key != null) {
            it.setAccelerator(key);
        }
        it.addActionListener(e -> r.run());
        return it;
    }

    public View view() {
        return view;
    }

    public void setView(View v) {
        view = v;
    }

    // ------------------------------------------------------------------ what the window shows

    /** The window's state at the shown step, with its selection, zoom and tab. */
    public Scene scene() {
        Session.State st = bench.state();
        if (st == null) {
            throw new ExportException("nothing is open", "open a scenario or a lesson first");
        }
        Timeline tl = new Timeline(st);
        PlaybackSnapshot shown = bench.shown();
        int step = shown == null ? -1 : shown.step();
        Scene s = Scene.at(st, tl, step);
        if (bench.grid().selected() >= 0) {
            s = s.withSelected(bench.grid().selected());
        }
        if (Headless.find(bench, "tabs") instanceof JTabbedPane t && t.getSelectedIndex() >= 0) {
            s = s.withTab(t.getSelectedIndex());
        }
        return s.withGridZoom(bench.grid().pagesPerCell(), bench.grid().cellPx());
    }

    /** The spec for the chosen view: the window at its size on screen, a single view at the default size. */
    public RenderSpec spec(double scale) {
        int w = view == View.WINDOW && bench.getWidth() >= 64 ? bench.getWidth() : RenderSpec.DEFAULT_WIDTH;
        int h = view == View.WINDOW && bench.getHeight() >= 64 ? bench.getHeight() : RenderSpec.DEFAULT_HEIGHT;
        return new RenderSpec(view, w, h, scale, bench.palette());
    }

    // ------------------------------------------------------------------ actions

    private void picture(Exporter.Format format, double scale) {
        try {
            Scene sc = scene();
            RenderSpec spec = spec(scale);
            String ext = format == Exporter.Format.SVG ? "svg" : "png";
            File f = chooseFile(baseName(sc) + (scale > 1 ? "@2x" : "") + "." + ext, ext);
            if (f != null) {
                run("Exporting " + f.getName(), () -> {
                    Exporter.write(sc, spec, format, f.toPath());
                    return null;
                }, null);
            }
        } catch (ExportException e) {
            fail(e.getMessage());
        }
    }

    private void sequence(boolean gif) {
        try {
            Scene live = scene();
            Session.State st = live.state();
            List<Scene> frames = new ArrayList<>();
            for (Scene s : Scene.frames(st, null)) {
                frames.add(s.withGridZoom(live.gridPpc(), live.gridCellPx()));
            }
            RenderSpec spec = spec(1);
            File f = gif ? chooseFile(slug(st.title()) + "-" + view.id() + ".gif", "gif") : chooseDirectory();
            if (f == null) {
                return;
            }
            ProgressMonitor pm = new ProgressMonitor(owner, "Rendering " + frames.size() + " frames…", null, 0,
                    frames.size());
            pm.setMillisToDecideToPopup(200);
            run("Exporting " + f.getName(), () -> {
                java.util.function.IntConsumer progress = i -> {
                    if (pm.isCanceled()) {
                        throw new CancellationException();
                    }
                    javax.swing.SwingUtilities.invokeLater(() -> pm.setProgress(i));
                };
                if (gif) {
                    Exporter.writeGif(frames, spec, Exporter.FRAME_MS, f.toPath(), progress);
                } else {
                    Exporter.writeFrames(frames, spec, f.toPath(), progress);
                }
                return null;
            }, pm);
        } catch (ExportException e) {
            fail(e.getMessage());
        }
    }

    private void json() {
        try {
            Session.State st = scene().state();
            File f = chooseFile(slug(st.title()) + "-result.json", "json");
            if (f != null) {
                run("Exporting " + f.getName(), () -> {
                    Files.writeString(f.toPath(), Exporter.json(st), StandardCharsets.UTF_8);
                    return null;
                }, null);
            }
        } catch (ExportException e) {
            fail(e.getMessage());
        }
    }

    private void copy() {
        try {
            Scene sc = scene();
            RenderSpec spec = spec(1);
            run("Copying the image", () -> {
                java.awt.image.BufferedImage img = Renderer.image(sc, spec);
                javax.swing.SwingUtilities.invokeLater(() -> {
                    try {
                        Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new Exporter.ImageSelection(img), null);
                    } catch (IllegalStateException e) {
                        fail("The clipboard is busy; try again.");
                    }
                });
                return null;
            }, null);
        } catch (ExportException e) {
            fail(e.getMessage());
        }
    }

    /** Work off the event dispatch thread (rendering hops onto it per picture); errors become a dialog. */
    private interface Work {
        Void call() throws IOException;
    }

    private void run(String what, Work work, ProgressMonitor pm) {
        owner.setCursor(java.awt.Cursor.getPredefinedCursor(java.awt.Cursor.WAIT_CURSOR));
        new SwingWorker<Void, Void>() {
            @Override
            protected Void doInBackground() throws IOException {
                return work.call();
            }

            @Override
            protected void done() {
                owner.setCursor(null);
                if (pm != null) {
                    pm.close();
                }
                try {
                    get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (!(c instanceof CancellationException)) {
                        fail(what + " failed: " + message(c));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.execute();
    }

    static String message(Throwable t) {
        if (t instanceof ExportException e) {
            return e.getMessage();
        }
        if (t instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (t instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private void fail(String message) {
        JOptionPane.showMessageDialog(owner, message, "Export", JOptionPane.ERROR_MESSAGE);
    }

    // ------------------------------------------------------------------ choosers

    private File chooseFile(String name, String ext) {
        JFileChooser fc = new JFileChooser(PREFS.get("dir", System.getProperty("user.home")));
        fc.setDialogTitle("Export " + view.title() + " as " + ext.toUpperCase(Locale.ROOT));
        fc.setFileFilter(new FileNameExtensionFilter(ext.toUpperCase(Locale.ROOT) + " (*." + ext + ")", ext));
        fc.setSelectedFile(new File(fc.getCurrentDirectory(), name));
        if (fc.showSaveDialog(owner) != JFileChooser.APPROVE_OPTION) {
            return null;
        }
        File f = fc.getSelectedFile();
        if (!f.getName().toLowerCase(Locale.ROOT).endsWith("." + ext)) {
            f = new File(f.getPath() + "." + ext);
        }
        PREFS.put("dir", f.getAbsoluteFile().getParent());
        if (f.exists() && JOptionPane.showConfirmDialog(owner, f.getName() + " exists. Replace it?", "Export",
                JOptionPane.OK_CANCEL_OPTION, JOptionPane.WARNING_MESSAGE) != JOptionPane.OK_OPTION) {
            return null;
        }
        return f;
    }

    private File chooseDirectory() {
        JFileChooser fc = new JFileChooser(PREFS.get("dir", System.getProperty("user.home")));
        fc.setDialogTitle("Directory for the frames (frame-0001.png …; older frames there are replaced)");
        fc.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
        if (fc.showSaveDialog(owner) != JFileChooser.APPROVE_OPTION) {
            return null;
        }
        File f = fc.getSelectedFile();
        PREFS.put("dir", f.getAbsolutePath());
        return f;
    }

    private String baseName(Scene sc) {
        return slug(sc.state().title()) + "-" + view.id() + (sc.step() >= 0 ? "-step" + (sc.step() + 1) : "");
    }

    static String slug(String title) {
        String s = title == null ? "" : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        if (s.length() > 48) {
            s = s.substring(0, 48).replaceAll("-$", "");
        }
        return s.isEmpty() ? "daxviz" : s;
    }
}
