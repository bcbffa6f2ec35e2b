package dev.daxviz.importer.disk;

import java.util.Optional;

/**
 * An inode in use: the v3 {@code struct xfs_dinode} of xfs_format.h (kernel names without {@code di_}) with its
 * forks decoded.
 *
 * @param ino       inode number
 * @param mode      di_mode: type and permission bits
 * @param kind      the type the mode gives
 * @param nlink     di_nlink: names that link to the inode
 * @param uid       di_uid
 * @param gid       di_gid
 * @param size      di_size in bytes
 * @param nblocks   di_nblocks: data-device blocks used by both forks, bmbt blocks included
 * @param extsize   di_extsize hint
 * @param flags     di_flags (XFS_DIFLAG_*)
 * @param flags2    di_flags2 (XFS_DIFLAG2_*)
 * @param forkoff   di_forkoff: the attribute fork starts {@code forkoff * 8} bytes into the fork area
 * @param cowextsize di_cowextsize hint
 * @param dataFork  the data fork
 * @param attrFork  the attribute fork, present when forkoff is not 0
 */
public record Dinode(long ino, int mode, InodeKind kind, long nlink, long uid, long gid, long size, long nblocks,
                     long extsize, int flags, long flags2, int forkoff, long cowextsize, Fork dataFork,
                     Optional<Fork> attrFork) {

    public static final int DIFLAG_REALTIME = 1 << 0;
    public static final long DIFLAG2_DAX = 1L << 0;
    public static final long DIFLAG2_REFLINK = 1L << 1;
    public static final long DIFLAG2_COWEXTSIZE = 1L << 2;
    public static final long DIFLAG2_BIGTIME = 1L << 3;
    public static final long DIFLAG2_NREXT64 = 1L << 4;

    /** The file's blocks may be shared with other files (XFS_DIFLAG2_REFLINK). */
    public boolean reflink() {
        return (flags2 & DIFLAG2_REFLINK) != 0;
    }

    /** The file asks for DAX access (XFS_DIFLAG2_DAX, set by {@code xfs_io -c 'chattr +x'}). */
    public boolean dax() {
        return (flags2 & DIFLAG2_DAX) != 0;
    }

    /** The data fork maps realtime-device blocks (XFS_DIFLAG_REALTIME). */
    public boolean realtime() {
        return (flags & DIFLAG_REALTIME) != 0;
    }

    /** Byte offset of the attribute fork inside the inode: {@code 176 + forkoff * 8} (XFS_DFORK_APTR). */
    public int attrForkOffset() {
        return Superblock.DINODE_SIZE + forkoff * 8;
    }
}
