package dev.daxviz.realkernel;

import dev.daxviz.model.Units;
import dev.daxviz.realkernel.HostTools.Tool;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The kernels the guest boots, cached per package version under {@code $XDG_CACHE_HOME/daxviz/kernels/
 * <package>_<version>/} (falling back to {@code ~/.cache}): vmlinuz, the extracted vmlinux, the ten modules, the
 * manifest, and the base initramfs {@code base-<key>.cpio.gz} whose key covers the helper's source and the host
 * tools' versions (about 20 MB per kernel; the .deb is deleted once unpacked). One file lock serialises fetching
 * and building, so two runs at once never build the same entry twice.
 */
public final class KernelCache {
    private final Path root;
    private final HostTools tools;

    public KernelCache(Path root, HostTools tools) {
        this.root = root;
        this.tools = tools;
    }

    /** {@code $XDG_CACHE_HOME/daxviz}, or {@code ~/.cache/daxviz}. */
    public static Path defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("daxviz");
    }

    public Path root() {
        return root;
    }

    /** Where the kernel comes from. */
    public sealed interface Source permits Online, Offline, DebFile {
    }

    /** Debian's archive (the newest package of the series). */
    public record Online() implements Source {
    }

    /** Only what is cached: the newest cached kernel of the series. */
    public record Offline() implements Source {
    }

    /** A kernel package file. */
    public record DebFile(Path deb) implements Source {
    }

    /**
     * A cached kernel, ready to boot.
     *
     * @param vmlinux the uncompressed kernel for PVH boot, or null when it could not be extracted (vmlinuz boots)
     * @param base    the base initramfs
     * @param fetched whether this call downloaded or unpacked the package
     * @param built   whether this call built the base initramfs
     */
    public record Kernel(Path dir, String packageName, String version, String unameR, Path vmlinuz, Path vmlinux,
                         Path base, boolean fetched, boolean built) {
        /** The image qemu boots: vmlinux (PVH) when there is one. */
        public Path bootImage() {
            return vmlinux != null ? vmlinux : vmlinuz;
        }
    }

    /** The kernel of {@code series} ("6.1", "6.12") from {@code source}, fetched and built as needed. */
    public Kernel ensure(String series, Source source, StageListener stages, CancelToken cancel) {
        // the file lock keeps other processes out; the monitor keeps other threads of this one out (a JVM cannot
        // hold one file lock twice)
        synchronized (KernelCache.class) {
            try {
                Files.createDirectories(root.resolve("kernels"));
                try (FileChannel ch = FileChannel.open(root.resolve("kernels/.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                    return ensureLocked(series, source, stages, cancel);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Kernel ensureLocked(String series, Source source, StageListener stages, CancelToken cancel)
            throws IOException {
        Path dir;
        boolean fetched = false;
        if (source instanceof Offline) {
            dir = newest(series).orElseThrow(() -> new KernelUnavailable("no " + series + " kernel is cached in "
                    + root.resolve("kernels") + ": run once without --offline (or with --kernel-deb FILE)"));
        } else if (source instanceof DebFile f) {
            tools.require(HostTools.UNPACK);
            DebianArchive.KernelPackage k = KernelUnpacker.identify(f.deb(), tools, cancel);
            if (!k.version().startsWith(series + ".")) {
                throw new KernelUnavailable(f.deb() + " is kernel " + k.version() + ", not " + series + ".*");
            }
            dir = entry(k);
            if (!valid(dir)) {
                stages.stage(Stage.FETCH_KERNEL, "unpacking " + f.deb().getFileName());
                install(f.deb(), k, dir, cancel);
                fetched = true;
            }
        } else {
            tools.require(HostTools.FETCH);
            tools.require(HostTools.UNPACK);
            stages.stage(Stage.FETCH_KERNEL, "asking Debian's archive for the newest " + series + " kernel");
            DebianArchive archive = new DebianArchive(root.resolve("apt"), tools);
            DebianArchive.KernelPackage k = archive.resolve(series, cancel);
            dir = entry(k);
            if (!valid(dir)) {
                Path debs = root.resolve("debs");
                KernelUnpacker.deleteTree(debs);
                long total = k.size();
                long[] shown = {-1};
                Path deb = archive.download(k, debs, bytes -> {
                    // news only when another 10 MB arrived (the watcher samples four times a second)
                    long mb = bytes / Units.MiB;
                    if (shown[0] < 0 || mb / 10 != shown[0] / 10 || total > 0 && bytes >= total && shown[0] != mb) {
                        shown[0] = mb;
                        stages.stage(Stage.FETCH_KERNEL, "downloading " + k.name() + " " + k.version() + ": " + mb
                                + (total > 0 ? " of " + total / Units.MiB : "") + " MB");
                    }
                }, cancel);
                stages.stage(Stage.FETCH_KERNEL, "unpacking " + deb.getFileName());
                install(deb, k, dir, cancel);
                KernelUnpacker.deleteTree(debs);
                fetched = true;
            }
        }
        Properties m = manifest(dir);
        tools.require(HostTools.BASE);
        String key = BaseArchive.key(tools, cancel);
        Path base = dir.resolve("base-" + key + ".cpio.gz");
        boolean built = false;
        if (!Files.isRegularFile(base)) {
            stages.stage(Stage.BUILD_GUEST, "building the guest's base initramfs for " + m.getProperty("uname"));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("base-")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            BaseArchive.build(base, dir.resolve("modules"), m.getProperty("uname"), tools, cancel);
            built = true;
        }
        Path vmlinux = m.getProperty("vmlinux", "").isEmpty() ? null : dir.resolve("vmlinux");
        return new Kernel(dir, m.getProperty("package"), m.getProperty("version"), m.getProperty("uname"),
                dir.resolve("vmlinuz"), vmlinux, base, fetched, built);
    }

    private void install(Path deb, DebianArchive.KernelPackage k, Path dir, CancelToken cancel) throws IOException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        KernelUnpacker.deleteTree(tmp);
        KernelUnpacker.unpack(deb, k, tmp, tools, cancel);
        KernelUnpacker.deleteTree(dir);
        Files.move(tmp, dir);
    }

    private Path entry(DebianArchive.KernelPackage k) {
        return root.resolve("kernels").resolve(k.name() + "_" + k.version());
    }

    /** The newest valid cached kernel of a series. */
    java.util.Optional<Path> newest(String series) throws IOException {
        List<Path> hits = new ArrayList<>();
        Path kernels = root.resolve("kernels");
        if (!Files.isDirectory(kernels)) {
            return java.util.Optional.empty();
        }
        try (Stream<Path> s = Files.list(kernels)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                if (valid(d) && manifest(d).getProperty("version", "").startsWith(series + ".")) {
                    hits.add(d);
                }
            }
        }
        Path best = null;
        for (Path d : hits) {
            if (best == null || newerVersion(manifest(d).getProperty("version"), manifest(best).getProperty("version"))) {
                best = d;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    private boolean newerVersion(String a, String b) {
        Path dpkg = tools.find(Tool.DPKG);
        if (dpkg != null) {
            return HostCommand.of(dpkg.toString(), "--compare-versions", a, "gt", b).run(CancelToken.none()).ok();
        }
        return a.compareTo(b) > 0;
    }

    static boolean valid(Path dir) {
        return Files.isRegularFile(dir.resolve("manifest.properties")) && Files.isRegularFile(dir.resolve("vmlinuz"));
    }

    static Properties manifest(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("manifest.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static void writeManifest(Path dir, Properties p) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve("manifest.properties"))) {
            p.store(w, "a kernel for daxviz verify");
        }
    }
}
