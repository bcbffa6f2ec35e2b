package dev.daxviz.model;

/** Sizes the whole simulation is built on: 4 KiB pages and fs blocks, 512-byte basic blocks (BB). */
public final class Units {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final int BBSHIFT = 9;
    public static final long BBSIZE = 1L << BBSHIFT;
    public static final int PMD_SHIFT = 21;
    public static final long PMD_SIZE = 1L << PMD_SHIFT;
    /** Pages in one PMD (2 MiB) entry. */
    public static final int PMD_PAGES = (int) (PMD_SIZE / PAGE_SIZE);
    public static final long KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;

    private Units() {
    }

    public static long alignUp(long v, long align) {
        return Math.floorDiv(v + align - 1, align) * align;
    }

    public static long alignDown(long v, long align) {
        return Math.floorDiv(v, align) * align;
    }

    /** Human size with a binary suffix, exact when it can be: 4096 → "4 KiB", 1536 → "1536 B". */
    public static String human(long bytes) {
        String[] suffix = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        long v = bytes;
        while (i < suffix.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            i++;
        }
        return v + " " + suffix[i];
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
