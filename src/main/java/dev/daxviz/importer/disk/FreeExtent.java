package dev.daxviz.importer.disk;

/**
 * A free extent of one AG: a record of the bnobt or cntbt, {@code struct xfs_alloc_rec} of xfs_format.h.
 *
 * @param startblock first free AG block
 * @param blockcount number of free blocks
 */
public record FreeExtent(long startblock, long blockcount) {
}
