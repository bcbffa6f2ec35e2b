package dev.daxviz.realkernel;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Boots the guest in qemu and watches its protocol port until it ends, with deadlines: no {@code INIT} line within
 * the boot deadline is a boot failure, and the whole run has a deadline too; either kills qemu, and so does cancel.
 * A panic (panic=-1 with -no-reboot) also ends qemu with status 0, so a run is judged by its markers only: the
 * protocol's {@code END} line says the plan finished.
 *
 * <p>Console (ttyS0, kernel messages) and protocol (ttyS1) go to two files; protocol lines are handed to a
 * listener as they arrive, which drives the progress report.
 */
final class QemuRunner {
    /** How a run ended. */
    enum Status {
        /** The plan ran to its END line. */
        COMPLETE,
        /** The guest started but qemu ended without END: a panic, or the guest died. */
        NO_END,
        /** No INIT line within the boot deadline. */
        BOOT_TIMEOUT,
        /** The whole-run deadline passed. */
        RUN_TIMEOUT,
        /** qemu exited before the guest started (a qemu error: see its output). */
        EXITED_EARLY
    }

    /**
     * One run.
     *
     * @param accel "tcg" or "kvm"
     */
    record Spec(Path qemu, String accel, Path kernel, Path initrd, MachineLayout machine, Path consoleLog,
                Path protoLog, Path qemuOutput, Duration bootDeadline, Duration runDeadline) {
        List<String> argv() {
            List<String> a = new ArrayList<>(List.of(qemu.toString(), "-accel", accel, "-cpu",
                    accel.equals("kvm") ? "host" : "max", "-smp", "1", "-m", machine.memoryMiB() + "M",
                    "-display", "none", "-monitor", "none", "-no-reboot",
                    "-serial", "file:" + consoleLog, "-serial", "file:" + protoLog,
                    "-kernel", kernel.toString(), "-initrd", initrd.toString()));
            // -smp 1 keeps task order stable; loglevel=3 keeps the console to errors, oopses and panics
            a.add("-append");
            a.add("console=ttyS0 " + String.join(" ", machine.kernelArgs()) + " panic=-1 loglevel=3");
            return a;
        }
    }

    record Outcome(Status status, int qemuExit, String qemuOutput, double seconds, boolean sawInit) {
    }

    private QemuRunner() {
    }

    static Outcome run(Spec spec, Consumer<String> protocolLine, CancelToken cancel) {
        cancel.check();
        try {
            Files.deleteIfExists(spec.consoleLog());
            Files.deleteIfExists(spec.protoLog());
            Files.createFile(spec.protoLog());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder pb = new ProcessBuilder(spec.argv()).redirectErrorStream(true)
                .redirectOutput(spec.qemuOutput().toFile());
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new KernelUnavailable(spec.qemu() + " could not be started: " + e.getMessage());
        }
        LineTail tail = new LineTail(spec.protoLog());
        boolean sawInit = false;
        Status status = null;
        try (AutoCloseable hook = cancel.onCancel(() -> HostCommand.kill(p))) {
            while (true) {
                boolean exited = p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                for (String line : tail.newLines(exited)) {
                    sawInit |= line.startsWith("INIT ");
                    protocolLine.accept(line);
                }
                if (cancel.isCancelled()) {
                    HostCommand.kill(p);
                    throw new Cancelled();
                }
                if (exited) {
                    status = tail.sawEnd() ? Status.COMPLETE : sawInit ? Status.NO_END : Status.EXITED_EARLY;
                    break;
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
                if (!sawInit && elapsed.compareTo(spec.bootDeadline()) > 0) {
                    status = Status.BOOT_TIMEOUT;
                } else if (elapsed.compareTo(spec.runDeadline()) > 0) {
                    status = Status.RUN_TIMEOUT;
                }
                if (status != null) {
                    HostCommand.kill(p);
                    p.waitFor();
                    tail.newLines(true).forEach(protocolLine);
                    break;
                }
            }
        } catch (InterruptedException e) {
            HostCommand.kill(p);
            Thread.currentThread().interrupt();
            throw new Cancelled();
        } catch (RuntimeException e) {
            HostCommand.kill(p);
            throw e;
        } catch (Exception e) {
            HostCommand.kill(p);
            throw new IllegalStateException(e);
        }
        String out;
        try {
            out = Files.readString(spec.qemuOutput(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            out = "";
        }
        int exit = p.isAlive() ? -1 : p.exitValue();
        return new Outcome(status, exit, out, (System.nanoTime() - t0) / 1e9, sawInit);
    }

    /** Reads a growing file line by line (carriage returns dropped: the serial line may add them). */
    static final class LineTail {
        private final Path file;
        private long pos;
        private final StringBuilder partial = new StringBuilder();
        private boolean end;

        LineTail(Path file) {
            this.file = file;
        }

        /** The complete lines written since the last call; with {@code last}, a final unterminated line too. */
        List<String> newLines(boolean last) {
            List<String> out = new ArrayList<>();
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long len = f.length();
                if (len > pos) {
                    byte[] b = new byte[(int) (len - pos)];
                    f.seek(pos);
                    f.readFully(b);
                    pos = len;
                    partial.append(new String(b, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                return out;
            }
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                out.add(partial.substring(0, nl).replace("\r", ""));
                partial.delete(0, nl + 1);
            }
            if (last && partial.length() > 0) {
                out.add(partial.toString().replace("\r", ""));
                partial.setLength(0);
            }
            for (String l : out) {
                end |= l.startsWith("END ") || l.equals("END");
            }
            return out;
        }

        boolean sawEnd() {
            return end;
        }
    }
}
