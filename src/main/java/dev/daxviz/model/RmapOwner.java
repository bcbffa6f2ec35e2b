package dev.daxviz.model;

/**
 * Owners in the reverse map: an inode number, or one of XFS's special owners ({@code XFS_RMAP_OWN_*},
 * small negative numbers that sort after every inode because XFS compares owners unsigned).
 */
public final class RmapOwner {
    public static final long NULL = -1;
    public static final long UNKNOWN = -2;
    /** Static fs metadata: superblock, AGF, AGI, AGFL sectors. */
    public static final long FS = -3;
    public static final long LOG = -4;
    /** Per-AG metadata: free-space btrees, rmap btree, AGFL reserve. */
    public static final long AG = -5;
    public static final long INOBT = -6;
    public static final long INODES = -7;
    public static final long REFC = -8;
    /** CoW staging extents. */
    public static final long COW = -9;

    private RmapOwner() {
    }

    public static boolean isInode(long owner) {
        return owner >= 0;
    }

    /** The name fsmap and the result JSON use: "inode" for an inode, else "fs", "log", "ag", … */
    public static String typeName(long owner) {
        if (owner >= 0) {
            return "inode";
        }
        return switch ((int) owner) {
            case -1 -> "null";
            case -2 -> "unknown";
            case -3 -> "fs";
            case -4 -> "log";
            case -5 -> "ag";
            case -6 -> "inobt";
            case -7 -> "inodes";
            case -8 -> "refc";
            case -9 -> "cow";
            default -> throw new IllegalArgumentException("not an rmap owner: " + owner);
        };
    }

    public static long byTypeName(String name) {
        return switch (name) {
            case "null" -> NULL;
            case "unknown" -> UNKNOWN;
            case "fs" -> FS;
            case "log" -> LOG;
            case "ag" -> AG;
            case "inobt" -> INOBT;
            case "inodes" -> INODES;
            case "refc" -> REFC;
            case "cow" -> COW;
            default -> throw new IllegalArgumentException("unknown rmap owner '" + name + "'");
        };
    }

    /** What a student should read for a special owner. */
    public static String describe(long owner) {
        if (owner >= 0) {
            return "inode " + owner;
        }
        return switch ((int) owner) {
            case -3 -> "static filesystem metadata (superblock, AGF, AGI, AGFL)";
            case -4 -> "the journal (log)";
            case -5 -> "per-AG metadata (free-space btrees, rmap btree, AGFL)";
            case -6 -> "the inode btrees";
            case -7 -> "an inode chunk";
            case -8 -> "the refcount btree";
            case -9 -> "CoW staging blocks";
            default -> typeName(owner);
        };
    }

    /** XFS key order: owners compared as unsigned 64-bit numbers. */
    public static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }
}
