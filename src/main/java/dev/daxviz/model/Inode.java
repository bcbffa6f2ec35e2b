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
 */
public record Inode(long ino, String path, long size, List<Extent> dataExtents, List<Extent> attrExtents,
                    List<Long> bmbtBlocks, boolean rt, boolean daxFlag, boolean reflinked, boolean incore,
                    boolean dax, boolean unlinked) {

    public Inode {
        dataExtents = List.copyOf(dataExtents);
        attrExtents = List.copyOf(attrExtents);
        bmbtBlocks = List.copyOf(bmbtBlocks);
    }

    /** Extent records a 512-byte v5 inode holds in its data fork: 336-byte literal area / 16 bytes, 300 bytes with an attr fork. */
    public int inlineExtentCapacity() {
        return attrExtents.isEmpty() ? 21 : 18;
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
        return new Inode(ino, path, newSize, data, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, unlinked);
    }

    Inode withBmbt(List<Long> bmbt) {
        return new Inode(ino, path, size, dataExtents, attrExtents, bmbt, rt, daxFlag, reflinked, incore, dax, unlinked);
    }

    Inode withAttr(List<Extent> attr) {
        return new Inode(ino, path, size, dataExtents, attr, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, unlinked);
    }

    Inode withReflinked() {
        return new Inode(ino, path, size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, true, incore, dax, unlinked);
    }

    Inode withIncore(boolean in, boolean isDax) {
        return new Inode(ino, path, size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, in, isDax, unlinked);
    }

    Inode withUnlinked() {
        return new Inode(ino, path + " (deleted)", size, dataExtents, attrExtents, bmbtBlocks, rt, daxFlag, reflinked, incore, dax, true);
    }
}
