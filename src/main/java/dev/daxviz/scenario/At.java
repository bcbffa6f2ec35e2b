package dev.daxviz.scenario;

/** Where a value of the scenario was written: its key path and its line and column. */
public record At(String path, int line, int col) {
    static At of(String path, YNode n) {
        return new At(path, n.line(), n.col());
    }

    At child(String key, YNode n) {
        return new At(path.isEmpty() ? key : path + "." + key, n.line(), n.col());
    }
}
