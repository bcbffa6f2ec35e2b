package dev.daxviz.ui.export;

/** An export that cannot be made as asked (a bad view, step or file name): the message says what and how to fix it. */
public final class ExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String what;
    private final String fix;

    public ExportException(String what, String fix) {
        super(what + (fix == null || fix.isEmpty() ? "" : " — " + fix));
        this.what = what;
        this.fix = fix;
    }

    public String what() {
        return what;
    }

    public String fix() {
        return fix;
    }
}
