package dev.daxviz.ui;

import dev.daxviz.realkernel.CancelToken;
import dev.daxviz.realkernel.Cancelled;
import dev.daxviz.realkernel.DiffRow;
import dev.daxviz.realkernel.FidelityNote;
import dev.daxviz.realkernel.Stage;
import dev.daxviz.realkernel.Verifier;
import dev.daxviz.realkernel.VerifyJson;
import dev.daxviz.realkernel.VerifyOptions;
import dev.daxviz.realkernel.VerifyReport;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.ScenarioException;
import dev.daxviz.ui.grid.Patterns;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import net.miginfocom.swing.MigLayout;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTabbedPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import javax.swing.SwingWorker;
import javax.swing.table.DefaultTableCellRenderer;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Scenario ▸ Check against a real kernel: boots Debian's kernel in qemu (through {@link Verifier}, off the event
 * thread, cancellable), shows each stage as it goes, then puts the real events beside the simulated ones, one tab per
 * event: differences highlighted, approximations footnoted, the raw console and protocol one click away.
 *
 * <p>Reads the palette's {@code poison} (differs), {@code metadata} (approximate) and {@code data} (agrees) colours.
 */
final class RealKernelDialog extends JDialog {
    private static final long serialVersionUID = 1L;

    private final transient Supplier<BuiltScenario> scenario;
    private final transient Supplier<VerifyOptions> options;
    private final transient Palette palette;
    private final JComboBox<String> kernel = new JComboBox<>(new String[] {"6.1", "6.12"});
    private final JComboBox<String> accel = new JComboBox<>(new String[] {"tcg", "auto", "kvm"});
    private final JButton start = new JButton("Start");
    private final JButton cancel = new JButton("Cancel");
    private final Map<Stage, JLabel> stages = new EnumMap<>(Stage.class);
    private final JLabel verdict = new JLabel(" ");
    private final JTabbedPane events = new JTabbedPane();
    private final JButton console = new JButton("Kernel console…");
    private final JButton protocol = new JButton("Protocol log…");
    private final JButton save = new JButton("Save report…");
    private transient CancelToken token;
    private transient VerifyReport report;

