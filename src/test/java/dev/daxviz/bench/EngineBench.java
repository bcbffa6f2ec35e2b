package dev.daxviz.bench;

import dev.daxviz.engine.Engine;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Result;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine at scale (issue 4, "Tests"): one poison event in the 1,000,000-extent world of {@link ModelBench}
 * (goal &lt; 10 ms median), and a page shared by 1,000 reflinked files, each mapped and touched by its own
 * early-kill process (goal &lt; 50 ms median). Sample time: the p0.50 line is the median. The warmup is long (24 s):
 * on a busy two-CPU machine the JIT needs about 20 s to finish compiling the failure path, and shorter warmups
 * measured the interpreter (100+ ms).
 *
 * <p>Run: {@code mvn -o -Pbench test-compile exec:exec -Dbench.args=EngineBench}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Djava.awt.headless=true"})
public class EngineBench {
    /** Number of files sharing the poisoned page, and of processes (one per file). */
    public static final int SHARERS = 1_000;

    /** The 1 TiB world and data pages of random files (originals and clones) to poison, one per invocation. */
    @State(Scope.Benchmark)
    public static class Big {
        World world;
        long[] pfns;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            long t0 = System.nanoTime();
            world = BigWorlds.terabyte();
            System.out.printf("%nterabyte world built in %.0f ms (%d inodes)%n", (System.nanoTime() - t0) / 1e6,
                    world.fs().inodes().size());
            List<Inode> inodes = List.copyOf(world.fs().inodes().values());
            Random r = new Random(42);
            pfns = new long[1 << 10];
            for (int k = 0; k < pfns.length; k++) {
                Inode i = inodes.get(r.nextInt(inodes.size()));
                Extent e = i.dataExtents().get(r.nextInt(i.dataExtents().size()));
                long block = e.startoff() + r.nextInt((int) e.blockcount());
                pfns[k] = BigWorlds.pfnOf(world, i.path(), block);
            }
            Result once = Engine.run(world, FailureEvent.Poison.mce(pfns[0]));
            System.out.printf("one event: %d trace steps, %d owners, result %s%n", once.trace().size(),
                    once.outcome().owners().size(), once.outcome().result());
        }
    }

    /** {@code memory_failure} of one data page (MCE, no task current) in the 1,000,000-extent world. */
    @Benchmark
    public Result poisonOnePage(Big b) {
        long pfn = b.pfns[b.next++ & (b.pfns.length - 1)];
        return Engine.run(b.world, FailureEvent.Poison.mce(pfn));
    }

    /** 1,000 reflinked files sharing every block, each mapped whole and read by its own early-kill process. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"6.1", "6.12"})
        String kernel;
        World world;
        long pfn;

        @Setup(Level.Trial)
        public void setUp() {
            KernelProfile p = KernelProfile.byId(kernel).orElseThrow();
            long t0 = System.nanoTime();
            world = BigWorlds.sharedPage(p, SHARERS);
            pfn = BigWorlds.pfnOf(world, BigWorlds.SHARED_SOURCE, 0);
            System.out.printf("%nshared-page world (%s) built in %.0f ms: %d files, %d processes, pfn %s%n", kernel,
                    (System.nanoTime() - t0) / 1e6, world.fs().inodes().size(), world.processes().size(),
                    Units.hex(pfn));
            Result once = Engine.run(world, FailureEvent.Poison.mce(pfn));
            long killed = once.worldAfter().processes().stream().filter(x -> !x.alive()).count();
            System.out.printf("one event: %d trace steps, %d owners, %d signals, %d killed, result %s%n",
                    once.trace().size(), once.outcome().owners().size(), once.outcome().signals().size(), killed,
                    once.outcome().result());
            if (once.outcome().signals().size() != SHARERS) {
                throw new IllegalStateException("expected " + SHARERS + " signals, got "
                        + once.outcome().signals().size());
            }
        }
    }

    /** {@code memory_failure} of the page the 1,000 files share: 1,000 owners, 1,000 SIGBUS, 1,000 kills. */
    @Benchmark
    public Result poisonSharedPage(Shared s) {
        return Engine.run(s.world, FailureEvent.Poison.mce(s.pfn));
    }
}
