package dev.daxviz.ui.charts;

import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.ui.UiWorlds;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.grid.PageClass;
import dev.daxviz.ui.theme.Palette;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Random;

import static dev.daxviz.ui.UiWorlds.pfn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blast radius against hand-computed worlds on the reference machine (UiWorlds: 502 MiB, 4 AGs of 32,128 blocks,
 * fs block B at pfn 0x40a00 + B, the first file data at AG 0 agbno 24).
 */
class BlastRadiusTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * /a.bin (16 KiB at agbno 24–27) with two reflink clones /b.bin and /c.bin: every page of it is shared by three
     * files. p1 maps /a.bin and p2 maps /b.bin, both with every page faulted in; p3 maps /c.bin but never touched it
     * (no page-table entry: a poison does not reach it). /d.bin (its own 16 KiB at agbno 28–31) is mapped by nobody.
     */
    static World sharedByThreeMappedByTwo() {
        WorldEditor e = UiWorlds.reference();
        e.createFile(WorldEditor.FileSpec.of("/a.bin", 16 * Units.KiB));
        e.reflink("/a.bin", "/b.bin");
        e.reflink("/a.bin", "/c.bin");
        e.createFile(WorldEditor.FileSpec.of("/d.bin", 16 * Units.KiB));
        e.addProcess(201, "p1", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
        e.addProcess(202, "p2", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
        e.addProcess(203, "p3", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
        e.map(201, "/a.bin", 0, 16 * Units.KiB, false, null);
        e.touch(201, "/a.bin", 0, 16 * Units.KiB, false);
        e.map(202, "/b.bin", 0, 16 * Units.KiB, false, null);
        e.touch(202, "/b.bin", 0, 16 * Units.KiB, false);
        e.map(203, "/c.bin", 0, 16 * Units.KiB, false, null);
        return e.build().check();
    }

    @Test
    void aPageSharedByThreeFilesMappedByTwoProcessesReachesThreeFilesAndTwoProcesses() {
        World w = sharedByThreeMappedByTwo();
        // one region per 64 pages: agbno 24–27 and 28–31 share region 0 with AG 0's headers
        BlastRadius r = BlastRadius.of(w, (int) (w.device().pages() / 64));
        long shared = pfn(0, 25);
        int k = r.regionOf(shared);
        assertThat(k).isZero();
        assertThat(r.files(k)).as("files with data in the region: a, b, c and d").isEqualTo(4);
        assertThat(r.worstFiles(k)).as("one page reaches at most a, b and c").isEqualTo(3);
        assertThat(r.processes(k)).as("p1 and p2 have the pages present; p3 never faulted").isEqualTo(2);
        assertThat(r.worstProcesses(k)).isEqualTo(2);
        assertThat(r.worstPfn(k)).as("the first page mapped by both").isEqualTo(pfn(0, 24));
        assertThat(r.metadataPages(k)).as("AG 0 headers, btree roots, AGFL and the first inode chunk").isEqualTo(24);
        for (int i = 1; i < r.regions(); i++) {
            assertThat(r.files(i)).as("region %d", i).isZero();
            assertThat(r.processes(i)).as("region %d", i).isZero();
        }
        assertThat(r.maxFiles()).isEqualTo(4);
        assertThat(r.maxProcesses()).isEqualTo(2);
    }

    @Test
    void withOneRegionPerPageTheSharedPageIsExactlyThreeFilesAndTwoProcesses() {
        World w = sharedByThreeMappedByTwo();
        BlastRadius r = BlastRadius.of(w, (int) w.device().pages());
        assertThat(r.regionPages(0)).isEqualTo(1);
        int k = r.regionOf(pfn(0, 26));
        assertThat(r.regionFirstPfn(k)).isEqualTo(pfn(0, 26));
        assertThat(r.files(k)).isEqualTo(3);
        assertThat(r.worstFiles(k)).isEqualTo(3);
        assertThat(r.processes(k)).isEqualTo(2);
        int own = r.regionOf(pfn(0, 29));
        assertThat(r.files(own)).as("/d.bin alone").isEqualTo(1);
        assertThat(r.worstFiles(own)).isEqualTo(1);
        assertThat(r.processes(own)).isZero();
        int log = r.regionOf(pfn(UiWorlds.LOG_AGNO, UiWorlds.LOG_AGBNO + 100));
        assertThat(r.metadataPages(log)).as("the internal log").isEqualTo(1);
        assertThat(r.files(log)).isZero();
        int free = r.regionOf(pfn(1, 20_000));
        assertThat(r.files(free) + r.processes(free) + r.metadataPages(free)).isZero();
        assertThat(r.describe(free)).contains("free space");
        assertThat(r.describe(k)).contains("3 files", "2 processes");
    }

    @Test
    void aKilledProcessNoLongerCounts() {
        WorldEditor e = UiWorlds.reference();
        e.createFile(WorldEditor.FileSpec.of("/a.bin", 16 * Units.KiB));
        e.addProcess(201, "p1", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
        e.map(201, "/a.bin", 0, 16 * Units.KiB, false, null);
        e.touch(201, "/a.bin", 0, 16 * Units.KiB, false);
        World alive = e.build();
        World gone = dev.daxviz.engine.Engine.run(alive, new dev.daxviz.engine.FailureEvent.Poison(pfn(0, 24),
                Units.PAGE_SIZE, dev.daxviz.engine.FailureEvent.Source.MCE, null), dev.daxviz.model.KernelProfile.DEFAULT)
                .worldAfter();
        assertThat(BlastRadius.of(alive).processes(0)).isEqualTo(1);
        assertThat(gone.process(201).orElseThrow().alive()).isFalse();
        assertThat(BlastRadius.of(gone).processes(0)).isZero();
    }

    @Test
    void regionsCoverTheLanesWithoutGapsOrOverlaps() {
        World w = UiWorlds.threeFiles();
        for (int n : new int[] {1, 7, 512, 1000, 4096}) {
            BlastRadius r = BlastRadius.of(w, n);
            long sum = 0;
            for (int k = 0; k < r.regions(); k++) {
                assertThat(r.regionPages(k)).isPositive();
                assertThat(r.regionOfGlobal(r.regionStart(k))).isEqualTo(k);
                assertThat(r.regionOfGlobal(r.regionStart(k + 1) - 1)).isEqualTo(k);
                sum += r.regionPages(k);
            }
            assertThat(sum).isEqualTo(w.device().pages());
        }
        BlastRadius r = BlastRadius.of(w, 512);
        Random rnd = new Random(7);
        for (int i = 0; i < 1000; i++) {
            long g = Math.floorMod(rnd.nextLong(), r.totalPages());
            assertThat(r.global(r.pfnOfGlobal(g))).isEqualTo(g);
        }
        assertThat(r.regionOf(UiWorlds.FIRST_PFN)).as("the fsdax reserve is no region").isEqualTo(-1);
        assertThat(r.marks()).extracting(BlastRadius.Mark::label).containsExactly("AG 0", "AG 1", "AG 2", "AG 3");
    }

    @Test
    void chartDataCountsShareCountsFromTheRefcountBtree() {
        World w = UiWorlds.threeFiles();
        DeviceSummary s = DeviceSummary.of(w);
        var shares = ChartData.shareHistogram(w, s.totals().get(PageClass.DATA));
        assertThat(shares).containsEntry(1, 4L).containsEntry(2, 4L).hasSize(2);
    }

    @Test
    void thePainterDrawsFilesAboveAndProcessesBelowTheMiddleLine() {
        World w = sharedByThreeMappedByTwo();
        BlastRadius r = BlastRadius.of(w, 64);
        Palette p = Palette.LIGHT;
        BufferedImage img = new BufferedImage(800, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Rectangle b = new Rectangle(0, 0, 800, 80);
        BlastRadiusPainter.paint(g, b, new BlastSnapshot(r, p, -1));
        g.dispose();
        Rectangle plot = BlastRadiusPainter.plotBounds(b, p);
        int mid = plot.y + plot.height / 2;
        int x = plot.x + 2; // region 0: the only one with anything in it
        assertThat(new Color(img.getRGB(x, mid - 3))).isEqualTo(p.data());
        assertThat(new Color(img.getRGB(x, mid + 3))).isEqualTo(p.poison());
        int empty = plot.x + plot.width * 3 / 8 + 3; // the middle of AG 1: free space
        assertThat(new Color(img.getRGB(empty, mid - 3))).isEqualTo(p.background());
        assertThat(BlastRadiusPainter.regionAt(plot, r, x)).isZero();
    }
}
