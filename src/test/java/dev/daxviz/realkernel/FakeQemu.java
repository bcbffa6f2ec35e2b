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
final class FakeQemu {
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

    /** Writes {@code dir/qemu} running {@code body} after the prologue; returns its path. */
    static Path write(Path dir, String body) throws IOException {
        Path q = dir.resolve("qemu");
        Files.writeString(q, PROLOGUE + body);
        Files.setPosixFilePermissions(q, PosixFilePermissions.fromString("rwxr-xr-x"));
        return q;
    }
}
