package dev.daxviz.bench;

import dev.daxviz.model.World;
import dev.daxviz.ui.charts.BlastRadius;
import dev.daxviz.ui.charts.BlastRadiusPainter;
import dev.daxviz.ui.charts.BlastSnapshot;
import dev.daxviz.ui.theme.Palette;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The blast-radius strip on the 1 TiB world of {@link ModelBench} (issue 8, goal &lt; 200 ms): computing
 * {@link BlastRadius#of} (512 regions: one pass over 1,000,000 extents, the refcount records of 10,000 clones and the
 * rmap records of four AGs), and computing it and painting the strip 1920×60 as the window does when the shown world
 * changes. Run: {@code mvn -o -Pbench test-compile exec:exec -Dbench.args="BlastRadiusBench -f 1"}.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Djava.awt.headless=true"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlastRadiusBench {

    /** The 1 TiB world and an image to paint the strip into. */
    @State(Scope.Benchmark)
    public static class Device {
        World world;
        BufferedImage image;
        Graphics2D g;

        @Setup(Level.Trial)
        public void setUp() {
            long t0 = System.nanoTime();
            world = BigWorlds.terabyte();
            long t1 = System.nanoTime();
            BlastRadius r = BlastRadius.of(world);
            long t2 = System.nanoTime();
            int[] worst = r.worstOverall();
            System.out.printf("%nterabyte world built in %.0f ms; first BlastRadius.of (cold) %.0f ms: %d regions of %d "
                    + "pages, up to %d files in a region, worst page %d files%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    r.regions(), r.regionPages(0), r.maxFiles(), worst[0]);
            image = new BufferedImage(1920, 60, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            g.dispose();
        }
    }

    @Benchmark
    public BlastRadius compute(Device d) {
        return BlastRadius.of(d.world);
    }

    @Benchmark
    public BufferedImage computeAndPaint(Device d) {
        BlastRadius r = BlastRadius.of(d.world);
        BlastRadiusPainter.paint(d.g, new Rectangle(0, 0, 1920, 60), new BlastSnapshot(r, Palette.LIGHT, -1));
        return d.image;
    }
}
