package dev.daxviz.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code daxviz render} cold (issue 8, goal: median &lt; 1.5 s): the wall time of
 * {@code java -jar target/daxviz.jar render builtin:default --out x.png}, a new JVM each run, 10 runs, median. Not JMH:
 * what counts is the whole process, JVM start and class loading included. Build the jar first
 * ({@code mvn -o -q -DskipTests package}), then {@code java -cp target/test-classes dev.daxviz.bench.RenderColdBench
 * [runs] [jar] [extra render args…]}. It also prints the user+system CPU time of the runs when {@code /usr/bin/time}
 * is there, since wall time on a busy machine says more about the machine than about the program.
 */
public final class RenderColdBench {
    private RenderColdBench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String jar = args.length > 1 ? args[1] : "target/daxviz.jar";
        List<String> extra = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
        Path out = Files.createTempFile("daxviz-render", ".png");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            List<String> cmd = new ArrayList<>(List.of(java, "-jar", jar, "render", "builtin:default", "--out",
                    out.toString()));
            cmd.addAll(extra);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            long t0 = System.nanoTime();
            int rc = pb.start().waitFor();
            wall[i] = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                throw new IllegalStateException("render exited " + rc + ": " + String.join(" ", cmd));
            }
            System.out.printf(Locale.ROOT, "run %2d: %.3f s%n", i + 1, wall[i]);
        }
        double[] sorted = wall.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        System.out.printf(Locale.ROOT, "render builtin:default cold, %d runs: median %.3f s, min %.3f s, max %.3f s "
                + "(%d bytes)%n", runs, median, sorted[0], sorted[runs - 1], Files.size(out));
        Files.deleteIfExists(out);
        new File(out + ".tmp").delete();
    }
}
