package dev.daxviz.model;

import static dev.daxviz.model.TestWorlds.data;
import static dev.daxviz.model.TestWorlds.special;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The persistent rmap btree and {@code xfs_rmap_query_range} (kernel-semantics.md §6). */
class RmapBtreeTest {

    @Test
    void xfsFanOut() {
        assertThat(RmapBtree.leafMaxRecs(4096)).isEqualTo(168);
        assertThat(RmapBtree.nodeMaxRecs(4096)).isEqualTo(91);
        assertThat(RmapBtree.empty().leafMax()).isEqualTo(168);
        assertThat(RmapBtree.empty().nodeMax()).isEqualTo(91);
        assertThat(RmapBtree.empty().height()).isZero();
        assertThatThrownBy(() -> RmapBtree.empty(1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Ten records at 0, 10, 20, …: each 5 blocks of inode 1000+i. */
    private static List<RmapRecord> spaced(int n) {
        List<RmapRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(data(i * 10, 5, 1000 + i, 0));
        }
        return out;
    }

    @Test
    void queryInsideOneRecord() {
        RmapBtree t = RmapBtree.empty(4, 3).withAll(spaced(40));
        assertThat(t.height()).isGreaterThanOrEqualTo(3);
        assertThat(t.queryRange(101, 101).records()).containsExactly(data(100, 5, 1010, 0));
        assertThat(t.queryRange(100, 104).records()).containsExactly(data(100, 5, 1010, 0));
        assertThat(t.queryRange(104, 104).records()).containsExactly(data(100, 5, 1010, 0));
    }

    @Test
    void queryAcrossRecordsAndLeaves() {
        RmapBtree t = RmapBtree.empty(4, 3).withAll(spaced(40));
        // 4 records per leaf: records 3..9 span leaves 0, 1 and 2
        RmapQuery q = t.queryRange(34, 92);
        assertThat(q.records()).containsExactly(data(30, 5, 1003, 0), data(40, 5, 1004, 0), data(50, 5, 1005, 0),
                data(60, 5, 1006, 0), data(70, 5, 1007, 0), data(80, 5, 1008, 0), data(90, 5, 1009, 0));
        long leaves = q.visits().stream().filter(v -> v.node().isLeaf()).count();
        assertThat(leaves).isEqualTo(3);
        // the whole AG
        assertThat(t.queryRange(0, Integer.MAX_VALUE).records()).isEqualTo(spaced(40));
    }

    @Test
    void queryOfFreeSpaceFindsNothing() {
        RmapBtree t = RmapBtree.empty(4, 3).withAll(spaced(40));
        assertThat(t.queryRange(5, 9).records()).isEmpty();
        assertThat(t.queryRange(395, 1000).records()).isEmpty();
        assertThat(t.queryRange(105, 105).records()).isEmpty();
        assertThat(RmapBtree.empty().queryRange(0, 100).records()).isEmpty();
        assertThat(RmapBtree.empty().queryRange(0, 100).visits()).isEmpty();
    }

    @Test
    void sharedBlockOwnersComeBackInInodeOrderSpecialOwnersLast() {
        // three owners of agbno 24–27 (the reference's a, b, c), plus a long record starting before them
        List<RmapRecord> recs = new ArrayList<>(List.of(
                data(24, 4, 133, 0), data(24, 4, 131, 0), data(24, 4, 132, 0),
                special(0, 4, RmapOwner.FS), special(16, 8, RmapOwner.INODES), data(20, 10, 300, 7)));
        Collections.shuffle(recs, new Random(3));
        RmapBtree t = RmapBtree.empty(2, 2).withAll(recs);
        assertThat(t.queryRange(25, 25).records()).containsExactly(data(20, 10, 300, 7), data(24, 4, 131, 0),
                data(24, 4, 132, 0), data(24, 4, 133, 0));
        // same startblock: an inode owner sorts before a special owner (unsigned compare of negative owners)
        RmapRecord ino = data(40, 1, 5, 0);
        RmapRecord log = special(40, 1, RmapOwner.LOG);
        RmapRecord big = data(40, 1, Long.MAX_VALUE, 0);
        RmapTreeCheck.assertOrdered(List.of(ino, big, log));
        RmapBtree t2 = RmapBtree.empty(2, 2).withAll(List.of(log, big, ino));
        assertThat(t2.queryRange(40, 40).records()).containsExactly(ino, big, log);
        assertThat(RmapOwner.compare(RmapOwner.FS, RmapOwner.LOG)).isGreaterThan(0);
    }

    @Test
    void recordsOfOneOwnerSortByOffsetAndFork() {
        RmapRecord d0 = data(8, 1, 131, 0);
        RmapRecord d3 = data(8, 1, 131, 3);
        RmapRecord attr = new RmapRecord(8, 1, 131, 0, true, false, false);
        RmapRecord bmbt = new RmapRecord(8, 1, 131, 0, false, true, false);
        RmapBtree t = RmapBtree.empty(2, 2).withAll(List.of(d3, bmbt, attr, d0));
        assertThat(t.records()).containsExactly(d0, bmbt, attr, d3);
    }

    @Test
    void visitsStartAtTheRootAndFollowOnlyOverlappingChildren() {
        RmapBtree t = RmapBtree.empty(4, 3).withAll(spaced(40));
        RmapQuery q = t.queryRange(200, 200);
        assertThat(q.visits()).isNotEmpty();
        RmapQuery.Visit first = q.visits().get(0);
        assertThat(first.path()).isEmpty();
        assertThat(first.pathName()).isEqualTo("root");
        assertThat(first.node()).isSameAs(t.root());
        // one path from root to the leaf holding agbno 200: one visit per level
        assertThat(q.visits()).hasSize(t.height());
        for (int k = 0; k < q.visits().size(); k++) {
            RmapQuery.Visit v = q.visits().get(k);
            assertThat(v.path()).hasSize(k);
            assertThat(t.nodeAt(v.path())).isSameAs(v.node());
            if (v.node().isLeaf()) {
                assertThat(v.entries()).hasSize(1);
                assertThat(v.node().records().get(v.entries().get(0))).isEqualTo(data(200, 5, 1020, 0));
            } else {
                assertThat(v.entries()).hasSize(1);
                assertThat(v.pathName()).startsWith("root");
            }
        }
        // a parent is always visited before its children (pre-order)
        RmapQuery wide = t.queryRange(0, 399);
        assertThat(wide.visits().get(0).path()).isEmpty();
        for (int k = 1; k < wide.visits().size(); k++) {
            int[] p = wide.visits().get(k).path();
            int[] parent = java.util.Arrays.copyOf(p, p.length - 1);
            boolean seen = false;
            for (int j = 0; j < k; j++) {
                seen |= java.util.Arrays.equals(wide.visits().get(j).path(), parent);
            }
            assertThat(seen).as("parent of visit %d seen before it", k).isTrue();
        }
    }

    @Test
    void longRecordsAreFoundThroughTheHighKey() {
        // a record starting far before the query range but reaching into it (like the log)
        List<RmapRecord> recs = new ArrayList<>(spaced(30));
        recs.add(special(1, 249, RmapOwner.LOG)); // blocks 1–249
        RmapBtree t = RmapBtree.empty(4, 3).withAll(recs);
        assertThat(t.queryRange(249, 249).records()).containsExactly(special(1, 249, RmapOwner.LOG));
        assertThat(t.queryRange(250, 250).records()).containsExactly(data(250, 5, 1025, 0));
        assertThat(t.queryRange(245, 252).records()).containsExactly(special(1, 249, RmapOwner.LOG),
                data(250, 5, 1025, 0));
    }

    @Test
    void insertAndDeleteCopyThePathAndLeaveTheOldTreeUnchanged() {
        RmapBtree t0 = RmapBtree.empty(4, 3);
        List<RmapBtree> versions = new ArrayList<>();
        List<List<RmapRecord>> contents = new ArrayList<>();
        List<RmapRecord> recs = spaced(50);
        Collections.shuffle(recs, new Random(7));
        RmapBtree t = t0;
        for (RmapRecord r : recs) {
            versions.add(t);
            contents.add(List.copyOf(t.records()));
            t = t.insert(r);
            RmapTreeCheck.assertWellFormed(t);
            assertThat(t.contains(r)).isTrue();
        }
        assertThat(t.records()).isEqualTo(spaced(50));
        assertThat(t.size()).isEqualTo(50);
        Collections.shuffle(recs, new Random(8));
        for (RmapRecord r : recs) {
            versions.add(t);
            contents.add(List.copyOf(t.records()));
            RmapBtree next = t.delete(r);
            RmapTreeCheck.assertWellFormed(next);
            assertThat(next.contains(r)).isFalse();
            assertThat(t.contains(r)).isTrue();
            assertThat(next.size()).isEqualTo(t.size() - 1);
            t = next;
        }
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.root()).isNull();
        for (int k = 0; k < versions.size(); k++) {
            assertThat(versions.get(k).records()).as("version %d", k).isEqualTo(contents.get(k));
            RmapTreeCheck.assertWellFormed(versions.get(k));
        }
    }

    @Test
    void updateSharesUntouchedSubtrees() {
        RmapBtree t = RmapBtree.empty(4, 3).withAll(spaced(60));
        RmapBtree u = t.insert(data(595, 1, 9, 0));
        // the leftmost leaf is not on the path to the new record: both trees hold the same node
        RmapBtree.Node leftT = t.root();
        RmapBtree.Node leftU = u.root();
        while (!leftT.isLeaf()) {
            leftT = leftT.children().get(0);
            leftU = leftU.children().get(0);
        }
        assertThat(leftU).isSameAs(leftT);
        assertThat(u.root()).isNotSameAs(t.root());
    }

    @Test
    void duplicatesAndMissingRecordsAreRejected() {
        RmapBtree t = RmapBtree.empty(4, 3).withAll(spaced(10));
        assertThatThrownBy(() -> t.insert(data(0, 5, 1000, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.delete(data(1, 5, 1000, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RmapBtree.empty().delete(data(1, 5, 1000, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RmapBtree.bulkLoad(List.of(data(1, 5, 1, 0), data(1, 5, 1, 0))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bulkLoadEqualsInsertingOneByOne() {
        Random rnd = new Random(11);
        List<RmapRecord> recs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            recs.add(data(rnd.nextInt(100_000), 1 + rnd.nextInt(20), rnd.nextInt(1000), i));
        }
        RmapBtree bulk = RmapBtree.bulkLoad(recs);
        RmapBtree one = RmapBtree.empty();
        for (RmapRecord r : recs) {
            one = one.insert(r);
        }
        assertThat(bulk).isEqualTo(one);
        assertThat(bulk.hashCode()).isEqualTo(one.hashCode());
        assertThat(bulk.records()).isEqualTo(one.records());
        assertThat(bulk.size()).isEqualTo(2000);
        RmapTreeCheck.assertWellFormed(bulk);
        RmapTreeCheck.assertWellFormed(one);
        // bulk load packs leaves full: 2000 records in ceil(2000/168) = 12 leaves, one root node
        assertThat(bulk.height()).isEqualTo(2);
        assertThat(bulk.root().children()).hasSize(12);
        // the same queries on both
        for (int k = 0; k < 200; k++) {
            int lo = rnd.nextInt(100_000);
            int hi = lo + rnd.nextInt(500);
            assertThat(bulk.queryRange(lo, hi).records()).isEqualTo(one.queryRange(lo, hi).records())
                    .isEqualTo(RmapTreeCheck.bruteForce(recs, lo, hi));
        }
        // the small fan-out too
        RmapBtree small = RmapBtree.empty(4, 3).withAll(recs);
        RmapTreeCheck.assertWellFormed(small);
        assertThat(small).isEqualTo(bulk);
    }

    @Test
    void randomQueriesAgreeWithABruteForceScan() {
        Random rnd = new Random(5);
        List<RmapRecord> recs = new ArrayList<>();
        RmapBtree t = RmapBtree.empty(4, 3);
        for (int i = 0; i < 400; i++) {
            RmapRecord r = data(rnd.nextInt(2000), 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 300), 128 + rnd.nextInt(5), i);
            recs.add(r);
            t = t.insert(r);
            if (rnd.nextInt(4) == 0) {
                RmapRecord gone = recs.remove(rnd.nextInt(recs.size()));
                t = t.delete(gone);
            }
        }
        RmapTreeCheck.assertWellFormed(t);
        for (int k = 0; k < 500; k++) {
            int lo = rnd.nextInt(2400);
            int hi = lo + rnd.nextInt(k % 2 == 0 ? 3 : 400);
            assertThat(t.queryRange(lo, hi).records()).isEqualTo(RmapTreeCheck.bruteForce(recs, lo, hi));
        }
    }
}
