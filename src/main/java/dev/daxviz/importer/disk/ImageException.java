package dev.daxviz.importer.disk;

/**
 * The image cannot be read as an XFS v5 filesystem: it is truncated, damaged, of another kind, or of a format
 * DaxViz does not read. The message always has the shape {@code <where>: <what is wrong> — <how to fix>}, e.g.
 * {@code AG 1 rmapbt block 8 (level 0): bad CRC — the image is damaged; run xfs_repair -n IMAGE to see more}.
 *
 * <p>It is a checked exception on purpose: an import runs off the event thread and must show the person the
 * message, so every caller is made to decide where that happens.
 */
public final class ImageException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The fix for a structure whose contents are wrong. */
    static final String DAMAGED = "the image is damaged; run xfs_repair -n on it to see more";
    /** The fix for a read past the end of the image. */
    static final String TRUNCATED = "the image is truncated; copy it again";

    private final String structure;
    private final int agno;
    private final long block;
    private final long ino;
    private final String where;
    private final String problem;
    private final String fix;

    ImageException(Where where, String problem, String fix) {
        this(where, problem, fix, null);
    }

    ImageException(Where where, String problem, String fix, Throwable cause) {
        super(where.label() + ": " + problem + " — " + fix, cause);
        this.structure = where.structure();
        this.agno = where.agno();
        this.block = where.block();
        this.ino = where.ino();
        this.where = where.label();
        this.problem = problem;
        this.fix = fix;
    }

    /**
     * The image disagrees with itself (its rmapbt, refcountbt or bnobt against what the inodes' extent maps give),
     * found by a reader above this package.
     *
     * @param label the {@code <where>} part, e.g. "AG 1 rmapbt"
     */
    public static ImageException inconsistent(String structure, int agno, long block, String label, String problem) {
        return new ImageException(new Where(structure, agno, block, -1, label), problem, DAMAGED);
    }

    /** A filesystem this reader reads but DaxViz cannot simulate (another block size, …). */
    public static ImageException unsupported(String structure, String problem, String fix) {
        return new ImageException(new Where(structure, -1, -1, -1, structure), problem, fix);
    }

    /** The image could not be read at all (closing it failed, a device error). */
    public static ImageException unreadable(java.nio.file.Path image, java.io.IOException e) {
        return new ImageException(Where.image(image.toString()), "cannot be read: " + e.getMessage(),
                "check that the file exists and can be read", e);
    }

    /** A structure whose contents fail a check: the image is damaged. */
    static ImageException damaged(Where where, String problem) {
        return new ImageException(where, problem, DAMAGED);
    }

    /**
     * The on-disk structure the problem was found in, as the kernel names it: {@code superblock}, {@code AGF},
     * {@code AGI}, {@code AGFL}, {@code bnobt}, {@code cntbt}, {@code inobt}, {@code finobt}, {@code rmapbt},
     * {@code refcountbt}, {@code inode}, {@code bmbt}, {@code directory}, {@code namespace} or {@code image}.
     */
    public String structure() {
        return structure;
    }

    /** The allocation group the structure lies in, or -1 when it lies in none (the image, an inode number). */
    public int agno() {
        return agno;
    }

    /**
     * Where the structure lies: the AG block (agbno) when {@link #agno()} is not -1, else the fs block (fsb) or
     * the 512-byte sector (daddr) as {@link #where()} says; -1 when no block applies.
     */
    public long block() {
        return block;
    }

    /** The inode the structure belongs to (an inode, its bmbt, its directory blocks), or -1. */
    public long ino() {
        return ino;
    }

    /** The {@code <where>} part of the message, e.g. {@code AG 2 AGF (daddr 1048577)}. */
    public String where() {
        return where;
    }

    /** The {@code <what is wrong>} part of the message. */
    public String problem() {
        return problem;
    }

    /** The {@code <how to fix>} part of the message. */
    public String fix() {
        return fix;
    }
}
