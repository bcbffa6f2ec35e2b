package dev.daxviz.ui;

import javax.swing.table.AbstractTableModel;
import java.util.List;

/** A read-only table of row values with fixed column names; subclasses say what a cell shows. */
abstract class RowTableModel<R> extends AbstractTableModel {
    private static final long serialVersionUID = 1L;
    private final String[] columns;
    private transient List<R> rows = List.of();

    RowTableModel(String... columns) {
        this.columns = columns.clone();
    }

    /** Replaces every row. */
    final void setRows(List<R> r) {
        rows = List.copyOf(r);
        fireTableDataChanged();
    }

    public final R row(int r) {
        return rows.get(r);
    }

    /** What column {@code c} shows for a row. */
    abstract Object cell(R row, int c);

    @Override
    public final int getRowCount() {
        return rows.size();
    }

    @Override
    public final int getColumnCount() {
        return columns.length;
    }

    @Override
    public final String getColumnName(int c) {
        return columns[c];
    }

    @Override
    public final Object getValueAt(int r, int c) {
        return cell(rows.get(r), c);
    }
}
