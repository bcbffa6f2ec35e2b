package dev.daxviz.importer.disk;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Real XFS images for the importer's tests, made with xfsprogs (mkfs.xfs, xfs_db, xfs_io) once per test JVM and
 * shared by the test classes. Images with reflinks, CoW, xattrs and fragmentation need a loop mount (root);
 * where that fails the tests that need them are skipped and a protofile image (mkfs.xfs -p, no mount) still
 * covers files and every directory form. Without xfsprogs every test is skipped, unless
 * {@code -Ddaxviz.importer.required=true} makes that a failure (CI).
 */
public final class XfsTestImages {

    static final boolean REQUIRED = Boolean.getBoolean("daxviz.importer.required");
    /** Where xfsprogs and util-linux live even when the test JVM's PATH lacks the sbin directories. */
    private static final String PATH = "/usr/sbin:/sbin:/usr/bin:/bin:" + System.getenv().getOrDefault("PATH", "");
    private static final long TIMEOUT_SECONDS = 300;

    private static Path dir;
    private static Boolean toolsPresent;
    private static Boolean canMount;
    private static final Map<String, Path> BUILT = new HashMap<>();
    private static final Map<String, FilesImage> FILES = new HashMap<>();

    private XfsTestImages() {
    }

    /**
     * An image made through a loop mount, with what the kernel said while it was mounted.
     *
     * @param image  the image file, unmounted cleanly
     * @param frozen a copy taken while the filesystem was frozen (xfs_freeze) before the unmount: it still
     *               holds the CoW staging extents that unmounting frees (refcountbt CoW domain, rmap owner -9)
     * @param paths  inode number → sorted paths ("/" for the root), from {@code find -printf '%i %P'}
     */
    public record FilesImage(Path image, Path frozen, Map<Long, List<String>> paths) {
    }

    /** Skips the calling test when xfsprogs is missing (fails instead when the importer tests are required). */
    public static synchronized void requireTools() {
        if (toolsPresent == null) {
            toolsPresent = missing("mkfs.xfs", "xfs_db", "xfs_io").isEmpty();
        }
        if (!toolsPresent) {
            skipOrFail(missing("mkfs.xfs", "xfs_db", "xfs_io") + " not found: apt-get install xfsprogs");
        }
    }

    private static List<String> missing(String... tools) {
        return Stream.of(tools).filter(t -> !onPath(t)).toList();
    }

    private static void skipOrFail(String why) {
        if (REQUIRED) {
            fail(why + " (daxviz.importer.required=true)");
        }
        Assumptions.abort(why);
    }

