package dev.daxviz.ui.grid;

/**
 * A stretch of pages the grid lays out on rows of its own under a label: the fsdax reserve, one allocation group,
 * the external log device, the realtime device, a devdax device's data.
 *
 * @param firstPfn first page of the band
 * @param pages    pages in it
 * @param agno     the AG it shows, or -1
 * @param compact  drawn on a single row whatever the zoom (the fsdax reserve: nothing to see inside it)
 */
public record Band(String label, long firstPfn, long pages, int agno, boolean compact) {
    public Band(String label, long firstPfn, long pages, int agno) {
        this(label, firstPfn, pages, agno, false);
    }

    public long endPfn() {
        return firstPfn + pages;
    }

    public boolean contains(long pfn) {
        return pfn >= firstPfn && pfn < endPfn();
    }
}
