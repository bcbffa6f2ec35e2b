package dev.daxviz.importer.disk;

/**
 * One mapping of a fork: {@code struct xfs_bmbt_rec} of xfs_format.h, the 128-bit big-endian record (bit 127
 * unwritten, bits 126..73 startoff, 72..21 startblock, 20..0 blockcount), decoded as {@code xfs_bmbt_irec}.
 *
 * @param startoff   first file block (in fs blocks)
 * @param startblock first fs block ({@code agno << agblklog | agbno}: not linear; see
 *                   {@link Superblock#fsbAgno}), or a realtime block for a realtime file's data fork
 * @param blockcount number of blocks
 * @param unwritten  preallocated, reads as zeros (XFS_EXT_UNWRITTEN)
 */
public record BmbtExtent(long startoff, long startblock, long blockcount, boolean unwritten) {

    static final long STARTOFF_MASK = (1L << 54) - 1;
    static final long BLOCKCOUNT_MASK = (1L << 21) - 1;

    /** Decodes the record whose high 64 bits are {@code l0} and low 64 bits {@code l1}. */
    static BmbtExtent decode(long l0, long l1) {
        boolean unwritten = l0 < 0;
        long startoff = (l0 >>> 9) & STARTOFF_MASK;
        long startblock = ((l0 & 0x1ff) << 43) | (l1 >>> 21);
        long blockcount = l1 & BLOCKCOUNT_MASK;
        return new BmbtExtent(startoff, startblock, blockcount, unwritten);
    }

    /** The first file block after the extent. */
    public long endoff() {
        return startoff + blockcount;
    }
}
