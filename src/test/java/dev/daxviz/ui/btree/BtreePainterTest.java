package dev.daxviz.ui.btree;

import dev.daxviz.model.RmapBtree;
import dev.daxviz.model.RmapQuery;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The rmap btree view painted into an image: a deep tree (fan-out 4 records a leaf, 3 children a node), the blocks
 * a query read and the records it matched. Matched rows are filled with the highlight blended into the background;
 * blocks on the query's path with the highlight blended into the panel.
 */
class BtreePainterTest {
    private static final int W = 900;
    private static final int H = 700;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** 80 records, one every 10 blocks, owner inode 1000 + i: inserted one by one, so leaves split as XFS's do. */
    static RmapBtree deepTree() {
        RmapBtree t = RmapBtree.empty(4, 3);
        for (int i = 0; i < 80; i++) {
            // shuffled order of insertion so splits happen everywhere
            int k = (i * 37) % 80;
            t = t.insert(RmapRecord.data(k * 10, 5, 1000 + k, 0, false));
        }
        return t;
    }

    static BufferedImage paint(BtreeSnapshot s) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        BtreePainter.paint(g, new Rectangle(0, 0, W, H), s);
        g.dispose();
        return img;
    }

    static Color hitFill(Palette p) {
        return BtreePainter.blend(p.background(), p.highlight(), 0.7f);
    }

    static Color pathFill(Palette p) {
        return BtreePainter.blend(p.panel(), p.highlight(), 0.55f);
    }

    /** Pixel rows, at a column left of the record text, filled with colour c. */
    static int rowsWith(BufferedImage img, int x, Color c) {
        int want = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            n += (img.getRGB(x, y) & 0xFFFFFF) == want ? 1 : 0;
        }
        return n;
    }

    static int count(BufferedImage img, Color c) {
        int want = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == want ? 1 : 0;
            }
        }
        return n;
    }

    static Set<String> names(RmapQuery q) {
        Set<String> out = new LinkedHashSet<>();
        q.visits().forEach(v -> out.add(v.pathName()));
        return out;
    }

    /** Height of one record row in the leaf, from the font the painter uses for records. */
    static int rowHeight(Palette p) {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        FontMetrics fm = g.getFontMetrics(Fonts.mono(11f * p.fontScale()));
        g.dispose();
        return fm.getHeight() + 2;
    }

    @Test
    void theTreeIsDeep() {
        RmapBtree t = deepTree();
        assertThat(t.size()).isEqualTo(80);
        assertThat(t.height()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void matchedRecordIsHighlightedInTheLeafTheQueryReached() {
        Palette p = Palette.LIGHT;
        RmapBtree t = deepTree();
        RmapQuery q = t.queryRange(402, 402); // only the record 400+5 (inode 1040) covers agbno 402
        assertThat(q.records()).extracting(RmapRecord::owner).containsExactly(1040L);
        assertThat(q.visits()).hasSizeGreaterThanOrEqualTo(t.height());
        BtreeSnapshot s = new BtreeSnapshot(0, t, p, names(q), null, Set.copyOf(q.records()), Map.of());
        BufferedImage img = paint(s);
        // one row of the leaf is filled: its height is one record row, at a column left of the text
        assertThat(rowsWith(img, 8 + 4, hitFill(p))).isEqualTo(rowHeight(p));
        // the query's path through the interior levels is lit
        assertThat(count(img, pathFill(p))).isPositive();
    }

    @Test
    void everyMatchedRecordOfTheShownLeafIsHighlighted() {
        Palette p = Palette.LIGHT;
        RmapBtree t = deepTree();
        // find two neighbouring records in one leaf, and query the blocks they cover
        RmapBtree.Node leaf = firstLeafWith(t.root(), 2);
        RmapRecord a = leaf.records().get(0);
        RmapRecord b = leaf.records().get(1);
        RmapQuery q = t.queryRange(a.startblock(), b.lastBlock());
        assertThat(q.records()).containsExactly(a, b);
        BtreeSnapshot s = new BtreeSnapshot(0, t, p, names(q), null, Set.copyOf(q.records()), Map.of());
        assertThat(rowsWith(paint(s), 8 + 4, hitFill(p))).isEqualTo(2 * rowHeight(p));
    }

    private static RmapBtree.Node firstLeafWith(RmapBtree.Node n, int records) {
        if (n.isLeaf()) {
            return n.records().size() >= records ? n : null;
        }
        for (RmapBtree.Node c : n.children()) {
            RmapBtree.Node l = firstLeafWith(c, records);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    @Test
    void descendingStepByStepLightsOnlyWhatWasRead() {
        Palette p = Palette.LIGHT;
        RmapBtree t = deepTree();
        RmapQuery q = t.queryRange(702, 702);
        List<RmapQuery.Visit> visits = q.visits();
        Set<String> sofar = new LinkedHashSet<>();
        for (int i = 0; i < visits.size(); i++) {
            RmapQuery.Visit v = visits.get(i);
            sofar.add(v.pathName());
            boolean atLeaf = v.node().isLeaf();
            // records are marked only once the leaf that holds them has been read
            Set<RmapRecord> matched = atLeaf ? Set.copyOf(q.records()) : Set.of();
            BtreeSnapshot s = new BtreeSnapshot(0, t, p, Set.copyOf(sofar), v.pathName(), matched, Map.of());
            BufferedImage img = paint(s);
            assertThat(rowsWith(img, 12, hitFill(p))).as("step %d", i).isEqualTo(atLeaf ? rowHeight(p) : 0);
            if (i > 0) {
                assertThat(count(img, pathFill(p))).as("interior block read at step %d", i).isPositive();
            }
        }
    }

    @Test
    void nothingReadNothingLit() {
        Palette p = Palette.LIGHT;
        BtreeSnapshot s = new BtreeSnapshot(0, deepTree(), p, Set.of(), null, Set.of(), Map.of());
        BufferedImage img = paint(s);
        assertThat(count(img, hitFill(p))).isZero();
        assertThat(count(img, pathFill(p))).isZero();
        // but the tree is drawn: the panel is not blank
        assertThat(count(img, p.panel())).isLessThan(W * H);
    }

    @Test
    void theSelectedPagesRecordsAreMarkedWithoutAQuery() {
        // the inspector's use: no blocks read, the records of the selected page matched
        Palette p = Palette.DARK;
        RmapBtree t = deepTree();
        RmapRecord r = t.queryRange(552, 552).records().get(0);
        BtreeSnapshot s = new BtreeSnapshot(3, t, p, Set.of(), null, Set.of(r), Map.of(1055L, "/data/x.bin"));
        assertThat(rowsWith(paint(s), 12, hitFill(p))).isEqualTo(rowHeight(p));
    }

    @Test
    void emptyAndTinyTreesPaintWithoutThrowing() {
        for (Palette p : new Palette[] {Palette.LIGHT, Palette.DARK, Palette.PROJECTOR}) {
            RmapBtree empty = RmapBtree.empty(4, 3);
            assertThatCode(() -> paint(new BtreeSnapshot(0, empty, p, Set.of(), null, Set.of(), Map.of())))
                    .doesNotThrowAnyException();
            assertThatCode(() -> paint(new BtreeSnapshot(0, empty, p, Set.of("root"), "root",
                    Set.of(RmapRecord.special(0, 4, -3)), null))).doesNotThrowAnyException();
            BufferedImage img = paint(new BtreeSnapshot(0, empty, p, Set.of(), null, Set.of(), Map.of()));
            assertThat(count(img, p.panel())).as("the title is drawn").isLessThan(W * H);
            RmapBtree one = empty.insert(RmapRecord.special(0, 4, -3));
            BtreeSnapshot s = new BtreeSnapshot(0, one, p, Set.of("root"), "root", Set.copyOf(one.records()), null);
            assertThat(rowsWith(paint(s), 12, hitFill(p))).isEqualTo(rowHeight(p));
        }
    }

    @Test
    void aSmallViewportDoesNotThrow() {
        RmapBtree t = deepTree();
        RmapQuery q = t.queryRange(0, 10_000);
        BtreeSnapshot s = new BtreeSnapshot(0, t, Palette.PROJECTOR, names(q), null, Set.copyOf(q.records()), Map.of());
        for (Rectangle b : new Rectangle[] {new Rectangle(0, 0, 60, 40), new Rectangle(10, 10, 1, 1),
            new Rectangle(0, 0, 0, 0)}) {
            BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            assertThatCode(() -> BtreePainter.paint(g, b, s)).doesNotThrowAnyException();
            g.dispose();
        }
    }
}
