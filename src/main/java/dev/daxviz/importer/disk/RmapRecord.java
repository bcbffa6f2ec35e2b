package dev.daxviz.importer.disk;

/**
 * A reverse mapping of one AG: a record of the rmapbt, {@code struct xfs_rmap_rec} of xfs_format.h, with
 * {@code rm_offset}'s flag bits split out (xfs_rmap_irec).
 *
 * @param startblock first AG block of the extent
 * @param blockcount number of blocks
 * @param owner      the owning inode number, or a special owner (negative: {@link #OWN_FS} and the others)
 * @param offset     the file block the extent starts at (the low 54 bits of rm_offset); 0 for special owners
 *                   and bmbt blocks
 * @param attrFork   the extent belongs to the attribute fork (rm_offset bit 63)
 * @param bmbtBlock  the extent is a block of the owner's bmbt (bit 62)
 * @param unwritten  the extent is preallocated but unwritten (bit 61)
 */
public record RmapRecord(long startblock, long blockcount, long owner, long offset, boolean attrFork,
                         boolean bmbtBlock, boolean unwritten) {

    /** No owner (growfs). */
    public static final long OWN_NULL = -1;
    /** Owner unknown (log recovery). */
    public static final long OWN_UNKNOWN = -2;
    /** Static fs metadata: superblock and AG headers. */
    public static final long OWN_FS = -3;
    /** The internal log. */
    public static final long OWN_LOG = -4;
    /** AG free-space btrees, the rmapbt and the AGFL. */
    public static final long OWN_AG = -5;
    /** Inode btrees. */
    public static final long OWN_INOBT = -6;
    /** Inode chunks. */
    public static final long OWN_INODES = -7;
    /** The refcount btree. */
    public static final long OWN_REFC = -8;
    /** Copy-on-write staging extents. */
    public static final long OWN_COW = -9;

    static final long OFF_ATTR_FORK = 1L << 63;
    static final long OFF_BMBT_BLOCK = 1L << 62;
    static final long OFF_UNWRITTEN = 1L << 61;
    static final long OFF_MASK = (1L << 54) - 1;

    /** The owner is an inode, not one of the special owners (XFS_RMAP_NON_INODE_OWNER is false). */
    public boolean ownerIsInode() {
        return owner >= 0;
    }
}
