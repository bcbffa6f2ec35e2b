package dev.daxviz.importer.disk;

/**
 * A chunk of 64 inodes: a record of the inobt or finobt, {@code struct xfs_inobt_rec} of xfs_format.h, read in
 * its sparse form when the filesystem has sparse inodes (else holemask 0 and count 64).
 *
 * @param startino  AG inode number (agino) of the chunk's first inode
 * @param holemask  each bit covers 4 inodes; a set bit means those inodes are a hole, not allocated on disk
 * @param count     inodes that exist in the chunk (64 less the holes)
 * @param freecount free inodes among them
 * @param free      bit i set: inode {@code startino + i} is free (holes are also marked free)
 */
public record InobtRecord(long startino, int holemask, int count, int freecount, long free) {

    public static final int INODES_PER_CHUNK = 64;
    static final int INODES_PER_HOLEMASK_BIT = 4;

    /** Inode {@code startino + i} lies in the chunk's blocks (not in a hole of a sparse chunk). */
    public boolean exists(int i) {
        return (holemask & (1 << (i / INODES_PER_HOLEMASK_BIT))) == 0;
    }

    /** Inode {@code startino + i} exists and is in use. */
    public boolean allocated(int i) {
        return exists(i) && (free & (1L << i)) == 0;
    }
}
