package dev.daxviz.bench;

import dev.daxviz.realkernel.CancelToken;
import dev.daxviz.realkernel.StageListener;
import dev.daxviz.realkernel.Verifier;
import dev.daxviz.realkernel.VerifyOptions;
import dev.daxviz.realkernel.VerifyReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 11's bench (not a test): seconds per verification of {@code builtin:default} (three reflinked files, early
 * mappers, one poison), per kernel, with TCG (KVM does not work on these machines), warm (the kernel and the guest's
 * base archive cached) and cold (a new, empty cache: the kernel is fetched from Debian's archive and unpacked, the
 * base archive built). Median of {@code runs} warm runs and {@code cold} cold ones. Goal: warm ≤ 15 s.
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:exec -Dbench.main=dev.daxviz.bench.VerifyBench
 * [-Dbench.args=runs=5,cold=1]}; needs qemu and the guest's tools (README, "Check against a real kernel").
 */
public final class VerifyBench {
    private VerifyBench() {
    }

    /** Medians in seconds, and whether every run agreed. */
    record Result(String kernel, double warmS, double coldS, boolean agreed) {
    }

    public static void main(String[] args) throws IOException {
        int runs = 5;
        int cold = 1;
        for (String a : args.length == 0 ? new String[0] : args[0].split(",")) {
            if (a.startsWith("runs=")) {
                runs = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("cold=")) {
                cold = Integer.parseInt(a.substring(5));
            }
        }
        System.out.println("| kernel | accel | warm, median of " + runs + " | cold, median of " + cold + " | agree |");
        System.out.println("|---|---|---|---|---|");
        for (String k : List.of("6.1", "6.12")) {
            Result r = measure(k, runs, cold);
            System.out.printf(Locale.ROOT, "| %s | tcg | %.1f s | %s | %s |%n", r.kernel(), r.warmS(),
                    cold > 0 ? String.format(Locale.ROOT, "%.1f s", r.coldS()) : "—", r.agreed() ? "yes" : "NO");
        }
    }

    static Result measure(String kernel, int runs, int cold) throws IOException {
        boolean agreed = true;
        List<Double> coldS = new ArrayList<>();
        for (int i = 0; i < cold; i++) {
            Path fresh = Files.createTempDirectory("daxviz-bench-cache");
            long t0 = System.nanoTime();
            agreed &= once(VerifyOptions.defaults().withKernel(kernel).withCacheRoot(fresh));
            coldS.add((System.nanoTime() - t0) / 1e9);
        }
        once(VerifyOptions.defaults().withKernel(kernel)); // fills the user cache if it is empty
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            agreed &= once(VerifyOptions.defaults().withKernel(kernel));
            warm.add((System.nanoTime() - t0) / 1e9);
        }
        return new Result(kernel, ImportBench.median(warm), coldS.isEmpty() ? Double.NaN : ImportBench.median(coldS), agreed);
    }

    private static boolean once(VerifyOptions o) {
        VerifyReport r = Verifier.verify("builtin:default", o, StageListener.NONE, CancelToken.none());
        if (r.verdict() == VerifyReport.Verdict.UNAVAILABLE) {
            throw new IllegalStateException("no real kernel: " + r.error());
        }
        return r.verdict() == VerifyReport.Verdict.AGREE;
    }
}
