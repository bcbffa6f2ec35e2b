package dev.daxviz.model;

import java.util.List;

/**
 * A regular file's inode: its number (AG encoded), path, size and forks.
 *
 * @param dataExtents sorted by file offset, non-overlapping; gaps are holes
 * @param attrExtents attr fork blocks (extended attributes too big for the inode)
 * @param bmbtBlocks  fs blocks of the data fork's bmap btree, once its extents no longer fit in the inode
 * @param rt          the file lives on the realtime device
 * @param daxFlag     per-file {@code FS_XFLAG_DAX} (matters with {@code dax=inode})
 * @param reflinked   {@code XFS_DIFLAG2_REFLINK}: it has or had shared extents
 * @param incore      the inode is in the inode cache ({@code XFS_IGET_INCORE} finds it)
 * @param dax         when in core: its mapping is a DAX mapping (decided when it was read in)
 * @param unlinked    removed from the namespace, kept alive by a mapping
 * @param kind        what the inode is: DaxViz's own worlds hold regular files only; an imported image also has
 *                    directories, symlinks and the filesystem's own inodes, which own blocks too
 * @param disk        how a real image laid the inode out, or null for an inode DaxViz laid out itself
 */
public record Inode(long ino, String path, long size, List<Extent> dataExtents, List<Extent> attrExtents,
                    List<Long> bmbtBlocks, boolean rt, boolean daxFlag, boolean reflinked, boolean incore,
                    boolean dax, boolean unlinked, Kind kind, OnDisk disk) {

    public Inode {
        dataExtents = List.copyOf(dataExtents);
        attrExtents = List.copyOf(attrExtents);
        bmbtBlocks = List.copyOf(bmbtBlocks);
        java.util.Objects.requireNonNull(kind);
    }

    /** A regular file laid out by DaxViz. */
    public Inode(long ino, String path, long size, List<Extent> dataExtents, List<Extent> attrExtents,
                 List<Long> bmbtBlocks, boolean rt, boolean daxFlag, boolean reflinked, boolean incore,
                 boolean dax, boolean unlinked) {
        this(ino, path, size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, unlinked,
                Kind.REGULAR, null);
    }

    /** The file type bits of {@code di_mode}, as far as the model cares. */
    public enum Kind {
        REGULAR, DIRECTORY, SYMLINK,
        /** The filesystem's own inodes (realtime bitmap and summary, quota files) and device nodes. */
        OTHER;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a real image says of an inode beyond its extents ({@code struct xfs_dinode}).
     *
     * @param forkoff        {@code di_forkoff}: where the attr fork starts in the literal area, in 8-byte units (0: none)
     * @param dataBtree      the data fork is in btree format ({@code XFS_DINODE_FMT_BTREE})
     * @param attrBmbtBlocks blocks of the attr fork's bmap btree (rmap: attr fork + bmbt block)
     * @param nlink          hard links
     * @param links          every path that names the inode, sorted, the inode's own path first among them; empty
     *                       when only its own path does
     */
    public record OnDisk(int forkoff, boolean dataBtree, List<Long> attrBmbtBlocks, int nlink, List<String> links) {
        public OnDisk {
            attrBmbtBlocks = List.copyOf(attrBmbtBlocks);
            links = List.copyOf(links);
        }

        public OnDisk(int forkoff, boolean dataBtree, List<Long> attrBmbtBlocks, int nlink) {
            this(forkoff, dataBtree, attrBmbtBlocks, nlink, List.of());
        }

        OnDisk withLinks(List<String> l) {
            return new OnDisk(forkoff, dataBtree, attrBmbtBlocks, nlink, l);
        }

        /** Extent records the data fork holds in the inode: the literal area before the attr fork, 16 bytes each. */
        public int inlineExtentCapacity(int inodeSize) {
            int literal = inodeSize - 176;
            return (forkoff == 0 ? literal : forkoff * 8) / 16;
        }
    }

    public boolean isRegular() {
        return kind == Kind.REGULAR;
    }

    /** Every path that names this inode: its own, and its other hard links on an imported image. */
    public List<String> names() {
        return disk == null || disk.links().isEmpty() ? List.of(path) : disk.links();
    }

    /** This inode without the name {@code name} (one of several hard links); its path becomes the first left. */
    Inode withoutName(String name) {
        List<String> left = new java.util.ArrayList<>(names());
        left.remove(name);
        return new Inode(ino, left.get(0), size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, incore,
                dax, unlinked, kind, disk.withLinks(left.size() > 1 ? left : List.of()));
    }

    /** Extent records a 512-byte v5 inode holds in its data fork: 336-byte literal area / 16 bytes, 300 bytes with an attr fork. */
    public int inlineExtentCapacity() {
        return disk != null ? disk.inlineExtentCapacity(512) : attrExtents.isEmpty() ? 21 : 18;
    }

    /** Records per bmbt leaf block: (4096 − 72-byte long-form CRC header) / 16. */
    public static final int BMBT_LEAF_RECS = (4096 - 72) / 16;

    /** bmbt blocks a data fork of this many extents needs. */
    public static int bmbtBlocksNeeded(int extents, boolean hasAttrFork) {
        int inline = hasAttrFork ? 18 : 21;
        return extents <= inline ? 0 : (extents + BMBT_LEAF_RECS - 1) / BMBT_LEAF_RECS;
    }

    /** The data extent covering a file block, or null for a hole. */
    public Extent extentAt(long fileBlock) {
        int lo = 0;
        int hi = dataExtents.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Extent e = dataExtents.get(mid);
            if (fileBlock < e.startoff()) {
                hi = mid - 1;
            } else if (fileBlock >= e.endoff()) {
                lo = mid + 1;
            } else {
                return e;
            }
        }
        return null;
    }

    public long blocks() {
        return dataExtents.stream().mapToLong(Extent::blockcount).sum();
    }

    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    Inode with(List<Extent> data, long newSize) {
        return new Inode(ino, path, newSize, data, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, unlinked, kind, disk);
    }

    Inode withBmbt(List<Long> bmbt) {
        return new Inode(ino, path, size, dataExtents, attrExtents, bmbt, rt, daxFlag, reflinked, incore, dax, unlinked, kind, disk);
    }

    Inode withAttr(List<Extent> attr) {
        return new Inode(ino, path, size, dataExtents, attr, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, unlinked, kind, disk);
    }

    Inode withReflinked() {
        return new Inode(ino, path, size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, true, incore, dax, unlinked, kind, disk);
    }

    Inode withIncore(boolean in, boolean isDax) {
        return new Inode(ino, path, size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, in, isDax, unlinked, kind, disk);
    }

    Inode withUnlinked() {
        return new Inode(ino, path + " (deleted)", size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, true, kind, disk);
    }
}
