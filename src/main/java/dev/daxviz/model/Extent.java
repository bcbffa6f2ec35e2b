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

    /**
     * The mappings sorted by file offset, neighbours that continue each other merged (file and device contiguous,
     * same unwritten flag), but never across an AG boundary, since an XFS extent and its rmap record live in one
     * AG ({@code agblocks}: Long.MAX_VALUE for the realtime device, which has none).
     *
     * @throws IllegalArgumentException when two mappings cover the same file block
     */
    public static java.util.List<Extent> merged(java.util.List<Extent> in, long agblocks) {
        java.util.List<Extent> sorted = new java.util.ArrayList<>(in);
        sorted.sort((a, b) -> Long.compare(a.startoff(), b.startoff()));
        java.util.List<Extent> out = new java.util.ArrayList<>();
        for (Extent e : sorted) {
            if (!out.isEmpty()) {
                Extent p = out.get(out.size() - 1);
                if (e.startoff() < p.endoff()) {
                    throw new IllegalArgumentException("extents overlap at file block " + e.startoff());
                }
                if (p.endoff() == e.startoff() && p.startblock() + p.blockcount() == e.startblock()
                        && p.unwritten() == e.unwritten() && p.startblock() / agblocks == e.startblock() / agblocks) {
                    out.set(out.size() - 1, new Extent(p.startoff(), p.startblock(), p.blockcount() + e.blockcount(),
                            p.unwritten()));
                    continue;
                }
            }
            out.add(e);
        }
        return out;
    }
}
