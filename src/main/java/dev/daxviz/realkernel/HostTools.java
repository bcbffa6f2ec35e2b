package dev.daxviz.realkernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host programs the real-kernel check needs, and the Debian package of each, so that a missing one gives one
 * message naming what is missing and the {@code apt-get install} line that fixes it. Looked up on PATH and in the
 * sbin directories (xfsprogs installs mkfs.xfs under /usr/sbin, which a user's PATH often lacks).
 */
public final class HostTools {
    /** One program (or, for the static C library, one file) and the package that provides it. */
    public enum Tool {
        QEMU("qemu-system-x86_64", "qemu-system-x86"),
        BUSYBOX("busybox", "busybox-static"),
        MKFS_XFS("mkfs.xfs", "xfsprogs"),
        XFS_IO("xfs_io", "xfsprogs"),
        XFS_DB("xfs_db", "xfsprogs"),
        NDCTL("ndctl", "ndctl"),
        GCC("gcc", "gcc"),
        /** gcc -static needs the static C library. */
        LIBC_A("/usr/lib/x86_64-linux-gnu/libc.a", "libc6-dev"),
        LDD("ldd", "libc-bin"),
        XZ("xz", "xz-utils"),
        ZSTD("zstd", "zstd"),
        DPKG_DEB("dpkg-deb", "dpkg"),
        DPKG("dpkg", "dpkg"),
        TAR("tar", "tar"),
        APT_GET("apt-get", "apt"),
        APT_CACHE("apt-cache", "apt"),
        /** Verifies Debian's archive for the private apt configuration. */
        KEYRING("/usr/share/keyrings/debian-archive-keyring.gpg", "debian-archive-keyring");

        final String name;
        final String pkg;

        Tool(String name, String pkg) {
            this.name = name;
            this.pkg = pkg;
        }

        public String program() {
            return name;
        }

        public String debianPackage() {
            return pkg;
        }
    }

    /** What building the guest's base initramfs needs (its key includes these tools' versions). */
    public static final Set<Tool> BASE = set(Tool.BUSYBOX, Tool.MKFS_XFS, Tool.XFS_IO, Tool.XFS_DB, Tool.NDCTL,
            Tool.GCC, Tool.LIBC_A, Tool.LDD);
    /** What building and booting the guest need, whatever the kernel source. */
    public static final Set<Tool> GUEST = set(Tool.QEMU, BASE.toArray(new Tool[0]));
    /** Unpacking a kernel package (6.1's vmlinuz is xz, 6.12's is zstd and its modules .ko.xz). */
    public static final Set<Tool> UNPACK = set(Tool.XZ, Tool.ZSTD, Tool.DPKG_DEB, Tool.DPKG, Tool.TAR);
    /** Asking Debian's archive for a kernel. */
    public static final Set<Tool> FETCH = set(Tool.APT_GET, Tool.APT_CACHE, Tool.KEYRING);

    private static Set<Tool> set(Tool first, Tool... rest) {
        return java.util.Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    private final List<String> searchPath;
    private final Map<Tool, Path> overrides;

    HostTools(List<String> searchPath, Map<Tool, Path> overrides) {
        this.searchPath = List.copyOf(searchPath);
        this.overrides = Map.copyOf(overrides);
    }

    /** The tools of this machine: PATH, then the sbin directories. */
    public static HostTools system(Map<Tool, Path> overrides) {
        List<String> dirs = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty()) {
                dirs.add(d);
            }
        }
        for (String d : List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (!dirs.contains(d)) {
                dirs.add(d);
            }
        }
        return new HostTools(dirs, overrides);
    }

    /** Where a tool is, or null. */
    public Path find(Tool t) {
        Path o = overrides.get(t);
        if (o != null) {
            return Files.isRegularFile(o) ? o : null;
        }
        if (t.name.startsWith("/")) {
            Path p = Path.of(t.name);
            return Files.isRegularFile(p) ? p : null;
        }
        for (String d : searchPath) {
            Path p = Path.of(d, t.name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The path of a tool that {@link #require} has checked. */
    public String path(Tool t) {
        Path p = find(t);
        if (p == null) {
            throw new KernelUnavailable(missingMessage(List.of(t)));
        }
        return p.toString();
    }

    /** Throws {@link KernelUnavailable} naming every missing tool of {@code needed} and how to install them. */
    public void require(Set<Tool> needed) {
        List<Tool> missing = needed.stream().filter(t -> find(t) == null).toList();
        if (!missing.isEmpty()) {
            throw new KernelUnavailable(missingMessage(missing));
        }
    }

    static String missingMessage(List<Tool> missing) {
        Set<String> pkgs = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (Tool t : missing) {
            names.add(t.name);
            pkgs.add(t.pkg);
        }
        return "the real-kernel check needs " + String.join(", ", names) + ", which " + (names.size() == 1 ? "is"
                : "are") + " not installed: apt-get install -y --no-install-recommends " + String.join(" ", pkgs);
    }
}
