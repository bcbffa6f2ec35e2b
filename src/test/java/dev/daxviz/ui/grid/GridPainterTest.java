package dev.daxviz.ui.grid;

import dev.daxviz.model.FsOptions;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.ui.UiWorlds;
import dev.daxviz.ui.theme.Palette;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.daxviz.ui.UiWorlds.pfn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Render tests: the grid painted into an image, and the colour at cells whose owner the spec names
 * (xfs-layout-reference.md: AG 0 agbno 0–23 metadata, the first file at agbno 24; AG 2's log at agbno 10 …).
 * A cell is accepted as a class when every pixel inside it is the class's colour or its pattern-mark colour and
 * the colour itself shows.
 */
class GridPainterTest {
    private static final int PX = 10;
    private static final int COLS = 64;
    private static final int LABEL = 22;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** The design's Okabe–Ito colours (ui.md "Colour and marks") are the light palette's. */
    @Test
    void lightPaletteIsTheDesignsOkabeIto() {
        Palette p = Palette.LIGHT;
        assertThat(p.data()).isEqualTo(new Color(0x0072B2));
        assertThat(p.shared()).isEqualTo(new Color(0x56B4E9));
        assertThat(p.metadata()).isEqualTo(new Color(0xE69F00));
        assertThat(p.log()).isEqualTo(new Color(0xCC79A7));
        assertThat(p.poison()).isEqualTo(new Color(0xD55E00));
        Color free = p.free();
        assertThat(Math.max(free.getRed(), Math.max(free.getGreen(), free.getBlue()))
                - Math.min(free.getRed(), Math.min(free.getGreen(), free.getBlue()))).as("neutral").isLessThan(12);
        assertThat(free.getRed()).as("light grey").isGreaterThan(200);
        assertThat(p.isDark()).isFalse();
        assertThat(Palette.DARK.isDark()).isTrue();
        assertThat(Palette.PROJECTOR.fontScale()).as("projector text ≥ 1.4×").isGreaterThanOrEqualTo(1.4f);
        assertThat(Palette.byName("dark")).isSameAs(Palette.DARK);
        assertThat(Palette.byName("nonsense")).isSameAs(Palette.LIGHT);
    }

    // ------------------------------------------------------------------ helpers

    static GridLayout layout(DeviceSummary s, long ppc) {
        return new GridLayout(s.bands(), ppc, PX, 2 * GridLayout.MARGIN + COLS * PX, LABEL);
    }

    static long[] poisoned(World w) {
        return w.pages().entrySet().stream().filter(e -> e.getValue().hwpoison()).mapToLong(e -> e.getKey()).sorted()
                .toArray();
    }

    static BufferedImage paint(GridSnapshot s, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.MAGENTA); // anything the painter leaves unpainted shows
        g.fillRect(0, 0, width, height);
        GridPainter.paint(g, new Rectangle(0, 0, width, height), s);
        g.dispose();
        return img;
    }

    static Color mark(Palette p, PageClass c) {
        return Patterns.mix(Patterns.colour(p, c), p.isDark() ? Color.WHITE : Color.BLACK, 0.35f);
    }

    static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    /** The cell's rectangle in image coordinates (the layout's, shifted by the scroll). */
    static Rectangle onImage(GridSnapshot s, long pfn) {
        GridLayout.Cell c = s.layout().cellOf(pfn);
        assertThat(c).as("cell of pfn %s", Long.toHexString(pfn)).isNotNull();
        Rectangle r = s.layout().rectOf(c);
        r.y -= (int) s.scrollY();
        return r;
    }

    /** The classes whose colour or mark colour every pixel of the cell's inside has. */
    static Set<PageClass> classesOf(BufferedImage img, Palette p, Rectangle r, int fromX, int toX) {
        Set<PageClass> out = EnumSet.noneOf(PageClass.class);
        for (PageClass c : PageClass.values()) {
            int base = Patterns.colour(p, c).getRGB() & 0xFFFFFF;
            int m = mark(p, c).getRGB() & 0xFFFFFF;
            boolean all = true;
            boolean sawBase = false;
            for (int x = fromX; x < toX && all; x++) {
                for (int y = r.y; y < r.y + r.height - 1; y++) {
                    int v = rgb(img, x, y);
                    if (v == base) {
                        sawBase = true;
                    } else if (v != m) {
                        all = false;
                        break;
                    }
                }
            }
            if (all && sawBase) {
                out.add(c);
            }
        }
        return out;
    }

    static void assertCell(BufferedImage img, GridSnapshot s, long pfn, PageClass expected) {
        Rectangle r = onImage(s, pfn);
        assertThat(classesOf(img, s.palette(), r, r.x, r.x + r.width - 1))
                .as("cell of pfn 0x%s (%s)", Long.toHexString(pfn), s.layout().cellOf(pfn)).containsExactly(expected);
    }

    static GridSnapshot snapshot(World w, DeviceSummary sum, Palette p, long ppc, long scrollY, long selected,
                                 List<long[]> highlights, List<long[]> glow) {
        return new GridSnapshot(layout(sum, ppc), sum, p, scrollY, poisoned(w), selected, highlights, glow, -1, 0f);
    }

    // ------------------------------------------------------------------ one page per cell

    @ParameterizedTest
    @ValueSource(strings = {"Light", "Dark", "Projector"})
    void cellsOfKnownOwnersHaveTheirClassColour(String theme) {
        Palette p = Palette.byName(theme);
        World w = UiWorlds.threeFiles();
        DeviceSummary sum = DeviceSummary.of(w);
        GridSnapshot s = snapshot(w, sum, p, 1, 0, -1, List.of(), List.of());
        BufferedImage img = paint(s, s.layout().width(), 400);
        for (int agbno = 0; agbno < 24; agbno++) {
            assertCell(img, s, pfn(0, agbno), PageClass.METADATA); // headers 0–3, roots, AGFL, inode chunk
        }
        for (int agbno = 24; agbno < 28; agbno++) {
            assertCell(img, s, pfn(0, agbno), PageClass.SHARED); // a.bin and its reflink b.bin
        }
        for (int blk = 0; blk < 4; blk++) {
            assertCell(img, s, w.addressing().ofFile("/data/c.bin", blk * Units.PAGE_SIZE).pfn(), PageClass.DATA);
        }
        for (int agbno = 40; agbno < 64 * 4; agbno += 7) {
            assertCell(img, s, pfn(0, agbno), PageClass.FREE);
        }
        // the compact reserve band on its own row above AG 0
        for (long pfn = UiWorlds.FIRST_PFN; pfn < UiWorlds.DATA_PFN; pfn += 40) {
            assertCell(img, s, pfn, PageClass.RESERVE);
        }
        // the gap between cells is the background
        Rectangle r = onImage(s, pfn(0, 30));
        assertThat(rgb(img, r.x + PX - 1, r.y + 3)).isEqualTo(p.background().getRGB() & 0xFFFFFF);
        // nothing left unpainted in the grid's width
        for (int y = 0; y < 400; y += 3) {
            for (int x = 0; x < s.layout().width(); x += 3) {
                assertThat(rgb(img, x, y)).as("(%d,%d)", x, y).isNotEqualTo(0xFF00FF);
            }
        }
    }

    @Test
    void metadataAndSharedDataCarryTheirPatternNotOnlyColour() {
        Palette p = Palette.LIGHT;
        World w = UiWorlds.threeFiles();
        DeviceSummary sum = DeviceSummary.of(w);
        GridSnapshot s = snapshot(w, sum, p, 1, 0, -1, List.of(), List.of());
        BufferedImage img = paint(s, s.layout().width(), 400);
        for (PageClass c : new PageClass[] {PageClass.METADATA, PageClass.SHARED, PageClass.RESERVE}) {
            long pfn = c == PageClass.METADATA ? pfn(0, 8) : c == PageClass.SHARED ? pfn(0, 25) : UiWorlds.FIRST_PFN;
            Rectangle r = onImage(s, pfn);
            int m = mark(p, c).getRGB() & 0xFFFFFF;
            int marks = 0;
            for (int x = r.x; x < r.x + PX - 1; x++) {
                for (int y = r.y; y < r.y + PX - 1; y++) {
                    marks += rgb(img, x, y) == m ? 1 : 0;
                }
            }
            assertThat(marks).as("%s pattern marks", c).isPositive();
        }
        // plain data and free space have no marks
        for (long pfn : new long[] {w.addressing().ofFile("/data/c.bin", 0).pfn(), pfn(0, 200)}) {
            Rectangle r = onImage(s, pfn);
            int base = rgb(img, r.x, r.y);
            for (int x = r.x; x < r.x + PX - 1; x++) {
                for (int y = r.y; y < r.y + PX - 1; y++) {
                    assertThat(rgb(img, x, y)).isEqualTo(base);
                }
            }
        }
    }

    @Test
    void theLogInAg2IsLogColoured() {
        Palette p = Palette.LIGHT;
        World w = UiWorlds.threeFiles();
        DeviceSummary sum = DeviceSummary.of(w);
        GridLayout l = layout(sum, 1);
        int ag2 = 3; // bands: reserve, AG 0, AG 1, AG 2
        assertThat(l.bands().get(ag2).agno()).isEqualTo(2);
        long scroll = l.bandCellsY(ag2) - 5;
        GridSnapshot s = new GridSnapshot(l, sum, p, scroll, new long[0], -1, List.of(), List.of(), -1, 0f);
        BufferedImage img = paint(s, l.width(), 300);
        for (int agbno = 0; agbno < UiWorlds.LOG_AGBNO; agbno++) {
            assertCell(img, s, pfn(2, agbno), PageClass.METADATA);
        }
        for (int agbno = UiWorlds.LOG_AGBNO; agbno < 64 * 20; agbno += 5) {
            assertCell(img, s, pfn(2, agbno), PageClass.LOG);
        }
    }

    @Test
    void hwpoisonPageShowsThePoisonColourAndGlyph() {
        Palette p = Palette.LIGHT;
        World w0 = UiWorlds.threeFiles();
        long victim = w0.addressing().ofFile("/data/c.bin", Units.PAGE_SIZE).pfn();
        WorldEditor e = w0.edit();
        e.setHwpoison(victim, true);
        World w = e.build();
        assertThat(poisoned(w)).containsExactly(victim);
        DeviceSummary sum = DeviceSummary.of(w);
        GridSnapshot s = snapshot(w, sum, p, 1, 0, -1, List.of(), List.of());
        BufferedImage img = paint(s, s.layout().width(), 400);
        Rectangle r = onImage(s, victim);
        int poison = p.poison().getRGB() & 0xFFFFFF;
        // the cell is filled vermillion away from the ✕ ...
        assertThat(rgb(img, r.x + 1, r.y + r.height / 2)).isEqualTo(poison);
        assertThat(rgb(img, r.x + r.width / 2, r.y + 1)).isEqualTo(poison);
        // ... and the ✕ is drawn light across its centre
        Color centre = new Color(rgb(img, r.x + r.width / 2, r.y + r.height / 2));
        assertThat(centre.getGreen()).as("✕ glyph at the centre").isGreaterThan(200);
        // the neighbouring page of c.bin is still plain data
        assertCell(img, s, w.addressing().ofFile("/data/c.bin", 0).pfn(), PageClass.DATA);
        // and an unpoisoned world paints the same cell as data
        World clean = UiWorlds.threeFiles();
        GridSnapshot s0 = snapshot(clean, DeviceSummary.of(clean), p, 1, 0, -1, List.of(), List.of());
        assertCell(paint(s0, s0.layout().width(), 400), s0, victim, PageClass.DATA);
    }

    @Test
    void selectionIsOutlinedAroundItsCellOnly() {
        Palette p = Palette.LIGHT;
        World w = UiWorlds.threeFiles();
        DeviceSummary sum = DeviceSummary.of(w);
        long sel = pfn(0, 64 * 3 + 20);
        GridSnapshot s = snapshot(w, sum, p, 1, 0, sel, List.of(), List.of());
        BufferedImage img = paint(s, s.layout().width(), 400);
        int selection = p.selection().getRGB() & 0xFFFFFF;
        Rectangle r = onImage(s, sel);
        assertThat(ringHas(img, r, selection)).as("outline around the selected cell").isTrue();
        // the selected cell keeps its own colour inside
        assertThat(rgb(img, r.x + r.width / 2, r.y + r.height / 2)).isEqualTo(p.free().getRGB() & 0xFFFFFF);
        // no outline anywhere else
        Rectangle other = onImage(s, pfn(0, 64 * 5 + 40));
        assertThat(ringHas(img, other, selection)).isFalse();
        GridSnapshot none = snapshot(w, sum, p, 1, 0, -1, List.of(), List.of());
        assertThat(ringHas(paint(none, none.layout().width(), 400), r, selection)).isFalse();
    }

    /** Whether any pixel in the 3-pixel ring just outside the cell has colour c. */
    static boolean ringHas(BufferedImage img, Rectangle r, int c) {
        for (int x = r.x - 3; x < r.x + r.width + 3; x++) {
            for (int y = r.y - 3; y < r.y + r.height + 3; y++) {
                boolean inside = x >= r.x && x < r.x + r.width - 1 && y >= r.y && y < r.y + r.height - 1;
                if (!inside && rgb(img, x, y) == c) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void highlightedFileIsOutlinedAndGlowLightsItsPages() {
        Palette p = Palette.LIGHT;
        World w = UiWorlds.threeFiles();
        DeviceSummary sum = DeviceSummary.of(w);
        long c0 = w.addressing().ofFile("/data/c.bin", 0).pfn();
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {c0, c0 + 4});
        GridSnapshot plain = snapshot(w, sum, p, 1, 0, -1, List.of(), List.of());
        GridSnapshot hl = snapshot(w, sum, p, 1, 0, -1, ranges, List.of());
        GridSnapshot glow = snapshot(w, sum, p, 1, 0, -1, List.of(), ranges);
        BufferedImage a = paint(plain, plain.layout().width(), 400);
        BufferedImage b = paint(hl, hl.layout().width(), 400);
        BufferedImage c = paint(glow, glow.layout().width(), 400);
        Rectangle first = onImage(plain, c0);
        int selection = p.selection().getRGB() & 0xFFFFFF;
        // the outline's left edge runs down the first cell's left column
        int outlined = 0;
        for (int y = first.y; y < first.y + first.height; y++) {
            outlined += rgb(b, first.x, y) == selection ? 1 : 0;
            assertThat(rgb(a, first.x, y)).isNotEqualTo(selection);
        }
        assertThat(outlined).isGreaterThan(first.height / 2);
        // glow: the centre of each glowing cell turns towards the highlight (yellow): redder than blue data
        for (long pfn = c0; pfn < c0 + 4; pfn++) {
            Rectangle r = onImage(plain, pfn);
            Color before = new Color(rgb(a, r.x + 4, r.y + 4));
            Color after = new Color(rgb(c, r.x + 4, r.y + 4));
            assertThat(before).isEqualTo(p.data());
            assertThat(after.getRed()).isGreaterThan(before.getRed() + 60);
        }
        // a cell outside the range is untouched
        Rectangle out = onImage(plain, pfn(0, 200));
        assertThat(rgb(c, out.x + 4, out.y + 4)).isEqualTo(rgb(a, out.x + 4, out.y + 4));
    }

    // ------------------------------------------------------------------ zoomed out

    @Test
    void zoomedOutCellOfMixedPagesIsSplitBetweenItsTwoMajorityClasses() {
        Palette p = Palette.LIGHT;
        WorldEditor e = UiWorlds.reference();
        e.createFile(WorldEditor.FileSpec.of("/data/a.bin", 32 * Units.KiB)); // agbno 24–31, the first file data
        World w = e.build();
        assertThat(w.addressing().ofFile("/data/a.bin", 0).pfn()).isEqualTo(pfn(0, 24));
        DeviceSummary sum = DeviceSummary.of(w);
        // 32 pages a cell: AG 0's first cell has 24 metadata pages and 8 data pages
        GridSnapshot s = snapshot(w, sum, p, 32, 0, -1, List.of(), List.of());
        BufferedImage img = paint(s, s.layout().width(), 400);
        Rectangle r = onImage(s, pfn(0, 0));
        assertThat(onImage(s, pfn(0, 31))).isEqualTo(r);
        int inner = PX - 1;
        int metaCols = 0;
        int dataCols = 0;
        for (int x = r.x; x < r.x + inner; x++) {
            Set<PageClass> col = classesOf(img, p, r, x, x + 1);
            if (col.contains(PageClass.METADATA)) {
                metaCols++;
            } else if (col.equals(Set.of(PageClass.DATA))) {
                dataCols++;
                assertThat(metaCols).as("majority first, on the left").isPositive();
            } else {
                // a metadata column whose pixels are all marks is possible only with both colours absent
                assertThat(col).as("column %d", x - r.x).isNotEmpty();
            }
        }
        assertThat(metaCols + dataCols).isEqualTo(inner);
        assertThat(dataCols).isPositive();
        assertThat(metaCols).as("75 %% metadata gets the larger part").isGreaterThan(dataCols);
        // the next cell (agbno 32–63) is pure free space: not split
        assertCell(img, s, pfn(0, 32), PageClass.FREE);
        // AG 1's first cell (agbno 0–31): 16 metadata, 16 free: split too
        Rectangle ag1 = onImage(s, pfn(1, 0));
        assertThat(classesOf(img, p, ag1, ag1.x, ag1.x + 1)).isNotEmpty();
        Set<PageClass> left = classesOf(img, p, ag1, ag1.x, ag1.x + 1);
        Set<PageClass> right = classesOf(img, p, ag1, ag1.x + inner - 1, ag1.x + inner);
        assertThat(left).isNotEqualTo(right);
        assertThat(EnumSet.of(PageClass.METADATA, PageClass.FREE)).containsAll(left).containsAll(right);
    }

    /**
     * The cells composed into one image (the raster path, for screens and PNGs) give exactly the pixels of the
     * shape-by-shape fills (the path vector output takes), at every zoom, in every theme, scrolled off the tile grid.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 4, 32, 1024})
    void theRasterPathPaintsTheSamePixelsAsTheFills(long ppc) {
        WorldEditor e = UiWorlds.reference();
        e.createFile(WorldEditor.FileSpec.of("/a", 96 * Units.KiB));
        e.reflink("/a", "/b");
        e.createFile(WorldEditor.FileSpec.of("/frag", 400 * Units.KiB).fragmented(40).inAg(1));
        World w = e.build();
        DeviceSummary sum = DeviceSummary.of(w);
        for (Palette p : List.of(Palette.LIGHT, Palette.DARK, Palette.PROJECTOR)) {
            for (long scroll : new long[] {0, 3, 37}) {
                GridSnapshot s = snapshot(w, sum, p, ppc, scroll, -1, List.of(), List.of());
                BufferedImage raster = paintWith(s, Boolean.FALSE);
                BufferedImage fills = paintWith(s, Boolean.TRUE);
                int differ = 0;
                for (int y = 0; y < 500; y++) {
                    for (int x = 0; x < fills.getWidth(); x++) {
                        differ += raster.getRGB(x, y) != fills.getRGB(x, y) ? 1 : 0;
                    }
                }
                assertThat(differ).as("%s, %d pages a cell, scrolled %d px", p.name(), ppc, scroll).isZero();
            }
        }
    }

    private static BufferedImage paintWith(GridSnapshot s, Boolean shapes) {
        BufferedImage img = new BufferedImage(s.layout().width(), 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.MAGENTA);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(GridPainter.VECTOR_OUTPUT, shapes);
        GridPainter.paint(g, new Rectangle(0, 0, img.getWidth(), img.getHeight()), s);
        g.dispose();
        return img;
    }

    @Test
    void aTebibyteDevicePaintsTheVisibleRowsCorrectly() {
        Palette p = Palette.LIGHT;
        long phys = 0x10000000000L;
        WorldEditor e = World.create(KernelProfile.DEFAULT, PmemDevice.fsdax("pmem0", Units.TiB, phys),
                FsOptions.defaults(), Sysctl.DEFAULTS, 1);
        e.createFile(WorldEditor.FileSpec.of("/data/big.bin", 4 * Units.MiB).inAg(3));
        World w = e.build();
        DeviceSummary sum = DeviceSummary.of(w);
        long big0 = w.addressing().ofFile("/data/big.bin", 0).pfn();
        GridLayout l = layout(sum, 1);
        Rectangle target = l.rectOf(l.cellOf(big0 + 100));
        assertThat(l.height()).isGreaterThan(1_000_000); // 2^28 pages, one per cell
        GridSnapshot s = new GridSnapshot(l, sum, p, target.y - 100, new long[0], -1, List.of(), List.of(), -1, 0f);
        BufferedImage img = paint(s, l.width(), 300);
        assertCell(img, s, big0 + 100, PageClass.DATA);
        // the last page of the device, zoomed out to 4,096 pages a cell
        GridLayout z = layout(sum, 4096);
        long lastPfn = w.device().endPfn() - 1;
        Rectangle lr = z.rectOf(z.cellOf(lastPfn));
        GridSnapshot sz = new GridSnapshot(z, sum, p, lr.y - 50, new long[0], -1, List.of(), List.of(), -1, 0f);
        assertCell(paint(sz, z.width(), 200), sz, lastPfn, PageClass.FREE);
    }

    @Test
    void legendShowsEveryClassAndThePoisonSwatch() {
        for (Palette p : new Palette[] {Palette.LIGHT, Palette.DARK, Palette.PROJECTOR}) {
            BufferedImage img = new BufferedImage(1400, 40, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            LegendPainter.paint(g, new Rectangle(0, 0, 1400, 40), p, "1 page per cell");
            g.dispose();
            for (PageClass c : PageClass.values()) {
                assertThat(count(img, Patterns.colour(p, c))).as("%s swatch in %s", c, p.name()).isPositive();
            }
            assertThat(count(img, p.poison())).as("poison swatch").isPositive();
        }
    }

    static int count(BufferedImage img, Color c) {
        int want = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                n += rgb(img, x, y) == want ? 1 : 0;
            }
        }
        return n;
    }
}
