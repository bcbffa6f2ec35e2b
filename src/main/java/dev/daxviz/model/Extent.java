package dev.daxviz.model;

/**
 * A mapping of a file fork ({@code struct xfs_bmbt_irec}): file blocks {@code [startoff,
 * startoff+blockcount)} live at device blocks {@code [startblock, …)}. {@code startblock} is a linear
 * fs block number on the data device (agno × agblocks + agbno), or a realtime-device block for a
 * realtime file.
 */
public record Extent(long startoff, long startblock, long blockcount, boolean unwritten) {

    public Extent {
        if (startoff < 0 || startblock < 0 || blockcount <= 0) {
            throw new IllegalArgumentException("bad extent " + startoff + "@" + startblock + "+" + blockcount);
        }
    }

    public long endoff() {
        return startoff + blockcount;
    }

    public boolean containsOffset(long fileBlock) {
        return fileBlock >= startoff && fileBlock < endoff();
    }

    public long blockAt(long fileBlock) {
        return startblock + (fileBlock - startoff);
    }

    /** The part of this extent covering file blocks {@code [from, to)}, or null. */
    public Extent slice(long from, long to) {
        long s = Math.max(from, startoff);
        long e = Math.min(to, endoff());
        return s >= e ? null : new Extent(s, blockAt(s), e - s, unwritten);
    }
}
