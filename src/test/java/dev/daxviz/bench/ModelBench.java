package dev.daxviz.bench;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.RmapQuery;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model at scale (issue 3, "Tests and measurements"): a 1 TiB device with 4 AGs, 100,000 files and
 * 1,000,000 data extents, a tenth of the files reflink clones. Goals: build &lt; 5 s, &lt; 1 GiB retained,
 * one-block rmap query &lt; 5 µs.
 *
 * <p>Run: {@code mvn -o -Pbench test-compile exec:exec -Dbench.args=ModelBench}. The retained heap is printed
 * by the query benchmark's setup ("retained heap: …"). {@code main} builds once and prints both without JMH.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ModelBench {
    public static final long DEVICE = BigWorlds.DEVICE;
    public static final int FILES = BigWorlds.FILES;
    public static final int EXTENTS = BigWorlds.EXTENTS;
    /** One file in ten is a whole-file reflink of the file before it. */
    public static final int CLONE_EVERY = BigWorlds.CLONE_EVERY;
    public static final int BLOCKS_PER_EXTENT = BigWorlds.BLOCKS_PER_EXTENT;

    /** Builds the big world: 90,000 fragmented files of 10 extents, spread over the AGs, and 10,000 clones. */
    public static World buildWorld() {
        return BigWorlds.terabyte();
    }

    /** Heap in use after full collections. */
    static long usedHeap() {
        long used = Long.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static String describe(World w) {
        long records = 0;
        long dataRecords = 0;
        for (AllocationGroup ag : w.fs().ags()) {
            records += ag.rmap().size();
            for (RmapRecord r : ag.rmap().records()) {
                if (r.isInodeOwner() && !r.bmbtBlock() && !r.attrFork()) {
                    dataRecords++;
                }
            }
        }
        return w.fs().inodes().size() + " files, " + dataRecords + " data extents (rmap records), " + records
                + " rmap records in all, AG 0 rmap height " + w.fs().ag(0).rmap().height();
    }

    /** The world built from scratch, timed once per iteration. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public World build() {
        return buildWorld();
    }

    /** One built world, and random blocks that data extents cover. */
    @State(Scope.Benchmark)
    public static class Built {
        World world;
        AllocationGroup[] ags;
        int[] agno;
        int[] agbno;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            long before = usedHeap();
            long t0 = System.nanoTime();
            world = buildWorld();
            long t1 = System.nanoTime();
            long after = usedHeap();
            System.out.printf("%nbuilt in %.0f ms: %s%nretained heap: %.1f MiB (%d bytes; used %d before, %d after)%n",
                    (t1 - t0) / 1e6, describe(world), (after - before) / (double) Units.MiB, after - before, before, after);
            ags = world.fs().ags().toArray(new AllocationGroup[0]);
            List<List<RmapRecord>> records = new java.util.ArrayList<>();
            for (AllocationGroup ag : ags) {
                records.add(ag.rmap().records());
            }
            Random r = new Random(42);
            agno = new int[1 << 16];
            agbno = new int[agno.length];
            for (int k = 0; k < agno.length; k++) {
                agno[k] = r.nextInt(ags.length);
                List<RmapRecord> recs = records.get(agno[k]);
                RmapRecord rec = recs.get(r.nextInt(recs.size()));
                agbno[k] = rec.startblock() + r.nextInt(rec.blockcount());
            }
        }
    }

    /** {@code xfs_rmap_query_range} of one block a data extent covers. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public RmapQuery rmapQuery(Built b) {
        int k = b.next++ & (b.agno.length - 1);
        long block = b.agbno[k];
        return b.ags[b.agno[k]].rmap().queryRange(block, block);
    }

    /**
     * Without JMH: builds once and prints the build time, the retained heap and the world's size; with an
     * argument N, then times N more builds.
     */
    public static void main(String[] args) {
        Built b = new Built();
        b.setUp();
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        for (int k = 0; k < n; k++) {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            World w = buildWorld();
            System.out.printf("build %d: %.0f ms wall, %.0f ms cpu of this thread (%d inodes)%n", k,
                    (System.nanoTime() - t0) / 1e6, (threads.getCurrentThreadCpuTime() - c0) / 1e6, w.fs().inodes().size());
        }
    }
}