    /**
     * Skips the calling test when this machine cannot loop-mount an image (not root, no loop devices) or lacks
     * a tool the populating script runs.
     */
    public static void requireMount() {
        requireTools();
        List<String> gone = missing("setfattr", "xfs_freeze", "fallocate", "mount", "umount");
        if (!gone.isEmpty()) {
            skipOrFail(gone + " not found: apt-get install attr xfsprogs util-linux");
        }
        if (!canMount()) {
            String why = "loop mount is not available here (needs root and loop devices): mount -o loop failed";
            if (REQUIRED && Boolean.getBoolean("daxviz.importer.mount.required")) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    private static boolean onPath(String tool) {
        for (String d : PATH.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    public static synchronized boolean canMount() {
        if (canMount == null) {
            canMount = false;
            try {
                Path img = empty(512, 4);
                Path mnt = Files.createDirectories(dir().resolve("probe-mnt"));
                Result r = run(List.of("mount", "-o", "loop,ro", img.toString(), mnt.toString()), 60);
                if (r.rc == 0) {
                    canMount = run(List.of("umount", mnt.toString()), 60).rc == 0;
                }
            } catch (IOException e) {
                canMount = false;
            }
        }
        return canMount;
    }

    public static synchronized Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("daxviz-xfs-");
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
        }
        return dir;
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }

    // ---- the images ----

    /** A freshly made, empty v5 filesystem with rmapbt and reflink: 1 GiB, {@code agcount} AGs. */
    public static synchronized Path empty(int sectsize, int agcount) throws IOException {
        String name = "empty-s" + sectsize + "-ag" + agcount + ".img";
        Path img = BUILT.get(name);
        if (img == null) {
            img = dir().resolve(name);
            mkfs(img, "1g", "-s", "size=" + sectsize, "-d", "agcount=" + agcount, "-m", "reflink=1,rmapbt=1");
            BUILT.put(name, img);
        }
        return img;
    }

    /** A v5 filesystem without reflink and rmapbt (what mkfs.xfs made before they became the default). */
    public static synchronized Path noRmap() throws IOException {
        Path img = BUILT.get("normap");
        if (img == null) {
            img = dir().resolve("normap.img");
            mkfs(img, "512m", "-m", "reflink=0,rmapbt=0");
            BUILT.put("normap", img);
        }
        return img;
    }

    /** A v4 (no CRC) filesystem, which the reader must refuse. */
    public static synchronized Path v4() throws IOException {
        Path img = BUILT.get("v4");
        if (img == null) {
            img = dir().resolve("v4.img");
            mkfs(img, "512m", "-m", "crc=0");
            BUILT.put("v4", img);
        }
        return img;
    }

    /** 1 MiB of pseudo-random bytes: no filesystem at all. */
    public static synchronized Path notXfs() throws IOException {
        Path img = dir().resolve("random.img");
        if (!Files.exists(img)) {
            byte[] b = new byte[1 << 20];
            new java.util.Random(42).nextBytes(b);
            Files.write(img, b);
        }
        return img;
    }

    /**
     * A filesystem made through a loop mount with every feature the importer meets: 3-way reflinks, a partial
     * FICLONERANGE, a CoW overwrite, small and remote xattrs, a 30-extent file (bmbt fork) and an 8000-extent
     * file (2-level bmbt, multi-level rmapbt and bnobt), unwritten extents, hard links, a DAX-flagged file,
     * short and remote symlinks, directories in shortform, block, leaf and node form, and CoW staging extents
     * (in the frozen copy). The 4096-byte-sector variant, as on a pmem device, also has 64-bit extent counters
     * (nrext64) and 8 KiB directory blocks spanning two fs blocks.
     */
    public static synchronized FilesImage files(int sectsize) throws IOException {
        String name = "files-s" + sectsize + ".img";
        FilesImage f = FILES.get(name);
        if (f != null) {
            return f;
        }
        Path img = dir().resolve(name);
        Path frozen = dir().resolve("frozen-" + name);
        if (sectsize == 512) {
            mkfs(img, "1g", "-s", "size=512", "-m", "reflink=1,rmapbt=1");
        } else {
            mkfs(img, "1g", "-s", "size=" + sectsize, "-m", "reflink=1,rmapbt=1", "-i", "nrext64=1", "-n",
                    "size=8192");
        }
        Path mnt = Files.createDirectories(dir().resolve("mnt-" + sectsize));
        check(run(List.of("mount", "-o", "loop", img.toString(), mnt.toString()), 60), "mount");
        String found;
        try {
            check(bash(POPULATE, mnt.toString()), "populate");
            found = check(run(List.of("find", mnt.toString(), "-printf", "%i %P\\n"), 120), "find").out;
            // freezing writes back all metadata and quiesces the log: a copy taken now is consistent and
            // still has the CoW staging extents that the unmount below frees
            check(run(List.of("xfs_freeze", "-f", mnt.toString()), 120), "xfs_freeze -f");
            try {
                check(run(List.of("cp", "--sparse=always", img.toString(), frozen.toString()), 120), "cp");
            } finally {
                check(run(List.of("xfs_freeze", "-u", mnt.toString()), 120), "xfs_freeze -u");
            }
        } finally {
            // unmounting detaches the loop device that mount -o loop attached
            check(run(List.of("umount", mnt.toString()), 120), "umount");
        }
        Map<Long, List<String>> paths = new TreeMap<>();
        for (String line : found.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf(' ');
            long ino = Long.parseLong(line.substring(0, sp));
            paths.computeIfAbsent(ino, k -> new ArrayList<>()).add("/" + line.substring(sp + 1));
        }
        paths.values().forEach(l -> l.sort(null));
        f = new FilesImage(img, frozen, paths);
        FILES.put(name, f);
        return f;
    }

    /** What {@link #files} puts into the mounted filesystem ($1 is the mount point). */
    private static final String POPULATE = """
            set -eu
            cd "$1"
            # 3-way reflink, a partial FICLONERANGE, then a CoW overwrite of one clone
            dd if=/dev/urandom of=shared bs=4k count=16 status=none
            cp --reflink=always shared clone1
            cp --reflink=always shared clone2
            dd if=/dev/urandom of=partial bs=4k count=8 status=none
            xfs_io -c "reflink $1/shared 4096 4096 8192" partial >/dev/null
            sync
            dd if=/dev/urandom of=clone1 bs=4k count=2 seek=3 conv=notrunc status=none
            # xattrs: local ones and a value too big for an attr leaf (a remote value block)
            touch xattrs
            setfattr -n user.small -v hi xattrs
            setfattr -n user.big -v "$(head -c 5000 /dev/zero | tr '\\0' v)" xattrs
            for i in $(seq 1 40); do setfattr -n user.attr$i -v value$i xattrs; done
            # a 30-extent file: its fork is a bmbt
            xfs_io -f -c 'pwrite -b 1m 0 240k' -c fsync frag >/dev/null
            args=(); for i in $(seq 0 29); do args+=(-c "fpunch $((i*8+4))k 4k"); done
            xfs_io "${args[@]}" frag
            # an 8000-extent file: a 2-level bmbt, and rmapbt/bnobt trees of several levels
            xfs_io -f -c 'pwrite -b 4m 0 64m' -c fsync big >/dev/null
            args=(); for i in $(seq 0 7999); do args+=(-c "fpunch $((i*8+4))k 4k"); done
            xfs_io "${args[@]}" big
            # unwritten extents, alone and around a written range
            fallocate -l 1M unwritten
            fallocate -l 1M mixed
            dd if=/dev/urandom of=mixed bs=4k count=2 seek=10 conv=notrunc status=none
            # the DAX inode flag (XFS_DIFLAG2_DAX), settable without a DAX device
            touch daxfile
            xfs_io -c 'chattr +x' daxfile
            dd if=/dev/urandom of=daxfile bs=4k count=1 status=none conv=notrunc
            # symlinks: inline and remote
            ln -s shared shortlink
            ln -s "$(head -c 600 /dev/zero | tr '\\0' t)" longlink
            # directories of every form: shortform, block, leaf, node
            mkdir sf blk leaf node deep
            ln shared sf/hardlink
            for i in $(seq 1 20); do touch blk/f$i; done
            for i in $(seq 1 300); do touch leaf/file_with_a_rather_long_name_$i; done
            for i in $(seq 1 2000); do touch node/n$i; done
            ln shared node/also_shared
            mkdir -p deep/a/b/c/d/e/f
            echo hello > deep/a/b/c/d/e/f/leafile
            # CoW staging: a 128 KiB CoW extent size hint makes a 4 KiB overwrite of a shared file reserve more
            # than it uses; the rest stays staged until unmount
            dd if=/dev/urandom of=cowsrc bs=4k count=64 status=none
            sync
            cp --reflink=always cowsrc cowdst
            xfs_io -c 'cowextsize 128k' cowdst
            dd if=/dev/urandom of=cowdst bs=4k count=1 seek=5 conv=notrunc status=none
            sync
            """;

    /**
     * A filesystem made by mkfs.xfs from a protofile, without mounting: regular files, symlinks and directories
     * in every form.
     */
    public static synchronized Path protofile() throws IOException {
        Path img = BUILT.get("proto");
        if (img != null) {
            return img;
        }
        Path src = Files.createDirectories(dir().resolve("proto-src"));
        Path small = src.resolve("small");
        Files.write(small, "hello\n".getBytes(StandardCharsets.US_ASCII));
        Path big = src.resolve("big");
        byte[] b = new byte[3 << 20];
        new java.util.Random(7).nextBytes(b);
        Files.write(big, b);
        StringBuilder p = new StringBuilder("/dev/null\n0 0\nd--755 0 0\n");
        p.append("small ---644 0 0 ").append(small).append('\n');
        p.append("big ---644 0 0 ").append(big).append('\n');
        p.append("link l--777 0 0 small\n");
        p.append("longlink l--777 0 0 ").append("t".repeat(600)).append('\n');
        p.append("sf d--755 0 0\n one ---644 0 0 ").append(small).append("\n$\n");
        p.append("blk d--755 0 0\n");
        // 40 names overflow the 336-byte fork of an inode without attributes: block form
        for (int i = 1; i <= 40; i++) {
            p.append(" f").append(i).append(" ---644 0 0 ").append(small).append('\n');
        }
        p.append("$\nleaf d--755 0 0\n");
        for (int i = 1; i <= 100; i++) {
            p.append(" file_with_a_rather_long_name_").append(i).append(" ---644 0 0 ").append(small).append('\n');
        }
        p.append("$\nnode d--755 0 0\n");
        for (int i = 1; i <= 2000; i++) {
            p.append(" n").append(i).append(" ---644 0 0 ").append(small).append('\n');
        }
        p.append("$\n$\n");
        Path proto = src.resolve("proto.txt");
        Files.writeString(proto, p);
        img = dir().resolve("proto.img");
        mkfs(img, "1g", "-m", "reflink=1,rmapbt=1", "-p", proto.toString());
        BUILT.put("proto", img);
        return img;
    }

    // ---- tools ----

    private static void mkfs(Path img, String size, String... opts) throws IOException {
        check(run(List.of("truncate", "-s", size, img.toString()), 60), "truncate");
        List<String> cmd = new ArrayList<>(List.of("mkfs.xfs", "-q", "-f"));
        cmd.addAll(List.of(opts));
        cmd.add(img.toString());
        check(run(cmd, TIMEOUT_SECONDS), "mkfs.xfs");
    }

    /** Output lines of {@code xfs_db -r -c CMD... IMAGE}. */
    public static List<String> xfsDb(Path img, String... commands) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("xfs_db", "-r"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(img.toString());
        Result r = check(run(cmd, TIMEOUT_SECONDS), "xfs_db");
        List<String> out = new ArrayList<>();
        for (String l : r.out.split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The value of {@code name = value} that xfs_db prints for {@code print name}. */
    static long xfsDbValue(Path img, String... commands) throws IOException {
        List<String> out = xfsDb(img, commands);
        String last = out.get(out.size() - 1);
        String v = last.substring(last.indexOf('=') + 1).trim();
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }

    /** A sparse copy of {@code src} named {@code name}, for corrupting. */
    public static Path copy(Path src, String name) throws IOException {
        Path dst = dir().resolve(name);
        check(run(List.of("cp", "--sparse=always", src.toString(), dst.toString()), 120), "cp");
        return dst;
    }

    public record Result(int rc, String out) {
    }

    public static Result bash(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", script, "populate"));
        cmd.addAll(List.of(args));
        return run(cmd, TIMEOUT_SECONDS);
    }

    public static Result run(List<String> cmd, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", PATH);
        // lets mkfs.xfs make the small and single-AG filesystems the tests want
        pb.environment().put("TEST_DIR", "/tmp");
        pb.environment().put("TEST_DEV", "daxviz-test");
        pb.environment().put("QA_CHECK_FS", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        p.getOutputStream().close();
        // drained on its own thread so a tool that hangs with its output open still meets the timeout
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        drain.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "timed out: " + cmd);
            }
            drain.join(10_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + cmd, e);
        }
        synchronized (out) {
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        }
    }

    public static Result check(Result r, String what) throws IOException {
        if (r.rc != 0) {
            throw new IOException(what + " failed (exit " + r.rc + "): " + r.out);
        }
        return r;
    }
}
