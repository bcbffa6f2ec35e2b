package dev.daxviz.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Structural checks of an {@link RmapBtree}, for tests. */
final class RmapTreeCheck {
    private RmapTreeCheck() {
    }

    /** Records overlapping [lo, hi], in key order, by scanning them all. */
    static List<RmapRecord> bruteForce(List<RmapRecord> recs, long lo, long hi) {
        List<RmapRecord> out = new ArrayList<>();
        for (RmapRecord r : recs) {
            if (r.overlaps(lo, hi)) {
                out.add(r);
            }
        }
        out.sort(null);
        return out;
    }

    static void assertOrdered(List<RmapRecord> recs) {
        for (int i = 1; i < recs.size(); i++) {
            assertThat(recs.get(i - 1).compareTo(recs.get(i))).as("%s < %s", recs.get(i - 1), recs.get(i)).isNegative();
        }
    }

    /**
     * Every leaf at the same depth, no block over its fan-out, no empty block, records in key order, and every
     * node's low key, high block and record count matching its subtree.
     */
    static void assertWellFormed(RmapBtree t) {
        if (t.root() == null) {
            assertThat(t.size()).isZero();
            return;
        }
        assertThat(t.root().recordCount()).isEqualTo(t.size());
        assertThat(t.root().level()).isEqualTo(t.height() - 1);
        check(t, t.root(), t.height() - 1);
        assertThat(t.records()).hasSize(t.size());
        assertOrdered(t.records());
    }

    private static void check(RmapBtree t, RmapBtree.Node n, int level) {
        assertThat(n.level()).isEqualTo(level);
        assertThat(n.entries()).isPositive();
        if (n.isLeaf()) {
            assertThat(n.entries()).isLessThanOrEqualTo(t.leafMax());
            assertThat(n.lowKey()).isEqualTo(n.records().get(0));
            assertThat(n.highBlock()).isEqualTo(n.records().stream().mapToInt(RmapRecord::lastBlock).max().orElseThrow());
            assertThat(n.recordCount()).isEqualTo(n.records().size());
            return;
        }
        assertThat(n.entries()).isLessThanOrEqualTo(t.nodeMax());
        assertThat(n.lowKey()).isEqualTo(n.children().get(0).lowKey());
        int high = -1;
        int count = 0;
        RmapRecord prev = null;
        for (RmapBtree.Node c : n.children()) {
            check(t, c, level - 1);
            high = Math.max(high, c.highBlock());
            count += c.recordCount();
            if (prev != null) {
                assertThat(prev.compareTo(c.lowKey())).isNegative();
            }
            prev = c.lowKey();
        }
        assertThat(n.highBlock()).isEqualTo(high);
        assertThat(n.recordCount()).isEqualTo(count);
    }
}