    /**
     * @param scenario the scenario to check, built when the check starts (the app's current one)
     * @param profile  the kernel the app shows: preselected when it is 6.1 or 6.12
     * @param options  what a check starts from (the kernel and accelerator chosen here are set on it)
     */
    RealKernelDialog(JFrame owner, String title, Supplier<BuiltScenario> scenario, String profile, Palette palette,
                     Supplier<VerifyOptions> options) {
        super(owner, "Check against a real kernel — " + title, false);
        this.scenario = scenario;
        this.options = options;
        this.palette = palette;
        setName("realKernelDialog");
        kernel.setSelectedItem("6.12".equals(profile) ? "6.12" : "6.1");
        kernel.setName("realKernel.kernel");
        accel.setToolTipText("tcg: software emulation (always works); auto: try KVM first, fall back to tcg");
        start.setName("realKernel.start");
        cancel.setName("realKernel.cancel");
        verdict.setName("realKernel.verdict");
        cancel.setEnabled(false);
        for (JButton b : new JButton[] {console, protocol, save}) {
            b.setEnabled(false);
        }
        JPanel top = new JPanel(new MigLayout("insets 10, fillx", "[][]16[][]push[][]"));
        JTextArea about = new JTextArea("Boots Debian's real kernel in qemu on an emulated pmem device, runs this scenario "
                + "there (its files, processes and scripted events; your own clicks are not part of it), and puts what "
                + "really happened beside the simulation. The first run downloads the kernel (70–106 MB); after that a "
                + "check takes 5–15 s.");
        about.setEditable(false);
        about.setLineWrap(true);
        about.setWrapStyleWord(true);
        about.setOpaque(false);
        about.setFocusable(false);
        about.setFont(Fonts.ui(12f * palette.fontScale()));
        top.add(about, "span, growx, wmin 100, wrap");
        top.add(new JLabel("Kernel"));
        top.add(kernel);
        top.add(new JLabel("Accelerator"));
        top.add(accel);
        top.add(start);
        top.add(cancel, "wrap");
        // the stages in two columns, so that the rows below keep the room on a projector's larger text
        JPanel progress = new JPanel(new MigLayout("insets 0 10 0 10, gapy 2, wrap 4", "[][grow, sg s]24[][grow, sg s]"));
        for (Stage s : Stage.values()) {
            JLabel l = new JLabel("○  waiting");
            l.setName("realKernel.stage." + s.name());
            stages.put(s, l);
            progress.add(new JLabel(s.title()));
            progress.add(l, "growx");
        }
        top.add(progress, "span, growx, wrap");
        verdict.setFont(Fonts.uiBold(14f * palette.fontScale()));
        verdict.setOpaque(true);
        verdict.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
        top.add(verdict, "span, growx");
        JPanel buttons = new JPanel(new MigLayout("insets 6 10 10 10", "[][][]push[]"));
        JButton close = new JButton("Close");
        buttons.add(console);
        buttons.add(protocol);
        buttons.add(save);
        buttons.add(close);
        JPanel root = new JPanel(new MigLayout("insets 0, fill", "[grow]", "[][grow][]"));
        root.add(top, "growx, wrap");
        root.add(events, "grow, wrap");
        root.add(buttons, "growx");
        setContentPane(root);
        start.addActionListener(e -> begin());
        cancel.addActionListener(e -> {
            if (token != null) {
                token.cancel();
                cancel.setEnabled(false);
                verdict.setText("Cancelling: stopping qemu …");
            }
        });
        console.addActionListener(e -> showLog("Kernel console", report.logs().console()));
        protocol.addActionListener(e -> showLog("Protocol log", report.logs().protocol()));
        save.addActionListener(e -> saveReport());
        close.addActionListener(e -> dispose());
        getRootPane().setDefaultButton(start);
        float k = palette.fontScale();
        setSize(new Dimension(Math.min(Math.round(980 * k), Math.max(980, (int) (owner.getWidth() * 0.95))),
                Math.min(Math.round(720 * k), Math.max(600, (int) (owner.getHeight() * 0.95)))));
        setLocationRelativeTo(owner);
    }

    @Override
    public void dispose() {
        if (token != null) {
            token.cancel(); // closing the window stops the VM too
        }
        super.dispose();
    }

