package dev.daxviz.model;

/**
 * The struct page fields the failure path reads, for one pmem page: {@code PG_hwpoison}, and the DAX
 * association of patch 5 — {@code page->mapping}/{@code page->index} naming one owner, or the CoW
 * (6.1) / shared (6.12) marker with its count.
 *
 * @param hwpoison  PageHWPoison
 * @param owner     inode number whose mapping {@code page->mapping} names, {@link #NO_OWNER} for none,
 *                  {@link #DEVDAX_OWNER} for a device-dax mapping
 * @param index     {@code page->index} for a single owner
 * @param marker    the non-pointer value stored in {@code page->mapping}, if any
 * @param share     owners counted under the marker ({@code page->index} in 6.1, {@code page->share} later)
 */
public record PageState(boolean hwpoison, long owner, long index, Marker marker, int share) {
    public static final long NO_OWNER = Long.MIN_VALUE;
    public static final long DEVDAX_OWNER = -1;
    public static final PageState CLEAN = new PageState(false, NO_OWNER, 0, Marker.NONE, 0);

    /** {@code PAGE_MAPPING_DAX_COW} (6.1) or {@code PAGE_MAPPING_DAX_SHARED} (6.2+): both the value 1. */
    public enum Marker { NONE, COW, SHARED }

    public boolean hasMarker() {
        return marker != Marker.NONE;
    }

    public boolean hasOwner() {
        return owner != NO_OWNER;
    }

    /** {@code page->mapping} is NULL. */
    public boolean unassociated() {
        return !hasMarker() && !hasOwner();
    }

    public PageState withHwpoison(boolean v) {
        return new PageState(v, owner, index, marker, share);
    }

    public PageState withOwner(long ino, long idx) {
        return new PageState(hwpoison, ino, idx, Marker.NONE, 0);
    }

    public PageState withMarker(Marker m, int count) {
        return new PageState(hwpoison, NO_OWNER, 0, m, count);
    }

    public PageState cleared() {
        return new PageState(hwpoison, NO_OWNER, 0, Marker.NONE, 0);
    }
}
