package dev.daxviz.realkernel;

import dev.daxviz.realkernel.HostTools.Tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of the guest's initramfs that does not change between scenarios, built once per kernel and cached:
 * static busybox with a link per applet, mkfs.xfs, xfs_io, xfs_db and ndctl with the shared libraries ldd lists
 * (and the loader), the helper compiled with {@code gcc -static}, the kernel's ten modules, and /dev/console (the
 * kernel gives init its console before devtmpfs is mounted). The per-scenario archive with /init and the plan is
 * appended to it. Its key covers everything that goes in: the helper's source and the host tools' versions.
 */
final class BaseArchive {
    /** Raise when the base's layout changes, so that old cached bases are rebuilt. */
    static final int LAYOUT = 1;
    static final String HELPER = "/dev/daxviz/realkernel/daxhelper.c";
    private static final List<String> TOOLS_IN_GUEST = List.of("/usr/sbin/mkfs.xfs", "/usr/sbin/xfs_io",
            "/usr/sbin/xfs_db", "/usr/bin/ndctl");

    private BaseArchive() {
    }

    static byte[] helperSource() {
        try (InputStream in = BaseArchive.class.getResourceAsStream(HELPER)) {
            if (in == null) {
                throw new IllegalStateException(HELPER + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key of the base: helper source, tool versions and the layout, hashed (16 hex digits). */
    static String key(HostTools tools, CancelToken cancel) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(helperSource());
            d.update(("layout " + LAYOUT + "\n" + String.join("\n", toolVersions(tools, cancel))).getBytes(
                    StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** busybox, xfsprogs, ndctl and gcc versions, as the tools print them. */
    static List<String> toolVersions(HostTools tools, CancelToken cancel) {
        List<String> v = new ArrayList<>();
        v.add(HostCommand.of(tools.path(Tool.BUSYBOX)).run(cancel).out().lines().findFirst().orElse("busybox ?"));
        v.add(HostCommand.of(tools.path(Tool.MKFS_XFS), "-V").run(cancel).out().strip());
        v.add("ndctl " + HostCommand.of(tools.path(Tool.NDCTL), "--version").run(cancel).out().strip());
        v.add("gcc " + HostCommand.of(tools.path(Tool.GCC), "-dumpfullversion").run(cancel).out().strip());
        return v;
    }

    /** Builds {@code out} for the kernel whose plain modules are in {@code modules}. */
    static void build(Path out, Path modules, String unameR, HostTools tools, CancelToken cancel) {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try {
            Path work = Files.createTempDirectory("daxviz-base");
            try {
                Path helper = compileHelper(work, tools, cancel);
                try (OutputStream os = Files.newOutputStream(tmp); CpioArchive a = new CpioArchive(os)) {
                    fill(a, helper, modules, unameR, tools, cancel);
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                KernelUnpacker.deleteTree(work);
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path compileHelper(Path work, HostTools tools, CancelToken cancel) throws IOException {
        Path src = work.resolve("daxhelper.c");
        Files.write(src, helperSource());
        Path bin = work.resolve("daxhelper");
        HostCommand.Output o = HostCommand.of(tools.path(Tool.GCC), "-O2", "-Wall", "-static", "-s", "-o",
                bin.toString(), src.toString()).timeout(300).run(cancel);
        if (!o.ok()) {
            throw new KernelUnavailable("gcc -static could not build the guest helper (is libc6-dev installed?): "
                    + HostCommand.tail(o.stderr()));
        }
        return bin;
    }

    private static void fill(CpioArchive a, Path helper, Path modules, String unameR, HostTools tools,
                             CancelToken cancel) throws IOException {
        Set<String> dirs = new TreeSet<>(List.of("/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/dev", "/proc",
                "/sys", "/mnt", "/tmp", "/etc", "/lib", "/lib/modules", "/run", "/scen"));
        Set<String> libs = new LinkedHashSet<>();
        for (String t : TOOLS_IN_GUEST) {
            libs.addAll(sharedLibraries(Path.of(t), tools, cancel));
        }
        String busybox = tools.path(Tool.BUSYBOX);
        libs.addAll(sharedLibraries(Path.of(busybox), tools, cancel));
        for (String l : libs) {
            addParents(dirs, l);
        }
        for (String d : dirs) {
            a.dir(d);
        }
        a.charDevice("/dev/console", 0600, 5, 1);
        a.charDevice("/dev/null", 0666, 1, 3);
        a.file("/bin/busybox", 0755, Files.readAllBytes(Path.of(busybox)));
        for (String applet : HostCommand.of(busybox, "--list").check(cancel).lines().toList()) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                a.symlink("/bin/" + applet.strip(), "busybox");
            }
        }
        for (String t : TOOLS_IN_GUEST) {
            Path host = tools.find(toolOf(t));
            a.file(t, 0755, Files.readAllBytes(host != null ? host : Path.of(t)));
        }
        a.symlink("/sbin/mkfs.xfs", "../usr/sbin/mkfs.xfs");
        for (String l : libs) {
            a.file(l, 0755, Files.readAllBytes(Path.of(l)));
        }
        a.file("/bin/daxhelper", 0755, Files.readAllBytes(helper));
        for (String m : KernelUnpacker.MODULES) {
            a.file("/lib/modules/" + m + ".ko", 0644, Files.readAllBytes(modules.resolve(m + ".ko")));
        }
        a.file("/etc/kernel-release", 0644, (unameR + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Tool toolOf(String guestPath) {
        return switch (Path.of(guestPath).getFileName().toString()) {
            case "mkfs.xfs" -> Tool.MKFS_XFS;
            case "xfs_io" -> Tool.XFS_IO;
            case "xfs_db" -> Tool.XFS_DB;
            default -> Tool.NDCTL;
        };
    }

    /** The libraries (and the loader) that ldd lists for a binary, as absolute paths; none for a static one. */
    static List<String> sharedLibraries(Path binary, HostTools tools, CancelToken cancel) {
        HostCommand.Output o = HostCommand.of(tools.path(Tool.LDD), binary.toString()).run(cancel);
        List<String> out = new ArrayList<>();
        for (String line : o.out().lines().toList()) {
            String t = line.trim();
            int arrow = t.indexOf("=> /");
            if (arrow >= 0) {
                out.add(t.substring(arrow + 3).split("\\s+")[0]);
            } else if (t.startsWith("/")) {
                out.add(t.split("\\s+")[0]);
            }
        }
        return out;
    }

    private static void addParents(Set<String> dirs, String file) {
        Path p = Path.of(file).getParent();
        while (p != null && !p.toString().equals("/")) {
            dirs.add(p.toString());
            p = p.getParent();
        }
    }
}
