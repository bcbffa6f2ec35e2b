package dev.daxviz.scenario;

/**
 * One thing wrong with a scenario, as the user reads it:
 * {@code file:line:col: key.path: what is wrong — how to fix it}.
 */
public record Problem(String source, int line, int col, String path, String what, String fix) {

    @Override
    public String toString() {
        return source + ":" + line + ":" + col + ": " + (path.isEmpty() ? "(document)" : path) + ": " + what
                + (fix == null || fix.isEmpty() ? "" : " — " + fix);
    }
}
