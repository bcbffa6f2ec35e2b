package dev.daxviz.realkernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one host program to completion with a deadline, killing it (and its children) on cancel or timeout. Output is
 * read on separate threads so that a chatty program never blocks on a full pipe.
 */
final class HostCommand {
    /** What a program printed and returned. */
    record Output(int rc, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return rc == 0;
        }
    }

    private final List<String> argv;
    private Path cwd;
    private Map<String, String> env = Map.of();
    private byte[] stdin;
    private long timeoutSeconds = 600;

    private HostCommand(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    static HostCommand of(String... argv) {
        return new HostCommand(List.of(argv));
    }

    static HostCommand of(List<String> argv) {
        return new HostCommand(argv);
    }

    HostCommand in(Path dir) {
        this.cwd = dir;
        return this;
    }

    HostCommand env(Map<String, String> e) {
        this.env = Map.copyOf(e);
        return this;
    }

    HostCommand input(byte[] bytes) {
        this.stdin = bytes;
        return this;
    }

    HostCommand timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Runs it; throws {@link Cancelled} when cancelled, {@link HostCommandFailed} on a timeout. */
    Output run(CancelToken cancel) {
        cancel.check();
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HostCommandFailed(argv.get(0) + " could not be started: " + e.getMessage());
        }
        try (AutoCloseable hook = cancel.onCancel(() -> kill(p))) {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // the program closed its input early; its exit code tells the rest
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill(p);
                throw new HostCommandFailed(describe() + " did not finish within " + timeoutSeconds + " s");
            }
            cancel.check();
            return new Output(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new Cancelled();
        } catch (RuntimeException e) {
            kill(p);
            throw e;
        } catch (Exception e) {
            kill(p);
            throw new IllegalStateException(e);
        }
    }

    /** Runs it and returns stdout; a non-zero exit is a {@link HostCommandFailed} quoting stderr. */
    String check(CancelToken cancel) {
        Output o = run(cancel);
        if (!o.ok()) {
            throw new HostCommandFailed(describe() + " failed (exit " + o.rc() + "): " + tail(o.stderr()));
        }
        return o.out();
    }

    String describe() {
        List<String> shown = new ArrayList<>(argv.subList(0, Math.min(argv.size(), 6)));
        return String.join(" ", shown) + (argv.size() > 6 ? " …" : "");
    }

    static String tail(String s) {
        String t = s.strip();
        List<String> lines = t.lines().toList();
        String last = String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return last.length() > 400 ? last.substring(last.length() - 400) : last;
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A host program failed; the message names it and quotes its error output. */
    static final class HostCommandFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HostCommandFailed(String message) {
            super(message);
        }
    }
}
