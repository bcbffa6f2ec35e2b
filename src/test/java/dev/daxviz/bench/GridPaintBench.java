package dev.daxviz.bench;

import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.ui.grid.Band;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.grid.GridLayout;
import dev.daxviz.ui.grid.GridPainter;
import dev.daxviz.ui.grid.GridSnapshot;
import dev.daxviz.ui.theme.Palette;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Repaint of a 1920×1080 viewport of the page grid on the 1 TiB world of {@link ModelBench} (issue 6, "Tests and
 * measurements"; goal &lt; 8 ms median at each zoom), and the one-off cost of {@link DeviceSummary#of} on that world
 * (it runs when a world is opened). Zoom levels: 1, 64, 4,096 and 262,144 pages per cell, and the whole-device
 * overview ({@code PageGrid.overview()}: 10 px cells, pages per cell doubled until the device fits 1080 px). Cells
 * are 10 px; the view is scrolled to the middle of AG 1 (free space at the fine zooms) or to the middle of AG 1's
 * files, with the page at its centre selected and poisoned and the extents of the file owning it outlined and a
 * page lit, as after a click and a poison.
 *
 * <p>Run: {@code mvn -o -Pbench test-compile exec:exec -Dbench.args=GridPaintBench}.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Djava.awt.headless=true"})
public class GridPaintBench {
    public static final int WIDTH = 1920;
    public static final int HEIGHT = 1080;
    public static final int CELL_PX = 10;
    /** A file of AG 1 ({@code i % 4 == 1}) half way through the files: the "ag1-data" view is centred on it. */
    public static final int DATA_FILE = 45_001;

    /** The 1 TiB world and its summary. */
    @State(Scope.Benchmark)
    public static class Device {
        World world;
        DeviceSummary summary;

        @Setup(Level.Trial)
        public void setUp() {
            long t0 = System.nanoTime();
            world = BigWorlds.terabyte();
            long t1 = System.nanoTime();
            summary = DeviceSummary.of(world);
            long t2 = System.nanoTime();
            System.out.printf("%nterabyte world built in %.0f ms; DeviceSummary.of (first, cold) %.0f ms: %d runs%n",
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6, summary.runs());
        }
    }

    /** One zoom level: the layout, the snapshot and the image painted into. */
    @State(Scope.Thread)
    public static class View {
        @Param({"1", "64", "4096", "262144", "overview"})
        String zoom;
        /**
         * "ag1-middle": scrolled to the middle of AG 1 (free space at fine zooms: the files fill the first ~1.6% of
         * each AG); "ag1-data": centred on a file in the middle of AG 1's files, so every cell is owned or mixed.
         */
        @Param({"ag1-middle", "ag1-data"})
        String where;
        GridSnapshot snapshot;
        BufferedImage image;
        Graphics2D g;
        final Rectangle bounds = new Rectangle(0, 0, WIDTH, HEIGHT);

        @Setup(Level.Trial)
        public void setUp(Device d) {
            Palette p = Palette.LIGHT;
            int label = Math.round(22 * p.fontScale());
            GridLayout l;
            if (zoom.equals("overview")) {
                long ppc = 1;
                l = new GridLayout(d.summary.bands(), ppc, CELL_PX, WIDTH, label);
                for (int guard = 0; guard < 64 && l.height() > HEIGHT; guard++) {
                    ppc *= 2;
                    l = new GridLayout(d.summary.bands(), ppc, CELL_PX, WIDTH, label);
                }
            } else {
                l = new GridLayout(d.summary.bands(), Long.parseLong(zoom), CELL_PX, WIDTH, label);
            }
            int ag1 = -1;
            for (int b = 0; b < l.bands().size(); b++) {
                if (l.bands().get(b).agno() == 1) {
                    ag1 = b;
                }
            }
            long mid = where.equals("ag1-data")
                    ? l.rectOf(l.cellOf(BigWorlds.pfnOf(d.world, BigWorlds.terabytePath(DATA_FILE), 0))).y
                    : l.bandCellsY(ag1) + l.bandRows(ag1) * l.cellPx() / 2;
            long scrollY = Math.max(0, Math.min(l.height() - HEIGHT, mid - HEIGHT / 2));
            // the page at the centre of the viewport: selected, poisoned, its file's extents outlined and lit
            GridLayout.Cell centre = l.cellAt(WIDTH / 2, (int) (scrollY + HEIGHT / 2));
            long pfn = centre != null ? l.firstPfn(centre) : d.world.device().dataStartPfn();
            List<long[]> extents = extentsOwning(d.world, pfn);
            image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            snapshot = new GridSnapshot(l, d.summary, p, scrollY, new long[] {pfn}, pfn, extents,
                    List.of(new long[] {pfn, pfn + 1}), pfn, 0.4f);
            Band band = centre != null ? l.bands().get(centre.band()) : null;
            System.out.printf("%nzoom %s, %s: %d pages per cell, %d cols, layout height %d px, scrollY %d, centre pfn %s "
                    + "in %s, %d extents outlined%n", zoom, where, l.pagesPerCell(), l.cols(), l.height(), scrollY,
                    Units.hex(pfn), band == null ? "-" : band.label(), extents.size());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            g.dispose();
        }
    }

    /** pfn ranges of the data extents of the file owning {@code pfn} (none when no file does). */
    static List<long[]> extentsOwning(World w, long pfn) {
        List<long[]> out = new ArrayList<>();
        var a = w.addressing().ofPfn(pfn);
        if (a.agno() == null) {
            return out;
        }
        List<RmapRecord> recs = w.fs().ag(a.agno()).rmap().queryRange(a.agbno(), a.agbno()).records();
        for (RmapRecord r : recs) {
            if (r.isInodeOwner() && !r.attrFork() && !r.bmbtBlock()) {
                Inode i = w.fs().inode(r.owner());
                for (Extent e : i.dataExtents()) {
                    long first = w.device().pfnOfOffset(e.startblock() * Units.PAGE_SIZE);
                    out.add(new long[] {first, first + e.blockcount()});
                }
                break;
            }
        }
        return out;
    }

    /** {@link GridPainter#paint} of the whole 1920×1080 viewport. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5, time = 3)
    @Measurement(iterations = 5, time = 2)
    public int paint(View v) {
        GridPainter.paint(v.g, v.bounds, v.snapshot);
        return v.image.getRGB(WIDTH / 2, HEIGHT / 2);
    }

    /** {@link DeviceSummary#of} on the 1 TiB world, from scratch each time. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public DeviceSummary summaryOf(Device d) {
        return DeviceSummary.of(d.world);
    }
}
