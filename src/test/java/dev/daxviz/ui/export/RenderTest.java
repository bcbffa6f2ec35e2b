package dev.daxviz.ui.export;

import dev.daxviz.ui.Session;
import dev.daxviz.ui.UiWorlds;
import dev.daxviz.ui.Workbench;
import dev.daxviz.ui.grid.GridLayout;
import dev.daxviz.ui.theme.Palette;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.swing.SwingUtilities;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Color;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Render tests of the export path, headless: pixel probes at cells the layout names (the default lesson's device:
 * data starts at pfn 0x100800, AG 0 agbno 0–23 is metadata, the shared page agbno 25 = pfn 0x100819 is poisoned),
 * SVG that parses and keeps its text, byte-identical PNGs, and one frame per step.
 */
class RenderTest {
    static final long DATA_PFN = 0x100800L;
    static final long METADATA_PFN = DATA_PFN + 5;
    static final long POISONED_PFN = DATA_PFN + 25;

    static Session.State lesson;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
        lesson = UiWorlds.lesson("default");
    }

    static Scene end() {
        return Scene.of(lesson, null, null);
    }

    static RenderSpec spec(View v, int w, int h, Palette p) {
        return new RenderSpec(v, w, h, 1, p);
    }

    /** Share of the pixels of a rectangle (shrunk by one pixel) that have colour c. */
    static double share(BufferedImage img, Rectangle r, Color c) {
        int n = 0;
        int hit = 0;
        for (int y = r.y + 1; y < r.y + r.height - 1; y++) {
            for (int x = r.x + 1; x < r.x + r.width - 1; x++) {
                n++;
                if (img.getRGB(x, y) == c.getRGB()) {
                    hit++;
                }
            }
        }
        return n == 0 ? 0 : (double) hit / n;
    }

    static Rectangle scaled(Rectangle r, double s) {
        return new Rectangle((int) Math.round(r.x * s), (int) Math.round(r.y * s), (int) Math.round(r.width * s),
                (int) Math.round(r.height * s));
    }

    // ------------------------------------------------------------------ scenes

    @Test
    void theDefaultSceneIsTheLastStepWithThePoisonedPageSelected() {
        Scene s = end();
        assertThat(s.step()).isEqualTo(s.timeline().size() - 1);
        assertThat(s.selectedPfn()).isEqualTo(POISONED_PFN);
        assertThat(s.stepText()).startsWith("step " + s.timeline().size() + " of " + s.timeline().size());
        assertThat(Scene.of(lesson, null, 0).step()).isEqualTo(-1);
        assertThat(Scene.of(lesson, 0, 1).step()).isZero();
        assertThat(Scene.of(lesson, null, 9).snapshot().current()).isNotNull();
        assertThatThrownBy(() -> Scene.of(lesson, null, 999)).isInstanceOf(ExportException.class)
                .hasMessageContaining("no step 999").hasMessageContaining("1 to " + s.timeline().size());
        assertThatThrownBy(() -> Scene.of(lesson, 5, null)).isInstanceOf(ExportException.class)
                .hasMessageContaining("no event 5");
        assertThatThrownBy(() -> View.parse("gird")).isInstanceOf(ExportException.class)
                .hasMessageContaining("window, grid, btree, story, charts");
        assertThat(View.parse("chain")).isEqualTo(View.STORY);
    }

    @Test
    void theTabFollowsTheTraceAsThePlayerDoes() {
        Scene s = end();
        int query = -1;
        for (int i = 0; i < s.timeline().size(); i++) {
            if (s.timeline().get(i).trace().function().equals("xfs_rmap_query_range")) {
                query = i;
                break;
            }
        }
        assertThat(query).isPositive();
        assertThat(Scene.at(lesson, s.timeline(), query).tab()).as("rmap btree").isEqualTo(Workbench.TAB_BTREE);
        assertThat(Scene.at(lesson, s.timeline(), query + 1).tab()).as("who it reaches")
                .isEqualTo(Workbench.TAB_FLOW);
        assertThat(s.tab()).as("the outcome at the last step").isEqualTo(Workbench.TAB_OUTCOME);
        assertThat(Scene.of(lesson, null, 0).tab()).isEqualTo(Workbench.TAB_OUTCOME);
    }

    // ------------------------------------------------------------------ pixels

    @Test
    void theGridViewColoursTheMetadataBlockAndMarksThePoisonedPage() {
        for (Palette p : new Palette[] {Palette.LIGHT, Palette.PROJECTOR}) {
            RenderSpec spec = spec(View.GRID, 800, 500, p);
            BufferedImage img = Renderer.image(end(), spec);
            assertThat(img.getWidth()).isEqualTo(800);
            GridLayout l = Headless.onEdt(() -> Renderer.gridLayout(Renderer.workbench(end(), p, 800, 500), 800, p));
            int gridH = 500 - Renderer.stripHeight(p) - Renderer.legendHeight(p);
            assertThat(Renderer.scrollFor(l, POISONED_PFN, gridH)).as("the page shows without scrolling").isZero();
            Rectangle meta = l.rectOf(l.cellOf(METADATA_PFN));
            assertThat(share(img, meta, p.metadata())).as("metadata cell, %s", p.name()).isGreaterThan(0.5);
            Rectangle poison = l.rectOf(l.cellOf(POISONED_PFN));
            assertThat(share(img, poison, p.poison())).as("poisoned cell, %s", p.name()).isGreaterThan(0.3);
            Rectangle free = l.rectOf(l.cellOf(DATA_PFN + 300));
            assertThat(share(img, free, p.free())).as("free cell, %s", p.name()).isGreaterThan(0.8);
        }
    }

    @Test
    void aHiDpiImageIsTwiceAsLargeWithTheSameCellsAtTwiceTheCoordinates() {
        Palette p = Palette.LIGHT;
        RenderSpec spec = new RenderSpec(View.GRID, 800, 500, 2, p);
        BufferedImage img = Renderer.image(end(), spec);
        assertThat(img.getWidth()).isEqualTo(1600);
        assertThat(img.getHeight()).isEqualTo(1000);
        GridLayout l = Headless.onEdt(() -> Renderer.gridLayout(Renderer.workbench(end(), p, 800, 500), 800, p));
        Rectangle meta = scaled(l.rectOf(l.cellOf(METADATA_PFN)), 2);
        assertThat(share(img, meta, p.metadata())).isGreaterThan(0.5);
    }

    @Test
    void theWindowViewShowsTheGridWhereTheWorkbenchLaysItOut() {
        Palette p = Palette.LIGHT;
        int w = 1200;
        int h = 800;
        BufferedImage img = Renderer.image(end(), spec(View.WINDOW, w, h, p));
        Rectangle cell = Headless.onEdt(() -> {
            Workbench wb = Renderer.workbench(end(), p, w, h);
            Rectangle r = wb.grid().screenRectOf(METADATA_PFN);
            Point at = SwingUtilities.convertPoint(wb.grid(), r.x, r.y, wb);
            return new Rectangle(at.x, at.y, r.width, r.height);
        });
        assertThat(cell.x).isBetween(0, w);
        assertThat(share(img, cell, p.metadata())).isGreaterThan(0.5);
        // the story's current frame is highlighted in the palette's highlight colour somewhere on the left half
        boolean highlight = false;
        for (int y = h / 2; y < h && !highlight; y++) {
            for (int x = 0; x < w / 3 && !highlight; x++) {
                highlight = img.getRGB(x, y) == p.highlight().getRGB();
            }
        }
        assertThat(highlight).as("the call chain's top frame").isTrue();
    }

    @Test
    void everyViewRendersInEveryTheme() {
        for (Palette p : new Palette[] {Palette.LIGHT, Palette.DARK, Palette.PROJECTOR}) {
            for (View v : View.values()) {
                BufferedImage img = Renderer.image(end(), spec(v, 640, 400, p));
                assertThat(img.getWidth()).isEqualTo(640);
                java.util.Set<Integer> colours = new java.util.HashSet<>();
                for (int y = 0; y < img.getHeight(); y += 3) {
                    for (int x = 0; x < img.getWidth(); x += 3) {
                        colours.add(img.getRGB(x, y));
                    }
                }
                assertThat(colours.size()).as("%s in %s is not blank", v, p.name()).isGreaterThan(8);
                assertThat(colours).as("%s in %s uses the theme", v, p.name()).contains(p.text().getRGB());
            }
        }
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void twoRendersGiveTheSameBytes() {
        for (View v : View.values()) {
            RenderSpec spec = spec(v, 900, 600, Palette.LIGHT);
            byte[] a = Exporter.png(Renderer.image(end(), spec));
            byte[] b = Exporter.png(Renderer.image(Scene.of(UiWorlds.lesson("default"), null, null), spec));
            assertThat(b).as(v.id()).isEqualTo(a);
            assertThat(Renderer.svg(end(), spec)).as(v.id() + " svg").isEqualTo(Renderer.svg(end(), spec));
        }
    }

    @Test
    void pngsCarryNoTimeStamp() throws Exception {
        byte[] png = Exporter.png(Renderer.image(end(), spec(View.GRID, 300, 200, Palette.LIGHT)));
        List<String> chunks = new ArrayList<>();
        int i = 8;
        while (i < png.length) {
            int len = ((png[i] & 0xff) << 24) | ((png[i + 1] & 0xff) << 16) | ((png[i + 2] & 0xff) << 8) | (png[i + 3] & 0xff);
            chunks.add(new String(png, i + 4, 4, StandardCharsets.US_ASCII));
            i += 12 + len;
        }
        assertThat(chunks).doesNotContain("tIME", "tEXt", "iTXt", "zTXt").startsWith("IHDR").endsWith("IEND");
    }

    // ------------------------------------------------------------------ SVG

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static String texts(Document d) {
        NodeList n = d.getElementsByTagNameNS("*", "text");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n.getLength(); i++) {
            b.append(n.item(i).getTextContent()).append('\n');
        }
        return b.toString();
    }

    @Test
    void theWindowAsSvgParsesAndKeepsItsTextAsText() throws Exception {
        String svg = Renderer.svg(end(), spec(View.WINDOW, 1600, 1000, Palette.LIGHT));
        Document d = parse(svg);
        assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
        String text = texts(d);
        assertThat(text).contains("AG 0", "memory_failure", "action_result", "Blast radius", "Page 0x100819",
                "/data/a.bin");
    }

    @Test
    void theChartsAndGridAsSvgNameTheAgsAndTheClasses() throws Exception {
        String charts = texts(parse(Renderer.svg(end(), spec(View.CHARTS, 1600, 1000, Palette.DARK))));
        assertThat(charts).contains("AG 0", "AG 3", "Pages per owner class", "Share count of data pages",
                "Signals per process", "reader-a:101", "Owners per AG", "Blast radius");
        String gridSvg = Renderer.svg(end(), spec(View.GRID, 1000, 600, Palette.LIGHT));
        String grid = texts(parse(gridSvg));
        assertThat(grid).contains("AG 0", "pmem0 fsdax reserve", "metadata", "HWPoison");
        // JFreeSVG fills a texture paint black; the hatches and dots must come out as the class colours and marks
        assertThat(gridSvg).doesNotContain("fill:black").contains("fill:rgb(230,159,0)", "xml:space='preserve'");
        String story = texts(parse(Renderer.svg(end(), spec(View.STORY, 1000, 600, Palette.LIGHT))));
        assertThat(story).contains("memory_failure", "Recovered");
    }

    // ------------------------------------------------------------------ sequences

    @Test
    void aFrameSequenceHasOneFramePerStep(@TempDir Path dir) throws Exception {
        List<Scene> frames = Scene.frames(lesson, null);
        assertThat(frames).hasSize(end().timeline().size());
        Path old = dir.resolve("frame-0999.png");
        Files.write(old, new byte[] {1});
        List<Path> written = Exporter.writeFrames(frames, spec(View.GRID, 320, 200, Palette.LIGHT), dir, i -> { });
        assertThat(written).hasSize(frames.size());
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).as("older frames are gone")
                    .hasSize(frames.size()).startsWith("frame-0001.png").endsWith(Exporter.frameName(frames.size() - 1));
        }
        BufferedImage first = ImageIO.read(written.get(0).toFile());
        assertThat(first.getWidth()).isEqualTo(320);
        assertThat(Scene.frames(lesson, 0)).as("event 0 is the whole trace here").hasSize(frames.size());
    }

    @Test
    void anAnimatedGifHasOneImagePerStepAndLoops(@TempDir Path dir) throws Exception {
        List<Scene> frames = Scene.frames(lesson, 0);
        Path gif = dir.resolve("trace.gif");
        Exporter.writeGif(frames, spec(View.GRID, 240, 160, Palette.LIGHT), 300, gif, i -> { });
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
            r.setInput(in);
            assertThat(r.getNumImages(true)).isEqualTo(frames.size());
            String meta = tree(r.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0"));
            assertThat(meta).contains("NETSCAPE", "delayTime=30");
            r.dispose();
        }
    }

    static String tree(org.w3c.dom.Node n) {
        StringBuilder b = new StringBuilder(n.getNodeName());
        if (n.getAttributes() != null) {
            for (int i = 0; i < n.getAttributes().getLength(); i++) {
                b.append(' ').append(n.getAttributes().item(i).getNodeName()).append('=')
                        .append(n.getAttributes().item(i).getNodeValue());
            }
        }
        for (org.w3c.dom.Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            b.append('\n').append(tree(c));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void theJsonIsTheRunResultAndAddsTheUsersEvents() {
        String json = Exporter.json(lesson);
        assertThat(json).startsWith("{\n  \"format\": 1,").contains("\"kernel\": \"6.1\"");
        Session s = new Session();
        s.openBuilt(lesson);
        s.poison(DATA_PFN + 26, dev.daxviz.engine.FailureEvent.Source.MCE, null);
        String more = Exporter.json(s.state());
        assertThat(more).contains("\"index\": 1").hasSizeGreaterThan(json.length());
    }

    @Test
    void fileNamesChooseTheFormat() {
        assertThat(Exporter.Format.of("x.PNG")).isEqualTo(Exporter.Format.PNG);
        assertThat(Exporter.Format.of("a/b.svg")).isEqualTo(Exporter.Format.SVG);
        assertThat(Exporter.Format.of("t.gif")).isEqualTo(Exporter.Format.GIF);
        assertThat(Exporter.Format.of("r.json")).isEqualTo(Exporter.Format.JSON);
        assertThat(Exporter.Format.of("frames/")).isEqualTo(Exporter.Format.FRAMES);
        assertThatThrownBy(() -> Exporter.Format.of("x.jpg")).isInstanceOf(ExportException.class)
                .hasMessageContaining(".png, .svg, .gif");
        assertThatThrownBy(() -> new RenderSpec(View.GRID, 10, 10, 1, Palette.LIGHT)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> RenderSpec.theme("neon")).hasMessageContaining("light, dark, projector");
    }
}
