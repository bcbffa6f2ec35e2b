package dev.daxviz.realkernel;

import dev.daxviz.realkernel.HostTools.Tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's archive, asked through a private apt configuration under the cache ({@code apt/}): the machine's
 * configured Debian mirror with one suite per line (bookworm, -updates, -backports, -security: apt would read
 * "bookworm bookworm-backports" on one line as components), its own lists and package cache. It never touches the
 * system's sources and works as any user.
 *
 * <p>Which kernel: every version of the meta package {@code linux-image-amd64} ({@code apt-cache madison}; plain
 * {@code depends} would follow the candidate only, which backports' priority keeps at 6.1), the newest in the series,
 * then the versioned package it depends on.
 */
final class DebianArchive {
    static final String META = "linux-image-amd64";
    static final String SUITE = "bookworm";
    private static final Duration LISTS_MAX_AGE = Duration.ofHours(1);

    private final Path dir;
    private final HostTools tools;

    DebianArchive(Path dir, HostTools tools) {
        this.dir = dir;
        this.tools = tools;
    }

    /** The newest kernel package of a series ("6.1", "6.12"), refreshing the lists when they are over an hour old. */
    KernelPackage resolve(String series, CancelToken cancel) {
        prepare();
        boolean refreshed = refresh(cancel);
        // the answer cannot change until the lists do: asking apt-cache three times costs about two seconds
        Path known = dir.resolve("resolved-" + series);
        try {
            if (!refreshed && Files.isRegularFile(known)) {
                String[] w = Files.readString(known).trim().split(" ");
                if (w.length == 3) {
                    return new KernelPackage(w[0], w[1], Long.parseLong(w[2]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // ask apt again
        }
        KernelPackage k = ask(series, cancel);
        try {
            Files.writeString(known, k.name() + " " + k.version() + " " + k.size() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return k;
    }

    private KernelPackage ask(String series, CancelToken cancel) {
        List<String> versions = new ArrayList<>();
        for (String line : apt(Tool.APT_CACHE, "madison", META).check(cancel).lines().toList()) {
            String[] cols = line.split("\\|");
            if (cols.length >= 2) {
                versions.add(cols[1].strip());
            }
        }
        String best = null;
        for (String v : versions) {
            if (v.startsWith(series + ".") && (best == null || newer(v, best, cancel))) {
                best = v;
            }
        }
        if (best == null) {
            throw new KernelUnavailable("Debian's archive has no " + META + " " + series + ".* (it lists " + (versions
                    .isEmpty() ? "nothing" : String.join(", ", versions)) + "); use --kernel-deb FILE with a kernel package");
        }
        String depends = apt(Tool.APT_CACHE, "depends", META + "=" + best).check(cancel);
        Matcher m = Pattern.compile("Depends: (linux-image-\\S+)").matcher(depends);
        if (!m.find()) {
            throw new KernelUnavailable(META + " " + best + " depends on no linux-image package: " + depends.strip());
        }
        String pkg = m.group(1);
        String show = apt(Tool.APT_CACHE, "show", pkg + "=" + best).check(cancel);
        long size = field(show, "Size").map(Long::parseLong).orElse(0L);
        return new KernelPackage(pkg, field(show, "Version").orElse(best), size);
    }

    /** Downloads a package into {@code into}, reporting the bytes so far; returns the .deb. */
    Path download(KernelPackage k, Path into, LongConsumer bytesSoFar, CancelToken cancel) {
        try {
            Files.createDirectories(into);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                bytesSoFar.accept(sizeOf(into));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "daxviz-download-progress");
        watcher.setDaemon(true);
        watcher.start();
        try {
            HostCommand.Output o = apt(Tool.APT_GET, "-q", "download", k.name() + "=" + k.version()).in(into).timeout(1800)
                    .run(cancel);
            if (!o.ok()) {
                throw new KernelUnavailable("apt-get could not download " + k.name() + " " + k.version() + ": "
                        + HostCommand.tail(o.stderr()) + " (use --offline with a cached kernel, or --kernel-deb FILE)");
            }
        } finally {
            watcher.interrupt();
        }
        bytesSoFar.accept(sizeOf(into));
        try (Stream<Path> s = Files.list(into)) {
            return s.filter(p -> p.getFileName().toString().startsWith(k.name() + "_") && p.toString().endsWith(".deb"))
                    .findFirst().orElseThrow(() -> new KernelUnavailable("apt-get download left no " + k.name()
                            + " .deb in " + into));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private boolean newer(String a, String b, CancelToken cancel) {
        return HostCommand.of(tools.path(Tool.DPKG), "--compare-versions", a, "gt", b).run(cancel).ok();
    }

    /** Updates the lists when they are over an hour old; returns whether it did. */
    private boolean refresh(CancelToken cancel) {
        Path stamp = dir.resolve("lists/.updated");
        try {
            if (Files.exists(stamp) && Files.getLastModifiedTime(stamp).toInstant()
                    .isAfter(Instant.now().minus(LISTS_MAX_AGE))) {
                return false;
            }
            HostCommand.Output o = apt(Tool.APT_GET, "-q", "update").timeout(300).run(cancel);
            if (!o.ok() || o.stderr().contains("Failed to fetch")) {
                if (Files.exists(stamp)) {
                    // offline for now: the lists of the last update still name the kernel, which may be cached
                    return false;
                }
                throw new KernelUnavailable("apt could not read Debian's archive (" + mirrors()[0] + "): "
                        + HostCommand.tail(o.stderr()) + " (use --offline with a cached kernel, or --kernel-deb FILE)");
            }
            Files.writeString(stamp, Instant.now().toString());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HostCommand apt(Tool tool, String... args) {
        List<String> argv = new ArrayList<>(List.of(tools.path(tool),
                "-o", "Dir::Etc::SourceList=" + dir.resolve("etc/sources.list"),
                "-o", "Dir::Etc::SourceParts=/nonexistent",
                "-o", "Dir::State::Lists=" + dir.resolve("lists"),
                "-o", "Dir::Cache=" + dir.resolve("cache"),
                // as root apt would otherwise download as _apt, which cannot write to the user's cache
                "-o", "APT::Sandbox::User=" + System.getProperty("user.name")));
        argv.addAll(List.of(args));
        return HostCommand.of(argv);
    }

    private void prepare() {
        try {
            Files.createDirectories(dir.resolve("etc"));
            Files.createDirectories(dir.resolve("lists/partial"));
            Files.createDirectories(dir.resolve("cache/archives/partial"));
            String[] m = mirrors();
            String key = Tool.KEYRING.program();
            String list = "deb [signed-by=" + key + "] " + m[0] + " " + SUITE + " main\n"
                    + "deb [signed-by=" + key + "] " + m[0] + " " + SUITE + "-updates main\n"
                    + "deb [signed-by=" + key + "] " + m[0] + " " + SUITE + "-backports main\n"
                    + "deb [signed-by=" + key + "] " + m[1] + " " + SUITE + "-security main\n";
            Path f = dir.resolve("etc/sources.list");
            if (!Files.exists(f) || !Files.readString(f).equals(list)) {
                Files.writeString(f, list);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine's configured Debian mirror and security mirror (deb.debian.org when none is configured). */
    static String[] mirrors() {
        List<String> uris = new ArrayList<>();
        try (Stream<Path> s = Files.isDirectory(Path.of("/etc/apt/sources.list.d"))
                ? Files.list(Path.of("/etc/apt/sources.list.d")) : Stream.empty()) {
            for (Path p : s.filter(x -> x.toString().endsWith(".sources")).sorted().toList()) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (line.startsWith("URIs:")) {
                        uris.addAll(List.of(line.substring(5).trim().split("\\s+")));
                    }
                }
            }
            Path list = Path.of("/etc/apt/sources.list");
            if (Files.isRegularFile(list)) {
                for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                    Matcher m = Pattern.compile("^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)").matcher(line.trim());
                    if (m.find()) {
                        uris.add(m.group(1));
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // unreadable apt configuration: Debian's own mirror
        }
        String main = "http://deb.debian.org/debian";
        String security = "http://deb.debian.org/debian-security";
        for (String u : uris) {
            String t = u.replaceAll("/+$", "");
            if (t.endsWith("/debian-security")) {
                security = t;
            } else if (t.endsWith("/debian") && main.equals("http://deb.debian.org/debian")) {
                main = t;
            }
        }
        return new String[] {main, security};
    }

    private static java.util.Optional<String> field(String control, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(\\S+)").matcher(control);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** A versioned kernel package; {@code size} is the .deb's size in bytes (0 when apt did not say). */
    record KernelPackage(String name, String version, long size) {
    }
}
