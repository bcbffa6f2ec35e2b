package dev.daxviz.importer.disk;

import java.util.ArrayList;
import java.util.List;

/**
 * The reverse mappings printed exactly as {@code xfs_db -r -c fsmap IMAGE} prints them (xfsprogs db/fsmap.c):
 * one line per rmapbt record of every AG in AG order, numbered from 0 across all AGs, e.g.
 * {@code 0: 0/0 len 1 owner -3 offset 0 bmbt 0 attrfork 0 extflag 0}. The owner is signed, so special owners
 * show as negative numbers (-3 fs, -4 log, -5 ag, -6 inobt, -7 inodes, -8 refc, -9 cow).
 */
public final class Fsmap {

    private Fsmap() {
    }

    public static List<String> lines(XfsImage image) throws ImageException {
        List<String> out = new ArrayList<>();
        long n = 0;
        for (int agno = 0; agno < image.agcount(); agno++) {
            for (RmapRecord r : image.rmapRecords(agno)) {
                out.add(line(n++, agno, r));
            }
        }
        return out;
    }

    /** Record {@code r} of AG {@code agno} as xfs_db's line number {@code n}. */
    public static String line(long n, int agno, RmapRecord r) {
        return n + ": " + agno + "/" + r.startblock() + " len " + r.blockcount() + " owner " + r.owner()
                + " offset " + r.offset() + " bmbt " + bit(r.bmbtBlock()) + " attrfork " + bit(r.attrFork())
                + " extflag " + bit(r.unwritten());
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
