package dev.daxviz.importer.disk;

/** How a fork stores its contents: {@code enum xfs_dinode_fmt} of xfs_format.h ({@code di_format}). */
public enum ForkFormat {
    /** A device number (character and block devices). */
    DEV,
    /** The bytes themselves, inside the inode (short directories, symlinks, attributes). */
    LOCAL,
    /** An array of {@code xfs_bmbt_rec} extents inside the inode. */
    EXTENTS,
    /** The root of a bmbt inside the inode; the extents are in the bmbt's leaves. */
    BTREE
}
