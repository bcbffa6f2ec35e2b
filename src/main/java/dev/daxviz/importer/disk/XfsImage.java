package dev.daxviz.importer.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A read-only XFS v5 filesystem image (a file or a block device): the entry point of this package.
 *
 * <pre>{@code
 * try (XfsImage img = XfsImage.open(path, cancelButton::isPressed)) {
 *     for (int agno = 0; agno < img.agcount(); agno++) {
 *         for (RmapRecord r : img.rmapRecords(agno)) { ... }
 *     }
 *     Namespace ns = img.namespace();
 *     Dinode f = img.inode(ino);
 * }
 * }</pre>
 *
 * <p>{@link #open} checks the superblock and every AG's headers; the btrees, inodes and directories are read
 * when asked for, each call reading the image again (nothing is cached but the headers and the namespace).
 * Every method that reads throws {@link ImageException} for an image it cannot read, and
 * {@link java.util.concurrent.CancellationException} once the cancellation check answers true or the thread
 * is interrupted: every read polls both. One image is meant for one thread at a time.
 */
public final class XfsImage implements AutoCloseable {

    private final ImageReader reader;
    private final Superblock sb;
    private final List<AgHeaders> ags;
    private final InodeReader inodes;
    private final DirectoryReader directories;
    private Namespace namespace;

    private XfsImage(ImageReader reader, Superblock sb, List<AgHeaders> ags) {
        this.reader = reader;
        this.sb = sb;
        this.ags = ags;
        this.inodes = new InodeReader(reader, sb);
        this.directories = new DirectoryReader(reader, sb);
    }

    /** Opens an image that cannot be cancelled (but still stops when the thread is interrupted). */
    public static XfsImage open(Path image) throws ImageException {
        return open(image, () -> false);
    }

    /**
     * Opens {@code image} read-only and checks its superblock and AG headers.
     *
     * @param cancelled polled before every read of the image, here and in every later call
     */
    public static XfsImage open(Path image, BooleanSupplier cancelled) throws ImageException {
        ImageReader reader = ImageReader.open(image, cancelled);
        try {
            Superblock sb = Superblock.read(reader);
            List<AgHeaders> ags = new ArrayList<>((int) sb.agcount());
            for (int agno = 0; agno < sb.agcount(); agno++) {
                ags.add(AgHeaders.read(reader, sb, agno));
            }
            return new XfsImage(reader, sb, List.copyOf(ags));
        } catch (ImageException | RuntimeException e) {
            try {
                reader.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public Path path() {
        return reader.path();
    }

    /** Length of the image in bytes (at least {@code dblocks * blocksize}). */
    public long length() {
        return reader.length();
    }

    public Superblock superblock() {
        return sb;
    }

    /** Number of allocation groups. */
    public int agcount() {
        return ags.size();
    }

    /** The AGF, AGI and AGFL of AG {@code agno}, as checked at open. */
    public AgHeaders agHeaders(int agno) {
        return ags.get(checkAgno(agno));
    }

    /** Reverse mappings of AG {@code agno} in rmapbt key order (startblock, owner, offset). */
    public List<RmapRecord> rmapRecords(int agno) throws ImageException {
        Agf agf = agHeaders(agno).agf();
        if (!sb.hasRmapbt()) {
            throw new ImageException(Where.tree("rmapbt", agno),
                    "the filesystem has no reverse-mapping btree", "recreate it with mkfs.xfs -m rmapbt=1");
        }
        return AgBtreeWalker.walk(reader, sb, agno, AgBtreeType.RMAPBT, agf.rmapRoot(), agf.rmapLevel(),
                AgBtreeWalker::rmapRec);
    }

    /**
     * Shared and CoW-staging extents of AG {@code agno} in key order (shared first, then the CoW domain); empty
     * on a filesystem without reflink, where no block can be shared.
     */
    public List<RefcountRecord> refcountRecords(int agno) throws ImageException {
        Agf agf = agHeaders(agno).agf();
        if (!sb.hasReflink()) {
            return List.of();
        }
        return AgBtreeWalker.walk(reader, sb, agno, AgBtreeType.REFCOUNTBT, agf.refcountRoot(),
                agf.refcountLevel(), AgBtreeWalker::refcountRec);
    }

    /** Free extents of AG {@code agno} by block number (the bnobt). */
    public List<FreeExtent> freeExtents(int agno) throws ImageException {
        Agf agf = agHeaders(agno).agf();
        return AgBtreeWalker.walk(reader, sb, agno, AgBtreeType.BNOBT, agf.bnoRoot(), agf.bnoLevel(),
                AgBtreeWalker::allocRec);
    }

    /** Free extents of AG {@code agno} by size, then block number (the cntbt). */
    public List<FreeExtent> freeExtentsBySize(int agno) throws ImageException {
        Agf agf = agHeaders(agno).agf();
        return AgBtreeWalker.walk(reader, sb, agno, AgBtreeType.CNTBT, agf.cntRoot(), agf.cntLevel(),
                AgBtreeWalker::allocRec);
    }

    /** Inode chunks of AG {@code agno} by startino (the inobt). */
    public List<InobtRecord> inodeChunks(int agno) throws ImageException {
        Agi agi = agHeaders(agno).agi();
        return AgBtreeWalker.walk(reader, sb, agno, AgBtreeType.INOBT, agi.root(), agi.level(),
                AgBtreeWalker.inobtRec(sb));
    }

    /** Inode chunks of AG {@code agno} with a free inode (the finobt); empty without the finobt feature. */
    public List<InobtRecord> freeInodeChunks(int agno) throws ImageException {
        Agi agi = agHeaders(agno).agi();
        if (!sb.hasFinobt()) {
            return List.of();
        }
        return AgBtreeWalker.walk(reader, sb, agno, AgBtreeType.FINOBT, agi.freeRoot(), agi.freeLevel(),
                AgBtreeWalker.inobtRec(sb));
    }

    /** Numbers of the inodes in use in AG {@code agno}, ascending: the inobt's chunks less free inodes and holes. */
    public List<Long> allocatedInodes(int agno) throws ImageException {
        List<Long> out = new ArrayList<>();
        for (InobtRecord r : inodeChunks(agno)) {
            for (int i = 0; i < InobtRecord.INODES_PER_CHUNK; i++) {
                if (r.allocated(i)) {
                    out.add(sb.ino(agno, r.startino() + i));
                }
            }
        }
        return out;
    }

    /** Inode {@code ino}, which must be in use, with both forks decoded (a bmbt fork walked). */
    public Dinode inode(long ino) throws ImageException {
        return inodes.read(ino);
    }

    /** The names in directory {@code dir}, in on-disk order, without "." and "..". */
    public List<DirEntry> directoryEntries(Dinode dir) throws ImageException {
        return directories.entries(dir);
    }

    /** Every path from the root directory; walked on the first call, then kept. */
    public Namespace namespace() throws ImageException {
        if (namespace == null) {
            namespace = Namespace.walk(this);
        }
        return namespace;
    }

    private int checkAgno(int agno) {
        if (agno < 0 || agno >= ags.size()) {
            throw new IllegalArgumentException("AG " + agno + " out of range 0.." + (ags.size() - 1));
        }
        return agno;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
