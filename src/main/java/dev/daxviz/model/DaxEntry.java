package dev.daxviz.model;

/**
 * An entry in a DAX file's mapping ({@code i_pages}): which pfn backs a file index. A zero entry maps the
 * shared zero page (a read of a hole) and has no pfn. A PMD entry covers 512 indices from an aligned
 * index; its pfn is the head page's.
 */
public record DaxEntry(long pfn, boolean pmd, boolean zero) {
    public static DaxEntry pte(long pfn) {
        return new DaxEntry(pfn, false, false);
    }

    public static DaxEntry pmdEntry(long headPfn) {
        return new DaxEntry(headPfn, true, false);
    }

    public static DaxEntry zeroEntry() {
        return new DaxEntry(-1, false, true);
    }
}
