package dev.daxviz.realkernel;

/**
 * Progress of a verification: called on the verifying thread whenever a stage starts or has news ("downloading
 * linux-image-6.1.0-57-amd64: 31 of 67 MB", "event 2/3"). The command line prints it on standard error; the app
 * hands it to its progress dialog (off the event thread: post it with SwingUtilities.invokeLater).
 */
@FunctionalInterface
public interface StageListener {
    StageListener NONE = (stage, detail) -> { };

    void stage(Stage stage, String detail);
}
