package dev.daxviz.bench;

import dev.daxviz.importer.ImageImporter;
import dev.daxviz.importer.disk.ImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 10's goal: importing a 1 GiB image of about 2,000 files in-process takes at most twice the wall time of
 * {@code xfs_db -r -c fsmap} on the same image. Both are timed in the same run, median of 5 each after a warm-up
 * (the import's first, cold run in this JVM is printed too). The image is made on first use with a loop mount
 * (root and xfsprogs needed): a VM image and three reflinked clones, one rewritten in part, two home directories
 * of 1,000 small files, the second reflinked from the first, and a 32 MiB database file.
 *
 * <p>Run: {@code mvn -B -o -Pbench test-compile exec:exec -Dbench.main=dev.daxviz.bench.ImportBench
 * [-Dbench.args=IMAGE]}.
 */
public final class ImportBench {
    static final Path DEFAULT_IMAGE = Path.of(System.getProperty("java.io.tmpdir"), "daxviz-bench", "import-1g.img");
    private static final int RUNS = 5;

    private ImportBench() {
    }

    /** The medians, in milliseconds. */
    record Result(double firstImportMs, double importMs, double xfsDbMs, int records) {
        double ratio() {
            return importMs / xfsDbMs;
        }
    }

    public static void main(String[] args) throws Exception {
        Path img = args.length > 0 && !args[0].isBlank() ? Path.of(args[0]) : DEFAULT_IMAGE;
        Result r = measure(img);
        System.out.printf(Locale.ROOT, "%s: %d rmap records; xfs_db fsmap %.2f ms (wall, median of %d), import %.2f ms "
                + "(in-process, median of %d; the first, cold: %.0f ms): ratio %.2f (goal ≤ 2)%n", img, r.records(),
                r.xfsDbMs(), RUNS, r.importMs(), RUNS, r.firstImportMs(), r.ratio());
    }

    static Result measure(Path img) throws IOException, InterruptedException, ImageException {
        if (!Files.exists(img)) {
            make(img);
        }
        long t0 = System.nanoTime();
        importOnce(img);
        double first = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < 20; i++) {
            importOnce(img); // warm-up: the JIT, and the image in the page cache as xfs_db will find it
        }
        List<Double> xfsDb = new ArrayList<>();
        List<Double> imports = new ArrayList<>();
        int records = 0;
        for (int i = 0; i < RUNS; i++) {
            long a = System.nanoTime();
            Process p = new ProcessBuilder("xfs_db", "-r", "-c", "fsmap", img.toString()).redirectErrorStream(true)
                    .start();
            records = (int) new String(p.getInputStream().readAllBytes()).lines().count();
            p.waitFor();
            xfsDb.add((System.nanoTime() - a) / 1e6);
            long b = System.nanoTime();
            importOnce(img);
            imports.add((System.nanoTime() - b) / 1e6);
        }
        return new Result(first, median(imports), median(xfsDb), records);
    }

    private static void importOnce(Path img) throws ImageException {
        ImageImporter.read(img, ImageImporter.Options.defaults(), () -> false, ImageImporter.Progress.NONE);
    }

    /** The middle value (the upper one of an even count). */
    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static void make(Path img) throws IOException, InterruptedException {
        Files.createDirectories(img.getParent());
        String script = """
                set -eu
                img=$1; mnt=$(mktemp -d)
                truncate -s 1G "$img"
                mkfs.xfs -q -f -m reflink=1,rmapbt=1 "$img"
                mount -o loop "$img" "$mnt"
                trap 'cd /; umount "$mnt"; rmdir "$mnt"' EXIT
                cd "$mnt"; mkdir -p vm home/ana home/bob db
                dd if=/dev/urandom of=vm/base.img bs=1M count=64 status=none
                for i in 1 2 3; do cp --reflink=always vm/base.img vm/guest$i.img; done
                dd if=/dev/urandom of=vm/guest1.img bs=4k count=16 seek=100 conv=notrunc status=none
                for i in $(seq 1 1000); do head -c $((4096 * (1 + i % 7))) /dev/urandom > home/ana/f$i; done
                for i in $(seq 1 1000); do cp --reflink=always home/ana/f$i home/bob/f$i; done
                xfs_io -f -c 'pwrite -b 1m 0 32m' -c fsync db/data >/dev/null
                sync
                """;
        Process p = new ProcessBuilder("bash", "-c", script, "make-image", img.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            Files.deleteIfExists(img);
            throw new IOException("could not make " + img + " (needs root, a loop device and xfsprogs)");
        }
    }
}
