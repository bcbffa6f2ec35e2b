package dev.daxviz.ui;

import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.ui.charts.BlastRadiusStrip;
import dev.daxviz.ui.charts.ChartsPanel;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.grid.PageGrid;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;

import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTabbedPane;
import javax.swing.JTable;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the window shows about the simulation, as one panel that needs no window: the page grid with its
 * legend and banner, the story (call chain, narration, dmesg), the inspector, and the outcome / rmap btree /
 * files / processes tabs. The window adds menus, toolbar and player around it; headless rendering lays it out
 * alone (the "presentation" view).
 */
public final class Workbench extends JPanel {
    private static final long serialVersionUID = 1L;
    public static final int TAB_OUTCOME = 0;
    public static final int TAB_FLOW = 1;
    public static final int TAB_BTREE = 2;

    private transient Palette palette = Palette.LIGHT;
    private transient DeviceSummary summary;
    private transient World summaryWorld;
    private transient PlaybackSnapshot shown;
    private transient Session.State state;

    private final PageGrid grid = new PageGrid();
    private final LegendPanel legend = new LegendPanel();
    private final BlastRadiusStrip blast = new BlastRadiusStrip();
    private final ChartsPanel charts = new ChartsPanel();
    private final JLabel banner = new JLabel();
    private final InspectorPanel inspector = new InspectorPanel();
    private final BtreeView btree = new BtreeView();
    private final FilesTableModel filesModel = new FilesTableModel();
    private final JTable files = new JTable(filesModel);
    private final ProcessesTableModel procModel = new ProcessesTableModel();
    private final JTable procs = new JTable(procModel);
    private final JTabbedPane tabs = new JTabbedPane();
    private final StoryPanel story = new StoryPanel();
    private final OutcomeView outcome = new OutcomeView();
    private final dev.daxviz.ui.flow.FlowView flow = new dev.daxviz.ui.flow.FlowView();
    private final JLabel status = new JLabel(" ");
    private final JSplitPane left;
    private final JSplitPane right;
    private final JSplitPane main;

