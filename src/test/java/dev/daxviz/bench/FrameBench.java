package dev.daxviz.bench;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.scenario.ScenarioReader;
import dev.daxviz.scenario.Scenarios;
import dev.daxviz.ui.Session;
import dev.daxviz.ui.btree.BtreePainter;
import dev.daxviz.ui.btree.BtreeSnapshot;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.grid.GridLayout;
import dev.daxviz.ui.grid.GridPainter;
import dev.daxviz.ui.grid.GridSnapshot;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.playback.Snapshots;
import dev.daxviz.ui.playback.Timeline;
import dev.daxviz.ui.theme.Palette;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Frame time of the animated view at 1920×1080 (issue 7, "Tests and measurements"; goal &lt; 8 ms median): for a
 * step of the built-in default lesson, one frame is the snapshot function {@link Snapshots#at} at the next time
 * within the step (60 frames per step), then the page grid ({@link GridPainter}, 1360×1080 on the left, the
 * window's default zoom of one page per 14 px cell, scrolled to the poisoned page as the window does) and the rmap
 * btree ({@link BtreePainter}, 560×1080 on the right, with the file names {@code BtreeView.show} collects) painted
 * into one 1920×1080 image, as {@code Workbench.showSnapshot} feeds them. The call chain, narration, tables, flow
 * and chart views are not part of it.
 *
 * <p>Run: {@code mvn -o -Pbench test-compile exec:exec -Dbench.args=FrameBench}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djava.awt.headless=true"})
public class FrameBench {
    public static final int WIDTH = 1920;
    public static final int HEIGHT = 1080;
    public static final int GRID_WIDTH = 1360;
    /** Frames per step: one step of playback at 1× lasts about a second at 60 fps. */
    public static final int FRAMES_PER_STEP = 60;

    @State(Scope.Thread)
    public static class Frame {
        /** "mid": the middle step of the lesson's trace; "rmap": its rmap query step (the btree view is busiest). */
        @Param({"mid", "rmap"})
        String at;
        Timeline timeline;
        int step;
        DeviceSummary summary;
        GridLayout layout;
        long scrollY;
        long selected;
        Palette palette = Palette.LIGHT;
        BufferedImage image;
        Graphics2D g;
        final Rectangle gridBounds = new Rectangle(0, 0, GRID_WIDTH, HEIGHT);
        final Rectangle btreeBounds = new Rectangle(GRID_WIDTH, 0, WIDTH - GRID_WIDTH, HEIGHT);
        int frame;

        @Setup(Level.Trial)
        public void setUp() {
            // as MainWindow.openSource does it, under the lesson's own kernel (6.1)
            Scenarios.Source src = Scenarios.source("builtin:default");
            Session.State state = Session.build(ScenarioReader.read(src.name(), src.content()), KernelProfile.V6_1);
            timeline = new Timeline(state);
            step = timeline.size() / 2;
            if (at.equals("rmap")) {
                for (int k = 0; k < timeline.size(); k++) {
                    if (timeline.get(k).trace().function().equals("xfs_rmap_query_range")) {
                        step = k;
                        break;
                    }
                }
            }
            World w = state.world();
            summary = DeviceSummary.of(w);
            int label = Math.round(22 * palette.fontScale());
            layout = new GridLayout(summary.bands(), 1, 14, GRID_WIDTH, label); // PageGrid's initial zoom
            PlaybackSnapshot s = Snapshots.at(timeline, step, 0f);
            selected = s.pulsePfn();
            Rectangle r = layout.rectOf(layout.cellOf(selected)); // PageGrid.reveal: the page a third of the way down
            scrollY = Math.max(0, Math.min(layout.height() - HEIGHT, r.y - HEIGHT / 3));
            image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            System.out.printf("%nbuiltin:default: %d steps; frame at step %d/%d: %s (depth %d), btree AG %d, "
                    + "%d glow ranges; pfn %s; grid %d cols, scrollY %d%n", timeline.size(), step + 1, timeline.size(),
                    s.current().function(), s.current().depth(), s.btreeAgno(), s.glow().size(), Units.hex(selected),
                    layout.cols(), scrollY);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            g.dispose();
        }
    }

    /** One frame: snapshot, then grid and btree painted, as Workbench.showSnapshot and the views' paint do. */
    @Benchmark
    public int frame(Frame f) {
        float t = Snapshots.ease((f.frame++ % FRAMES_PER_STEP) / (float) FRAMES_PER_STEP);
        PlaybackSnapshot s = Snapshots.at(f.timeline, f.step, t);
        World w = s.world();
        long[] poisoned = s.poisonedNow().stream().mapToLong(Long::longValue).sorted().toArray();
        List<long[]> glow = new ArrayList<>();
        s.glow().forEach(r -> glow.add(new long[] {r.from(), r.to()}));
        float pulse = s.pulsePfn() >= 0 && s.step() >= 0 ? (s.t() * 2f) % 1f : 0f;
        GridSnapshot gs = new GridSnapshot(f.layout, f.summary, f.palette, f.scrollY, poisoned, f.selected, List.of(),
                glow, s.step() >= 0 ? s.pulsePfn() : -1, pulse);
        GridPainter.paint(f.g, f.gridBounds, gs);
        int agno = s.btreeAgno() >= 0 ? s.btreeAgno() : w.addressing().ofPfn(f.selected).agno();
        Map<Long, String> names = new HashMap<>(); // as BtreeView.show builds them, on every frame
        w.fs().inodes().values().forEach(i -> names.put(i.ino(), i.path()));
        BtreeSnapshot bs = new BtreeSnapshot(agno, w.fs().ag(agno).rmap(), f.palette, s.visited(), s.currentNode(),
                s.matched(), names);
        BtreePainter.paint(f.g, f.btreeBounds, bs);
        return f.image.getRGB(GRID_WIDTH / 2, HEIGHT / 2);
    }
}
