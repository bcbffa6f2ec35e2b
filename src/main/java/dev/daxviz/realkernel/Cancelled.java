package dev.daxviz.realkernel;

/** The run was cancelled (Ctrl-C on the command line, Cancel in the app): qemu and every helper were stopped. */
public final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Cancelled() {
        super("cancelled", null, false, false);
    }
}
