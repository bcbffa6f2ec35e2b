package dev.daxviz.importer.disk;

/** The file type an inode's {@code di_mode} gives (its S_IFMT bits). */
public enum InodeKind {
    REGULAR,
    DIRECTORY,
    SYMLINK,
    /** Character or block device, FIFO or socket. */
    OTHER;

    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;

    static InodeKind of(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> REGULAR;
            case S_IFDIR -> DIRECTORY;
            case S_IFLNK -> SYMLINK;
            default -> OTHER;
        };
    }
}
