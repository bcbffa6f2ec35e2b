package dev.daxviz.bench;

import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One table of every performance goal of issues 3–11 (issue 9): goal, median, ratio to the goal. It runs the JMH
 * benchmarks of this package through JMH's {@link Runner} (one fork each, shorter warm-up and measurement than
 * their annotations unless {@code full} is given), measures the retained heap of the 1 TiB world in this JVM, and
 * times the cold command-line runs ({@code run --json}, {@code render}) as new processes of {@code target/daxviz.jar}
 * — build the jar first. The 1 TiB lesson's cold run (issue 9) is listed too, without a goal.
 *
 * <p>Run: {@code mvn -B -o -DskipTests package && mvn -B -o -Pbench test-compile exec:exec
 * -Dbench.main=dev.daxviz.bench.BenchTable [-Dbench.args=full]}. Ratios below 1 meet the goal.
 */
public final class BenchTable {
    private final boolean full;
    private final List<String[]> rows = new ArrayList<>();

    private BenchTable(boolean full) {
        this.full = full;
    }

    public static void main(String[] args) throws Exception {
        boolean full = Arrays.asList(args).contains("full");
        BenchTable t = new BenchTable(full);
        long t0 = System.nanoTime();
        t.model();
        t.engine();
        t.cold("5", "run builtin:default --json, cold (median of 10 processes)", 1.0,
                List.of("run", "builtin:default", "--json"), 10);
        t.gridPaint();
        t.frame();
        t.cold("8", "render builtin:default --out x.png, cold (median of 10 processes)", 1.5,
                List.of("render", "builtin:default", "--out", "%PNG%"), 10);
        t.blast();
        t.cold("9", "run builtin:big-1tib --json, cold (median of 3 processes; no goal)", Double.NaN,
                List.of("run", "builtin:big-1tib", "--json"), 3);
        t.importImage();
        t.verify();
        t.print((System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------ JMH

    private ChainedOptionsBuilder jmh(String include) {
        ChainedOptionsBuilder o = new OptionsBuilder().include(include).forks(1).shouldFailOnError(true);
        if (!full) {
            o = o.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(2));
        }
        return o;
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder o) throws RunnerException {
        return new Runner(o.build()).run();
    }

    /** The median of a result in milliseconds (sample time: its p50; single shot: the median shot). */
    private static double medianMs(RunResult r) {
        double v = r.getPrimaryResult().getStatistics().getPercentile(50);
        String unit = r.getPrimaryResult().getScoreUnit();
        if (unit.startsWith("us")) {
            return v / 1000;
        } else if (unit.startsWith("ns")) {
            return v / 1e6;
        } else if (unit.startsWith("s/")) {
            return v * 1000;
        }
        return v;
    }

    private static String param(RunResult r, String name) {
        return r.getParams().getParam(name);
    }

    private void model() throws RunnerException {
        // build: single shots, the median of 5 (the annotation's 5 measurements, after 1 warm-up)
        for (RunResult r : run(jmh(ModelBench.class.getName() + ".build$").mode(Mode.SingleShotTime)
                .warmupIterations(1).measurementIterations(5).timeUnit(TimeUnit.MILLISECONDS))) {
            add("3", "model: build the 1 TiB world (100,000 files, 1,000,000 extents)", 5000, medianMs(r), "ms");
        }
        // retained heap, here: built after full collections, like ModelBench's setup
        long before = ModelBench.usedHeap();
        World w = BigWorlds.terabyte();
        long after = ModelBench.usedHeap();
        add("3", "model: retained heap of that world (one measurement)", 1024, (after - before) / (double) Units.MiB,
                "MiB");
        if (w.fs().inodes().isEmpty()) {
            throw new IllegalStateException("empty world");
        }
        w = null;
        for (RunResult r : run(jmh(ModelBench.class.getName() + ".rmapQuery$").mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS))) {
            add("3", "model: one-block rmap query (xfs_rmap_query_range)", 5, medianMs(r) * 1000, "µs");
        }
    }

    private void engine() throws RunnerException {
        for (RunResult r : run(jmh(EngineBench.class.getName() + ".poisonOnePage$").mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS))) {
            add("4", "engine: one poison in the 1,000,000-extent world", 10, medianMs(r), "ms");
        }
        for (RunResult r : run(jmh(EngineBench.class.getName() + ".poisonSharedPage$").mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS))) {
            add("4", "engine: a page shared by 1,000 files and 1,000 processes, kernel " + param(r, "kernel"), 50,
                    medianMs(r), "ms");
        }
    }

    private void gridPaint() throws RunnerException {
        for (RunResult r : run(jmh(GridPaintBench.class.getName() + ".paint$").mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS))) {
            String zoom = param(r, "zoom");
            add("6", "grid repaint 1920×1080, 1 TiB world, " + (zoom.equals("overview") ? "whole-device overview"
                    : zoom + " pages/cell") + ", " + param(r, "where"), 8, medianMs(r), "ms");
        }
    }

    private void frame() throws RunnerException {
        for (RunResult r : run(jmh(FrameBench.class.getName() + ".frame$").mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS))) {
            add("7", "frame of the animated view 1920×1080, default lesson, step at " + param(r, "at"), 8,
                    medianMs(r), "ms");
        }
    }

    private void blast() throws RunnerException {
        for (RunResult r : run(jmh(BlastRadiusBench.class.getName() + ".compute$").mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MILLISECONDS))) {
            add("8", "blast-radius strip of the 1 TiB world (BlastRadius.of)", 200, medianMs(r), "ms");
        }
    }

    // ------------------------------------------------------------------ cold processes

    /** Issue 10: the in-process import of a 1 GiB image against xfs_db fsmap's wall time on it (goal: ≤ 2×). */
    private void importImage() {
        try {
            ImportBench.Result r = ImportBench.measure(ImportBench.DEFAULT_IMAGE);
            add("10", "import a 1 GiB image of ~2,000 files, in-process, vs xfs_db fsmap (" + fmt(r.xfsDbMs())
                    + " ms, wall)", 2 * r.xfsDbMs(), r.importMs(), "ms");
        } catch (Exception e) {
            rows.add(new String[] {"10", "import vs xfs_db fsmap", "≤ 2 × xfs_db", "not measured: " + e.getMessage(),
                    "—"});
        }
    }

    /** Issue 11: verify builtin:default against the real kernels, warm (goal ≤ 15 s). */
    private void verify() {
        for (String k : List.of("6.1", "6.12")) {
            try {
                VerifyBench.Result r = VerifyBench.measure(k, 3, 0);
                add("11", "verify builtin:default on real " + k + ", TCG, warm (median of 3)", 15_000, r.warmS() * 1000,
                        "ms");
            } catch (Exception | AssertionError e) {
                rows.add(new String[] {"11", "verify on real " + k, "< 15000 ms", "not measured: " + e.getMessage(),
                        "—"});
            }
        }
    }

    private void cold(String issue, String what, double goalS, List<String> args, int runs)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "daxviz.jar");
        if (!Files.exists(jar)) {
            rows.add(new String[] {issue, what, goalS != goalS ? "—" : fmt(goalS * 1000) + " ms", "no jar", "—"});
            System.out.println("(no target/daxviz.jar: build it with mvn -DskipTests package; skipped " + what + ")");
            return;
        }
        Path png = Files.createTempFile("daxviz-bench", ".png");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar.toString()));
            for (String a : args) {
                cmd.add(a.equals("%PNG%") ? png.toString() : a);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            long t0 = System.nanoTime();
            int rc = pb.start().waitFor();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            if (rc != 0) {
                throw new IllegalStateException("exit " + rc + ": " + String.join(" ", cmd));
            }
        }
        Files.deleteIfExists(png);
        Arrays.sort(wall);
        double median = runs % 2 == 1 ? wall[runs / 2] : (wall[runs / 2 - 1] + wall[runs / 2]) / 2;
        add(issue, what, goalS * 1000, median, "ms");
    }

    // ------------------------------------------------------------------ the table

    private void add(String issue, String what, double goal, double median, String unit) {
        String g = goal != goal ? "—" : "< " + fmt(goal) + " " + unit;
        String ratio = goal != goal ? "—" : String.format(Locale.ROOT, "%.2f", median / goal);
        rows.add(new String[] {issue, what, g, fmt(median) + " " + unit, ratio});
        System.out.printf(Locale.ROOT, "bench: %s | %s | %s | %s%n", what, g, fmt(median) + " " + unit, ratio);
    }

    private static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        } else if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private void print(double seconds) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Performance goals of issues 3–8, %s run (%.0f s), %d cores, Java %s%n",
                full ? "full" : "quick", seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println();
        System.out.println("| issue | goal | target | median | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }
}