    private void begin() {
        BuiltScenario b;
        try {
            b = scenario.get();
        } catch (ScenarioException e) {
            showVerdict("The scenario is not valid here: " + e.problems().get(0), palette.poison());
            return;
        }
        token = new CancelToken();
        CancelToken mine = token;
        report = null;
        events.removeAll();
        stages.values().forEach(l -> l.setText("○  waiting"));
        for (JButton x : new JButton[] {console, protocol, save, start}) {
            x.setEnabled(false);
        }
        kernel.setEnabled(false);
        accel.setEnabled(false);
        cancel.setEnabled(true);
        showVerdict("Running …", null);
        VerifyOptions o = options.get().withKernel((String) kernel.getSelectedItem())
                .withAccel((String) accel.getSelectedItem());
        Map<Stage, Long> began = new EnumMap<>(Stage.class);
        new SwingWorker<VerifyReport, Void>() {
            @Override
            protected VerifyReport doInBackground() {
                return Verifier.verify(b, o, (stage, detail) -> SwingUtilities.invokeLater(() -> progress(stage,
                        detail, began)), mine);
            }

            @Override
            protected void done() {
                cancel.setEnabled(false);
                start.setEnabled(true);
                kernel.setEnabled(true);
                accel.setEnabled(true);
                try {
                    show(get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Cancelled) {
                        showVerdict("Cancelled: qemu was stopped. Start again when you like.", null);
                    } else if (c instanceof ScenarioException se) {
                        showVerdict("The scenario is not valid: " + se.problems().get(0), palette.poison());
                    } else {
                        showVerdict("The check failed: " + c, palette.poison());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.execute();
    }

    /** A stage started or has news: it and every stage before it are shown, with their seconds so far. */
    private void progress(Stage stage, String detail, Map<Stage, Long> began) {
        long now = System.nanoTime();
        began.putIfAbsent(stage, now);
        for (Stage s : Stage.values()) {
            if (s.ordinal() < stage.ordinal() && stages.get(s).getText().startsWith("◐")) {
                stages.get(s).setText("✓  " + stages.get(s).getText().substring(3));
            }
        }
        double secs = (now - began.get(stage)) / 1e9;
        stages.get(stage).setText("◐  " + detail + (secs >= 0.5 ? String.format(Locale.ROOT, "  (%.0f s)", secs) : ""));
    }

    private void show(VerifyReport r) {
        report = r;
        r.stageSeconds().forEach((title, secs) -> {
            for (Stage s : Stage.values()) {
                if (s.title().equals(title)) {
                    stages.get(s).setText(String.format(Locale.ROOT, "✓  %.1f s", secs));
                }
            }
        });
        String k = r.kernel() == null ? (String) kernel.getSelectedItem() : r.kernel().profile()
                + (r.kernel().unameR() != null ? " (" + r.kernel().unameR() + ", " + r.accel() + ")" : "");
        switch (r.verdict()) {
            case AGREE -> showVerdict("✓  The real kernel " + k + " agrees with the simulation.", palette.data());
            case DIFFER -> showVerdict("✕  The real kernel " + k + " differs from the simulation in "
                    + r.differences().size() + " place(s), highlighted below.", palette.poison());
            case REFUSED -> showVerdict("This scenario cannot run on a real kernel: " + String.join("; ",
                    r.plan().refusals()), palette.metadata());
            case UNAVAILABLE -> showVerdict("The real kernel could not be run: " + r.error(), palette.metadata());
        }
        Map<String, List<DiffRow>> tabs = new LinkedHashMap<>();
        for (DiffRow d : r.rows()) {
            tabs.computeIfAbsent(tabName(d, r), x -> new ArrayList<>()).add(d);
        }
        // open on the first tab that differs, else on the first event
        int firstDiffer = -1;
        int firstEvent = -1;
        for (Map.Entry<String, List<DiffRow>> e : tabs.entrySet()) {
            events.addTab(e.getKey(), tab(e.getValue()));
            int at = events.getTabCount() - 1;
            if (e.getValue().stream().anyMatch(d -> d.status() == DiffRow.Status.DIFFERS)) {
                events.setForegroundAt(at, palette.poison());
                firstDiffer = firstDiffer < 0 ? at : firstDiffer;
            }
            firstEvent = firstEvent < 0 && e.getKey().startsWith("Event") ? at : firstEvent;
        }
        if (firstDiffer >= 0 || firstEvent >= 0) {
            events.setSelectedIndex(firstDiffer >= 0 ? firstDiffer : firstEvent);
        }
        if (r.plan() != null && !r.plan().approximations().isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (FidelityNote n : r.plan().approximations()) {
                lines.add(n.item() + ": " + n.why());
            }
            events.addTab("Approximations", text(String.join("\n", lines)));
        }
        boolean logs = r.logs() != null;
        console.setEnabled(logs && r.logs().console() != null && Files.exists(r.logs().console()));
        protocol.setEnabled(logs && r.logs().protocol() != null && Files.exists(r.logs().protocol()));
        save.setEnabled(true);
    }

    private static String tabName(DiffRow d, VerifyReport r) {
        if (d.event() == null) {
            return d.field().startsWith("final") ? "Final state" : "Setup";
        }
        String kind = r.simulated() == null ? "" : r.simulated().events().stream().filter(e -> e.index() == d.event())
                .map(e -> " (" + e.kind() + ")").findFirst().orElse("");
        return "Event " + d.event() + kind;
    }

    /** One event's rows side by side; a differing row stands out, an approximate one carries its note's number. */
    private JPanel tab(List<DiffRow> rows) {
        String[] cols = {"", "what", "simulated", "real kernel"};
        Object[][] data = new Object[rows.size()][];
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            DiffRow d = rows.get(i);
            String mark = switch (d.status()) {
                case SAME -> "=";
                case DIFFERS -> "≠";
                case APPROXIMATE, NOT_REPRODUCIBLE -> "≈";
            };
            String field = d.field();
            if (d.note() != null && !d.note().isEmpty()) {
                notes.add((notes.size() + 1) + ". " + d.field() + ": " + d.note());
                field += "  [" + notes.size() + "]";
            }
            data[i] = new Object[] {mark, field, d.simulated(), d.real()};
        }
        JTable t = new JTable(data, cols) {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean isCellEditable(int r, int c) {
                return false;
            }
        };
        t.setName("realKernel.rows");
        t.setFont(Fonts.mono(12f * palette.fontScale()));
        t.setRowHeight(Math.round(20 * palette.fontScale()));
        t.getColumnModel().getColumn(0).setMaxWidth(28);
        t.getColumnModel().getColumn(1).setPreferredWidth(180);
        t.getColumnModel().getColumn(2).setPreferredWidth(330);
        t.getColumnModel().getColumn(3).setPreferredWidth(330);
        t.setDefaultRenderer(Object.class, new DefaultTableCellRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Component getTableCellRendererComponent(JTable table, Object v, boolean sel, boolean focus, int r,
                                                           int c) {
                Component comp = super.getTableCellRendererComponent(table, v, sel, focus, r, c);
                String m = (String) table.getValueAt(r, 0);
                if (!sel) {
                    comp.setBackground("≠".equals(m) ? tint(palette.poison()) : "≈".equals(m)
                            ? tint(palette.metadata()) : table.getBackground());
                }
                setToolTipText(v == null ? null : "<html>" + StoryPanel.esc(v.toString()).replace("\n", "<br>"));
                return comp;
            }
        });
        JPanel p = new JPanel(new MigLayout("insets 4, fill", "[grow]", "[grow][]"));
        p.add(new JScrollPane(t), "grow, wrap");
        if (!notes.isEmpty()) {
            JTextArea n = text(String.join("\n", notes));
            p.add(n, "growx, hmax 160");
        }
        return p;
    }

    /** A pale, opaque version of {@code c} on the palette's background (a translucent one smears when repainted). */
    private Color tint(Color c) {
        return Patterns.mix(palette.background(), c, palette.isDark() ? 0.35f : 0.25f);
    }

    private JTextArea text(String s) {
        JTextArea a = new JTextArea(s);
        a.setEditable(false);
        a.setLineWrap(true);
        a.setWrapStyleWord(true);
        a.setFont(Fonts.ui(12f * palette.fontScale()));
        return a;
    }

    private void showVerdict(String text, Color c) {
        verdict.setText("<html>" + StoryPanel.esc(text) + "</html>");
        verdict.setBackground(c == null ? getContentPane().getBackground() : tint(c));
    }

    private void showLog(String what, Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            content = "Cannot read " + file + ": " + e.getMessage();
        }
        JDialog d = new JDialog(this, what + " — " + file, false);
        JTextArea a = new JTextArea(content);
        a.setEditable(false);
        a.setFont(Fonts.mono(12f * palette.fontScale()));
        a.setName("realKernel.log");
        d.setContentPane(new JScrollPane(a));
        d.setSize(900, 600);
        d.setLocationRelativeTo(this);
        d.setVisible(true);
    }

    private void saveReport() {
        JFileChooser fc = new JFileChooser();
        fc.setSelectedFile(new java.io.File("verify-" + (report.kernel() == null ? kernel.getSelectedItem()
                : report.kernel().profile()) + ".json"));
        if (fc.showSaveDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        try {
            Files.writeString(fc.getSelectedFile().toPath(), VerifyJson.write(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            showVerdict("Could not save the report: " + e.getMessage() + " — choose another folder.", palette.poison());
        }
    }

    /** The report shown, for tests. */
    VerifyReport report() {
        return report;
    }
}
