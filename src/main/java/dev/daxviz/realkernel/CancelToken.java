package dev.daxviz.realkernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Cancels a verification from another thread: the app's Cancel button or the command line's Ctrl-C calls
 * {@link #cancel()}; the running step kills its child process (qemu, apt, gcc) at once through the hooks it
 * registered, and the verification ends with {@link Cancelled}.
 */
public final class CancelToken {
    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    /** A token nobody cancels. */
    public static CancelToken none() {
        return new CancelToken();
    }

    public void cancel() {
        List<Runnable> run;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            run = new ArrayList<>(hooks);
        }
        run.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link Cancelled} when cancelled: called between steps. */
    public void check() {
        if (isCancelled()) {
            throw new Cancelled();
        }
    }

    /** Runs {@code hook} on cancel (at once when already cancelled); the returned handle removes it. */
    AutoCloseable onCancel(Runnable hook) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                hooks.add(hook);
            }
        }
        if (now) {
            hook.run();
        }
        return () -> {
            synchronized (this) {
                hooks.remove(hook);
            }
        };
    }
}
