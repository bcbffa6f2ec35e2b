package dev.daxviz.ui;

import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Processes and their mappings, one row per VMA, with the SIGBUS each got in the events so far. */
public final class ProcessesTableModel extends RowTableModel<ProcessesTableModel.Row> {
    private static final long serialVersionUID = 1L;
    private static final String[] COLS = {"pid", "comm", "early kill", "state", "signal", "file", "offset", "length",
        "address", "touched"};

    public ProcessesTableModel() {
        super(COLS);
    }

    /** One row: a process and one of its mappings (or none). */
    public record Row(Process p, Vma v, String signal) {
    }

    /** @param signals pid → "AR"/"AO" received so far */
    public void setWorld(World w, List<Process> everyone, Map<Integer, String> signals) {
        List<Row> out = new ArrayList<>();
        if (w != null) {
            for (Process p : everyone) {
                Process now = w.process(p.pid()).orElse(p);
                List<Vma> vmas = now.alive() ? now.vmas() : p.vmas();
                String sig = signals.getOrDefault(p.pid(), "");
                if (vmas.isEmpty()) {
                    out.add(new Row(now, null, sig));
                }
                for (Vma v : vmas) {
                    out.add(new Row(now, v, sig));
                }
            }
        }
        setRows(out);
    }

    @Override
    Object cell(Row row, int c) {
        Vma v = row.v();
        return switch (c) {
            case 0 -> row.p().pid();
            case 1 -> row.p().comm();
            case 2 -> row.p().earlyKill().id();
            case 3 -> row.p().state().id();
            case 4 -> row.signal();
            case 5 -> v == null ? "" : v.path();
            case 6 -> v == null ? "" : Units.human(v.fileOffset());
            case 7 -> v == null ? "" : Units.human(v.length());
            case 8 -> v == null ? "" : Units.hex(v.start());
            default -> v == null ? "" : v.present().size() + (v.pmd() ? " pages (PMD)" : " pages");
        };
    }
}
