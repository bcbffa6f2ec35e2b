package dev.daxviz.realkernel;

/**
 * The real kernel cannot be run here: a host tool is missing, apt cannot fetch the kernel package, there is no
 * cached kernel for {@code --offline}, or qemu cannot boot it. The message says what and how to fix it; the
 * command line exits 4.
 */
public final class KernelUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelUnavailable(String message) {
        super(message);
    }

    public KernelUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
