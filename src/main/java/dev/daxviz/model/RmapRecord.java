package dev.daxviz.model;

/**
 * One reverse-mapping record ({@code struct xfs_rmap_irec}): blocks {@code [startblock,
 * startblock+blockcount)} of one AG belong to {@code owner}, at file block {@code offset} of its data
 * fork, or its attr fork, or they are a bmbt block of it.
 */
public record RmapRecord(int startblock, int blockcount, long owner, long offset, boolean attrFork,
                         boolean bmbtBlock, boolean unwritten) implements Comparable<RmapRecord> {

    public RmapRecord {
        if (startblock < 0 || blockcount <= 0) {
            throw new IllegalArgumentException("bad rmap record " + startblock + "+" + blockcount);
        }
    }

    public static RmapRecord special(int startblock, int blockcount, long owner) {
        return new RmapRecord(startblock, blockcount, owner, 0, false, false, false);
    }

    public static RmapRecord data(int startblock, int blockcount, long ino, long offset, boolean unwritten) {
        return new RmapRecord(startblock, blockcount, ino, offset, false, false, unwritten);
    }

    /** Last block (inclusive). */
    public int lastBlock() {
        return startblock + blockcount - 1;
    }

    public boolean overlaps(long low, long high) {
        return startblock <= high && lastBlock() >= low;
    }

    public boolean isInodeOwner() {
        return RmapOwner.isInode(owner);
    }

    /** Key order of the rmap btree: (startblock, owner, offset and its fork flags). */
    @Override
    public int compareTo(RmapRecord o) {
        int c = Integer.compare(startblock, o.startblock);
        if (c != 0) {
            return c;
        }
        c = RmapOwner.compare(owner, o.owner);
        if (c != 0) {
            return c;
        }
        c = Long.compare(offset, o.offset);
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(attrFork, o.attrFork);
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(bmbtBlock, o.bmbtBlock);
        return c != 0 ? c : Boolean.compare(unwritten, o.unwritten);
    }

    /** As {@code xfs_db fsmap} prints the owner part. */
    public String ownerLabel() {
        return RmapOwner.isInode(owner) ? Long.toString(owner) : RmapOwner.typeName(owner);
    }

    @Override
    public String toString() {
        return "[" + startblock + "+" + blockcount + " owner " + ownerLabel() + " off " + offset
                + (attrFork ? " attr" : "") + (bmbtBlock ? " bmbt" : "") + (unwritten ? " unwritten" : "") + "]";
    }
}
