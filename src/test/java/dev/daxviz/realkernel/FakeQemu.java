package dev.daxviz.realkernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A fake qemu-system-x86_64 for tests: a bash script that records its arguments (one a line, in {@code argv} beside
 * it), finds the two {@code -serial file:} paths as qemu would ({@code $con} the console, {@code $proto} the protocol
 * port) and then does what the test's body says: hang, exit, or write a guest's lines.
 */
public final class FakeQemu {
    private static final String PROLOGUE = """
            #!/bin/bash
            for a in "$@"; do echo "$a" >> "$(dirname "$0")/argv"; done
            con=; proto=
            while [ $# -gt 0 ]; do
              if [ "$1" = -serial ]; then
                case "$2" in file:*) if [ -z "$con" ]; then con=${2#file:}; else proto=${2#file:}; fi;; esac
                shift
              fi
              shift
            done
            """;

    private FakeQemu() {
    }

    /**
     * A fake kernel in a cache folder (what --offline finds: a manifest, a vmlinuz, ten modules that are not modules),
     * so a verification gets as far as booting without Debian's archive. Skips the calling test (fails it under
     * {@code -Ddaxviz.realkernel.required=true}) when the tools that build the guest's base archive are missing.
     */
    public static void installKernel(Path cacheRoot) throws IOException {
        HostTools tools = HostTools.system(java.util.Map.of());
        java.util.List<HostTools.Tool> missing = HostTools.BASE.stream().filter(t -> tools.find(t) == null).toList();
        if (!missing.isEmpty()) {
            String why = HostTools.missingMessage(missing);
            if (RealKernelTest.REQUIRED) {
                org.junit.jupiter.api.Assertions.fail(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        Path k = Files.createDirectories(cacheRoot.resolve("kernels/linux-image-6.1.0-99-amd64_6.1.999-1/modules"))
                .getParent();
        for (String m : KernelUnpacker.MODULES) {
            Files.writeString(k.resolve("modules/" + m + ".ko"), "not a module");
        }
        Files.writeString(k.resolve("vmlinuz"), "not a kernel");
        Files.writeString(k.resolve("manifest.properties"), "package=linux-image-6.1.0-99-amd64\nversion=6.1.999-1\n"
                + "uname=6.1.0-99-amd64\nvmlinux=\n");
    }

    /** The prototype's console log of a real 6.12 oops in dax_lock_folio (a test resource). */
    public static String oopsConsole() {
        return Fixtures.text("reference/6.12-d.console.log");
    }

    /** Writes {@code dir/qemu} running {@code body} after the prologue; returns its path. */
    public static Path write(Path dir, String body) throws IOException {
        Path q = dir.resolve("qemu");
        Files.writeString(q, PROLOGUE + body);
        Files.setPosixFilePermissions(q, PosixFilePermissions.fromString("rwxr-xr-x"));
        return q;
    }
}
