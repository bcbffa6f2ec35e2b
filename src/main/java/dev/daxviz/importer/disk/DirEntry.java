package dev.daxviz.importer.disk;

/**
 * One name in a directory: an {@code xfs_dir2_sf_entry} of a shortform directory or an
 * {@code xfs_dir2_data_entry} of a directory data block (xfs_da_format.h). "." and ".." are never reported.
 *
 * @param name  the name, decoded as UTF-8 (bytes that are not UTF-8 become U+FFFD)
 * @param ino   the inode the name links to
 * @param ftype the file type stored with the name (XFS_DIR3_FT_*: 1 regular, 2 directory, 7 symlink, …), or 0
 *              when the filesystem does not store it
 */
public record DirEntry(String name, long ino, int ftype) {
}
