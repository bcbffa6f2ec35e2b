package dev.daxviz.realkernel;

import dev.daxviz.realkernel.HostTools.Tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Takes what the guest needs out of a Debian kernel package: vmlinuz, the ten modules (decompressed: busybox
 * insmod wants plain .ko, and 6.12 ships .ko.xz) and an uncompressed vmlinux. Only those members are extracted,
 * by their exact names from {@code dpkg-deb -c}, not the 400 MB tree.
 */
final class KernelUnpacker {
    /**
     * The modules in load order (init.sh loads them in this order too). crc32c_generic is no symbol dependency:
     * libcrc32c asks the crypto API for "crc32c" at init, and the guest has no modprobe to load it on demand.
     */
    static final List<String> MODULES = List.of("libnvdimm", "nd_btt", "nd_pmem", "nd_e820", "crc32c_generic",
            "libcrc32c", "xfs", "hwpoison-inject", "device_dax", "dax_pmem");
    private static final String MODULE_DIRS = "(drivers/nvdimm|crypto|lib|fs/xfs|mm|drivers/dax)";

    private KernelUnpacker() {
    }

    /** Package name and version of a .deb. */
    static DebianArchive.KernelPackage identify(Path deb, HostTools tools, CancelToken cancel) {
        String out = HostCommand.of(tools.path(Tool.DPKG_DEB), "-f", deb.toString(), "Package", "Version")
                .check(cancel);
        String name = null;
        String version = null;
        for (String l : out.lines().toList()) {
            if (l.startsWith("Package:")) {
                name = l.substring(8).trim();
            } else if (l.startsWith("Version:")) {
                version = l.substring(8).trim();
            }
        }
        if (name == null || version == null || !name.startsWith("linux-image-")) {
            throw new KernelUnavailable(deb + " is not a Debian kernel package (Package: " + name + ")");
        }
        return new DebianArchive.KernelPackage(name, version, 0);
    }

    /** Unpacks {@code deb} into {@code dir} (which must not exist yet) and writes its manifest. */
    static void unpack(Path deb, DebianArchive.KernelPackage k, Path dir, HostTools tools, CancelToken cancel) {
        try {
            Path x = dir.resolve("x");
            Files.createDirectories(x);
            Files.createDirectories(dir.resolve("modules"));
            List<String> members = new ArrayList<>();
            for (String l : HostCommand.of(tools.path(Tool.DPKG_DEB), "-c", deb.toString()).check(cancel).lines().toList()) {
                String[] cols = l.trim().split("\\s+");
                if (cols.length >= 6) {
                    members.add(cols[5]);
                }
            }
            String vmlinuz = members.stream().filter(m -> m.matches("\\./boot/vmlinuz-.*")).findFirst()
                    .orElseThrow(() -> new KernelUnavailable(deb + " holds no /boot/vmlinuz-*"));
            List<String> want = new ArrayList<>(List.of(vmlinuz));
            List<String> modulePaths = new ArrayList<>();
            for (String mod : MODULES) {
                Pattern p = Pattern.compile(".*/kernel/" + MODULE_DIRS + "/" + mod.replaceAll("[-_]", "[-_]")
                        + "\\.ko(\\.xz|\\.zst)?");
                String hit = members.stream().filter(m -> p.matcher(m).matches()).findFirst()
                        .orElseThrow(() -> new KernelUnavailable(deb + " has no module " + mod + ".ko: the guest needs "
                                + String.join(", ", MODULES)));
                want.add(hit);
                modulePaths.add(hit);
            }
            Path list = dir.resolve("members");
            Files.write(list, want, StandardCharsets.UTF_8);
            // dpkg-deb writes the data tarball, tar takes only the listed members
            HostCommand.of("/bin/sh", "-c", "\"$1\" --fsys-tarfile \"$2\" | \"$3\" -x -C \"$4\" -T \"$5\"", "sh",
                    tools.path(Tool.DPKG_DEB), deb.toString(), tools.path(Tool.TAR), x.toString(), list.toString())
                    .timeout(600).check(cancel);
            Files.move(x.resolve(vmlinuz), dir.resolve("vmlinuz"));
            for (int i = 0; i < MODULES.size(); i++) {
                Path src = x.resolve(modulePaths.get(i));
                Path dst = dir.resolve("modules/" + MODULES.get(i) + ".ko");
                String n = src.getFileName().toString();
                if (n.endsWith(".xz") || n.endsWith(".zst")) {
                    Tool t = n.endsWith(".xz") ? Tool.XZ : Tool.ZSTD;
                    Files.write(dst, HostCommand.of(tools.path(t), n.endsWith(".xz") ? "-dc" : "-dqc", src.toString())
                            .run(cancel).stdout());
                } else {
                    Files.move(src, dst);
                }
            }
            checkDependencies(dir.resolve("modules"));
            String compression = VmlinuxExtractor.extract(dir.resolve("vmlinuz"), dir.resolve("vmlinux"), tools, cancel);
            Properties m = new Properties();
            m.setProperty("package", k.name());
            m.setProperty("version", k.version());
            m.setProperty("uname", vmlinuz.substring(vmlinuz.indexOf("vmlinuz-") + 8));
            m.setProperty("vmlinux", compression == null ? "" : "vmlinux");
            m.setProperty("compression", compression == null ? "unknown" : compression);
            m.setProperty("modules", String.join(" ", modulePaths));
            KernelCache.writeManifest(dir, m);
            deleteTree(x);
            Files.deleteIfExists(list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every module's symbol dependencies (the "depends=" field of its .modinfo; the .deb carries no modules.dep,
     * depmod runs at install time) must be among the ten, or insmod fails in the guest.
     */
    static void checkDependencies(Path modules) throws IOException {
        List<String> have = MODULES.stream().map(m -> m.replace('-', '_')).toList();
        for (String mod : MODULES) {
            byte[] b = Files.readAllBytes(modules.resolve(mod + ".ko"));
            String s = new String(b, StandardCharsets.ISO_8859_1);
            int i = s.indexOf("\0depends=");
            if (i < 0) {
                continue;
            }
            int end = s.indexOf('\0', i + 1);
            String deps = s.substring(i + 9, end);
            for (String d : deps.split(",")) {
                if (!d.isEmpty() && !have.contains(d.replace('-', '_'))) {
                    throw new KernelUnavailable("module " + mod + " of this kernel depends on " + d + ", which the guest "
                            + "does not load (it loads " + String.join(", ", MODULES) + ")");
                }
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