    public Workbench() {
        super(new BorderLayout());
        setName("workbench");
        JPanel gridPanel = new JPanel(new BorderLayout());
        banner.setName("banner");
        banner.setOpaque(true);
        banner.setVisible(false);
        banner.setBorder(BorderFactory.createEmptyBorder(6, 12, 6, 12));
        gridPanel.add(banner, BorderLayout.NORTH);
        gridPanel.add(grid, BorderLayout.CENTER);
        JPanel under = new JPanel(new BorderLayout());
        under.add(blast, BorderLayout.NORTH);
        under.add(legend, BorderLayout.SOUTH);
        gridPanel.add(under, BorderLayout.SOUTH);
        blast.onPick(pfn -> {
            select(pfn);
            grid.reveal(pfn);
        });
        grid.setName("grid");
        grid.tooltips(pfn -> {
            World w = displayedWorld();
            return w == null ? null : "<html>" + StoryPanel.esc(PageInfo.of(w, pfn).summaryLine()) + "</html>";
        });
        grid.addPropertyChangeListener("zoom", e -> updateZoomText());

        story.setPreferredSize(new Dimension(600, 300));
        story.setMinimumSize(new Dimension(200, 160));
        left = new JSplitPane(JSplitPane.VERTICAL_SPLIT, gridPanel, story);
        left.setResizeWeight(0.62);
        left.setBorder(null);

        files.setName("files");
        files.setAutoCreateRowSorter(true);
        files.getSelectionModel().addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting()) {
                tableSelectionChanged();
            }
        });
        procs.setName("processes");
        procs.getSelectionModel().addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting()) {
                tableSelectionChanged();
            }
        });
        tabs.setName("tabs");
        tabs.setTabLayoutPolicy(JTabbedPane.SCROLL_TAB_LAYOUT);
        tabs.addTab("Outcome", outcome);
        tabs.addTab("Who it reaches", new JScrollPane(flow));
        tabs.addTab("rmap btree", btree);
        tabs.addTab("Files & extents", new JScrollPane(files));
        tabs.addTab("Processes", new JScrollPane(procs));
        JScrollPane chartScroll = new JScrollPane(charts);
        chartScroll.setBorder(null);
        chartScroll.getVerticalScrollBar().setUnitIncrement(24);
        tabs.addTab("Charts", chartScroll);
        JScrollPane inspScroll = new JScrollPane(inspector);
        inspScroll.setBorder(null);
        inspScroll.setPreferredSize(new Dimension(440, 420));
        right = new JSplitPane(JSplitPane.VERTICAL_SPLIT, inspScroll, tabs);
        right.setResizeWeight(0.5);
        right.setBorder(null);

        main = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, left, right);
        main.setResizeWeight(0.66);
        main.setBorder(null);
        add(main, BorderLayout.CENTER);
        status.setName("status");
        status.setBorder(BorderFactory.createEmptyBorder(3, 10, 3, 10));
        add(status, BorderLayout.SOUTH);
    }

    // ------------------------------------------------------------------ state

    /** A new session state: the summary (when the layout changed), the tables. */
    public void setState(Session.State s) {
        state = s;
        World w = s.world();
        Prepared p = prepared(w);
        if (summaryWorld == null || !sameLayout(summaryWorld, w)) {
            summary = p != null ? p.summary() : DeviceSummary.of(w);
            grid.setSummary(summary);
        }
        summaryWorld = w;
        // the rows depend on the files only: a poison (a new world, the same filesystem) keeps them
        if (w.fs() == null || w.fs() != rowsFs) {
            filesModel.setRows(p != null ? p.rows() : FilesTableModel.rowsOf(w));
            rowsFs = w.fs();
        }
    }

    private transient dev.daxviz.model.Xfs rowsFs;

    /** What {@link #setState} needs of a world that takes time on a big one, computed ahead by {@link #prepare}. */
    record Prepared(World world, DeviceSummary summary, List<FilesTableModel.Row> rows) {
    }

    private static final List<Prepared> PREPARED = new ArrayList<>();

    private static Prepared prepared(World w) {
        synchronized (PREPARED) {
            for (Prepared p : PREPARED) {
                if (p.world() == w) {
                    return p;
                }
            }
            return null;
        }
    }

    /**
     * Computes off the EDT what showing {@code w} needs (the device summary, the files table's rows), so that
     * {@link #setState} on the EDT only swaps them in: a 1 TiB world's summary and 60,000 rows take a few hundred
     * ms. Keeps the last four worlds prepared (undo and redo come back to them).
     */
    public static void prepare(World w) {
        if (w == null || prepared(w) != null) {
            return;
        }
        Prepared p = new Prepared(w, DeviceSummary.of(w), List.copyOf(FilesTableModel.rowsOf(w)));
        synchronized (PREPARED) {
            PREPARED.add(p);
            while (PREPARED.size() > 4) {
                PREPARED.remove(0);
            }
        }
    }

    public Session.State state() {
        return state;
    }

    private static boolean sameLayout(World a, World b) {
        if (a.device() != b.device() && !a.device().equals(b.device())) {
            return false;
        }
        if (a.fs() == null || b.fs() == null) {
            return a.fs() == b.fs();
        }
        return a.fs().ags().equals(b.fs().ags()) && a.fs().inodes().keySet().equals(b.fs().inodes().keySet());
    }

    /** The page a freshly opened state should select: the first event's page, else the first file's first page. */
    public static long firstInterestingPfn(Session.State s) {
        for (Session.EventEntry e : s.events()) {
            if (e.result() != null && e.result().outcome().address() != null) {
                return e.result().outcome().address().pfn();
            }
        }
        World w = s.world();
        if (w.hasFs() && !w.fs().inodes().isEmpty()) {
            Inode i = w.fs().inodes().firstEntry().getValue();
            if (!i.dataExtents().isEmpty() && !i.rt()) {
                return w.device().pfnOfOffset(i.dataExtents().get(0).startblock() * Units.PAGE_SIZE);
            }
        }
        return w.device().dataStartPfn();
    }

    public World displayedWorld() {
        return shown != null ? shown.world() : state == null ? null : state.world();
    }

    public PlaybackSnapshot shown() {
        return shown;
    }

    /**
     * The tab playback switches to at a step (timeline index {@code step} of {@code total}, in kernel function
     * {@code function}), or {@code current} when the step does not switch. Export replays it to show the same tab.
     */
    public static int followedTab(String function, int step, int total, int current) {
        if (function.equals("xfs_rmap_query_range")) {
            return TAB_BTREE;
        } else if (step == total - 1) {
            return TAB_OUTCOME;
        } else if (!function.startsWith("xfs_rmap")) {
            return TAB_FLOW;
        }
        return current;
    }

    /** Every view to one instant of playback. {@code following}: switch tabs to what the step is about. */
    public void showSnapshot(PlaybackSnapshot s, boolean following) {
        shown = s;
        World w = s.world();
        grid.setPoisoned(s.poisonedNow().stream().mapToLong(Long::longValue).sorted().toArray());
        List<long[]> glow = new ArrayList<>();
        s.glow().forEach(r -> glow.add(new long[] {r.from(), r.to()}));
        float pulse = s.pulsePfn() >= 0 && s.step() >= 0 ? (s.t() * 2f) % 1f : 0f;
        grid.setGlow(glow, s.step() >= 0 ? s.pulsePfn() : -1, pulse);
        story.show(s);
        blast.setWorld(w);
        charts.show(state, s, summary, blast::snapshot);
        inspector.setLit(s.litForms());
        if (following && s.current() != null) {
            tabs.setSelectedIndex(followedTab(s.current().function(), s.step(), s.total(), tabs.getSelectedIndex()));
        }
        flow.show(dev.daxviz.ui.flow.FlowModel.of(state, s), palette);
        if (s.btreeAgno() >= 0) {
            btree.show(w, s.btreeAgno(), s.visited(), s.currentNode(), s.matched());
        } else {
            showSelectedBtree();
        }
        outcome.show(state, s, palette);
        List<Process> all = new ArrayList<>(state.initial().processes());
        for (Process p : w.processes()) {
            if (all.stream().noneMatch(x -> x.pid() == p.pid())) {
                all.add(p);
            }
        }
        procModel.setWorld(w, all, s.badges());
        if (!s.files().isEmpty()) {
            for (int r = 0; r < files.getRowCount(); r++) {
                FilesTableModel.Row row = filesModel.row(files.convertRowIndexToModel(r));
                if (s.files().contains(row.inode().ino())) {
                    files.scrollRectToVisible(files.getCellRect(r, 0, true));
                    break;
                }
            }
        }
        if (s.banner() != null) {
            banner.setText("⚠  " + s.banner());
            banner.setVisible(true);
        } else {
            banner.setVisible(false);
        }
        if (grid.selected() >= 0) {
            inspector.show(infoOf(grid.selected()));
        }
        if (s.step() >= 0 && s.pulsePfn() >= 0 && s.current() != null && s.current().function().equals("memory_failure")) {
            grid.reveal(s.pulsePfn());
        }
    }

    /** The inspector's page info in the shown world, with HWPoison set earlier in the event being played. */
    private PageInfo infoOf(long pfn) {
        PageInfo info = PageInfo.of(displayedWorld(), pfn);
        if (shown != null && shown.poisonedNow().contains(pfn) && !info.state().hwpoison()) {
            info = new PageInfo(info.address(), info.owners(), info.records(), info.state().withHwpoison(true),
                    info.mappingPath(), info.mappers(), info.refcount());
        }
        return info;
    }

    /** Selects a page: the inspector, the status line and the btree view follow. */
    public void select(long pfn) {
        grid.setSelected(pfn);
        blast.setSelected(pfn);
        World w = displayedWorld();
        if (w == null || pfn < 0) {
            inspector.show(null);
            return;
        }
        PageInfo info = infoOf(pfn);
        inspector.show(info);
        status.setText(info.summaryLine());
        showSelectedBtree();
    }

    private void showSelectedBtree() {
        World w = displayedWorld();
        if (w == null || grid.selected() < 0) {
            return;
        }
        PageInfo info = PageInfo.of(w, grid.selected());
        if (info.address().agno() != null) {
            btree.show(w, info.address().agno(), Set.of(), null, Set.copyOf(info.records()));
        } else {
            btree.show(w, -1, Set.of(), null, Set.of());
        }
    }

    public void moveSelection(int dx, int dy) {
        long next = grid.neighbour(grid.selected(), dx, dy);
        select(next);
        grid.reveal(next);
    }

    /** Outlines the pages of the selected file's extents and of the selected process's mapped pages. */
    private void tableSelectionChanged() {
        World w = displayedWorld();
        if (w == null) {
            return;
        }
        List<long[]> ranges = new ArrayList<>();
        int fr = files.getSelectedRow();
        if (fr >= 0) {
            Inode i = filesModel.row(files.convertRowIndexToModel(fr)).inode();
            for (Extent e : i.dataExtents()) {
                long pfn = i.rt() ? w.rtDevice().map(d -> d.pfnOfOffset(e.startblock() * Units.PAGE_SIZE)).orElse(-1L)
                        : w.device().pfnOfOffset(e.startblock() * Units.PAGE_SIZE);
                ranges.add(new long[] {pfn, pfn + e.blockcount()});
            }
        }
        int pr = procs.getSelectedRow();
        if (pr >= 0) {
            Vma v = procModel.row(pr).v();
            if (v != null && v.ino() >= 0 && w.hasFs() && w.fs().inode(v.ino()) != null) {
                Inode i = w.fs().inode(v.ino());
                for (long idx : v.present()) {
                    Extent e = i.extentAt(idx);
                    if (e != null && !i.rt()) {
                        long pfn = w.device().pfnOfOffset(e.blockAt(idx) * Units.PAGE_SIZE);
                        ranges.add(new long[] {pfn, pfn + 1});
                    }
                }
            }
        }
        grid.setHighlights(ranges);
        if (!ranges.isEmpty()) {
            grid.reveal(ranges.get(0)[0]);
        }
    }

    // ------------------------------------------------------------------ theme

    public void applyPalette(Palette p) {
        palette = p;
        grid.setPalette(palette);
        legend.setPalette(palette);
        blast.setPalette(palette);
        charts.setPalette(palette);
        btree.setPalette(palette);
        story.setPalette(palette);
        inspector.setScale(palette.fontScale(), palette.highlight());
        banner.setBackground(palette.banner());
        banner.setForeground(palette.bannerText());
        banner.setFont(Fonts.uiBold(14f * palette.fontScale()));
        Font tableFont = Fonts.ui(12f * palette.fontScale());
        for (JTable t : new JTable[] {files, procs}) {
            t.setFont(tableFont);
            t.setRowHeight(Math.round(20 * palette.fontScale()));
        }
        status.setFont(Fonts.mono(11.5f * palette.fontScale()));
        if (shown != null) {
            showSnapshot(shown, false);
        }
        updateZoomText();
    }

    public Palette palette() {
        return palette;
    }

    private void updateZoomText() {
        long ppc = grid.pagesPerCell();
        legend.setZoomText(ppc == 1 ? "1 cell = 1 page (4 KiB)" : "1 cell = " + ppc + " pages (" + Units.human(ppc
                * Units.PAGE_SIZE) + ")");
    }

    /** Sets the split positions for a given size (headless layout has no user to drag them). */
    public void layoutFor(int width, int height) {
        setSize(width, height);
        main.setDividerLocation((int) (width * 0.64));
        left.setDividerLocation((int) ((height - 30) * 0.6));
        right.setDividerLocation((int) ((height - 30) * 0.45));
    }

    public void showTab(int i) {
        tabs.setSelectedIndex(i);
    }

    public void setStatus(String s) {
        status.setText(s);
    }

    // ------------------------------------------------------------------ parts (for the window, tests, export)

    public PageGrid grid() {
        return grid;
    }

    public InspectorPanel inspector() {
        return inspector;
    }

    public StoryPanel story() {
        return story;
    }

    public OutcomeView outcome() {
        return outcome;
    }

    public BtreeView btree() {
        return btree;
    }

    public dev.daxviz.ui.flow.FlowView flow() {
        return flow;
    }

    public LegendPanel legend() {
        return legend;
    }

    public DeviceSummary summary() {
        return summary;
    }

    public BlastRadiusStrip blastStrip() {
        return blast;
    }

    public ChartsPanel charts() {
        return charts;
    }
}
