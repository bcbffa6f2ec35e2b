package dev.daxviz.importer.disk;

/**
 * A shared or CoW-staging extent of one AG: a record of the refcountbt, {@code struct xfs_refcount_rec} of
 * xfs_format.h. Blocks with a single owner have no record.
 *
 * @param startblock first AG block (bit 31 of the on-disk value removed; see {@code cow})
 * @param blockcount number of blocks
 * @param refcount   how many file mappings share the blocks (1 for CoW staging extents)
 * @param cow        the record is in the CoW domain: a staging extent for a copy-on-write in flight (the on-disk
 *                   startblock has bit 31, XFS_REFC_COWFLAG, set)
 */
public record RefcountRecord(long startblock, long blockcount, long refcount, boolean cow) {

    static final long COW_START = 1L << 31;
}
