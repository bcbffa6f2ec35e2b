package dev.daxviz.ui.export;

import dev.daxviz.cli.DaxvizCli;
import dev.daxviz.scenario.Lessons;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code daxviz render}, headless: every built-in lesson, the output formats, and the exit codes (0 / 2). */
class RenderCommandTest {
    record Run(int rc, String out, String err) {
    }

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static Run render(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "render";
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = DaxvizCli.execute(all, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyBuiltInLessonRendersToANonEmptyPng(@TempDir Path dir) throws Exception {
        List<String> failed = new ArrayList<>();
        for (Lessons.Lesson l : Lessons.all()) {
            Path png = dir.resolve(l.name() + ".png");
            Run r = render(l.source(), "--out", png.toString(), "--width", "800", "--height", "500");
            if (r.rc() != 0 || !Files.isRegularFile(png) || Files.size(png) < 1000) {
                failed.add(l.name() + ": rc " + r.rc() + " " + r.err().strip());
                continue;
            }
            BufferedImage img = ImageIO.read(png.toFile());
            if (img.getWidth() != 800 || img.getHeight() != 500) {
                failed.add(l.name() + ": " + img.getWidth() + "×" + img.getHeight());
            }
        }
        assertThat(failed).isEmpty();
        assertThat(Lessons.all()).hasSizeGreaterThan(30);
    }

    @Test
    void everyLessonDrawsItsCharts(@TempDir Path dir) {
        List<String> failed = new ArrayList<>();
        for (Lessons.Lesson l : Lessons.all()) {
            Run r = render(l.source(), "--view", "charts", "--out", dir.resolve(l.name() + ".png").toString(),
                    "--width", "480", "--height", "300");
            if (r.rc() != 0) {
                failed.add(l.name() + ": " + r.err().strip());
            }
        }
        assertThat(failed).isEmpty();
    }

    @Test
    void theSameCommandWritesTheSameBytes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        assertThat(render("builtin:default", "--out", a.toString()).rc()).isZero();
        assertThat(render("builtin:default", "--out", b.toString()).rc()).isZero();
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        BufferedImage img = ImageIO.read(a.toFile());
        assertThat(img.getWidth()).as("default size").isEqualTo(1600);
        assertThat(img.getHeight()).isEqualTo(1000);
    }

    @Test
    void scaleThemeStepSvgFramesGifAndJson(@TempDir Path dir) throws Exception {
        Path hi = dir.resolve("hi.png");
        Run r = render("builtin:reflink-three-way", "--view", "grid", "--scale", "2", "--theme", "projector", "--width",
                "500", "--height", "300", "--event", "0", "--step", "3", "--out", hi.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("step 3 of");
        assertThat(ImageIO.read(hi.toFile()).getWidth()).isEqualTo(1000);

        Path svg = dir.resolve("x.svg");
        assertThat(render("builtin:default", "--view", "charts", "--out", svg.toString()).rc()).isZero();
        // the log axis's tick labels ("1k") stay text too
        assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg", ">AG 0<", ">1k<");

        Path frames = dir.resolve("frames");
        r = render("builtin:default", "--view", "story", "--width", "300", "--height", "200", "--out", frames + "/");
        assertThat(r.rc()).as(r.err()).isZero();
        int steps = new dev.daxviz.ui.playback.Timeline(dev.daxviz.ui.UiWorlds.lesson("default")).size();
        try (var s = Files.list(frames)) {
            assertThat(s.count()).isEqualTo(steps);
        }
        assertThat(r.out()).contains("wrote " + steps + " frames");

        Path gif = dir.resolve("t.gif");
        r = render("builtin:default", "--view", "grid", "--width", "200", "--height", "150", "--out", gif.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains(steps + " frames");

        Path json = dir.resolve("r.json");
        assertThat(render("builtin:default", "--out", json.toString()).rc()).isZero();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        DaxvizCli.execute(new String[] {"run", "builtin:default", "--json"}, new PrintStream(o, true,
                StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(Files.readString(json)).isEqualTo(o.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badInputExitsTwoWithAClearMessage(@TempDir Path dir) {
        String out = dir.resolve("x.png").toString();
        Run r = render("builtin:default", "--view", "gird", "--out", out);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("'gird' is not a view", "window, grid, btree, story, charts");
        assertThat(r.out()).isEmpty();

        r = render("builtin:default", "--out", dir.resolve("x.jpg").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains(".png, .svg, .gif");

        r = render("builtin:default", "--step", "999", "--out", out);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("no step 999");

        r = render("builtin:default", "--event", "3", "--out", out);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("no event 3");

        r = render("builtin:default", "--theme", "neon", "--out", out);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("'neon' is not a theme");

        r = render("builtin:default", "--width", "10", "--out", out);
        assertThat(r.rc()).isEqualTo(2);

        r = render("builtin:nope", "--out", out);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("no built-in scenario 'nope'");

        r = render("builtin:default", "--kernel", "4.0", "--out", out);
        assertThat(r.rc()).isEqualTo(2);

        r = render("builtin:default", "--out", dir.resolve("missing/dir/x.png").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");

        r = render("builtin:default", "--step", "2", "--out", dir.resolve("t.gif").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("--step does not apply");

        r = render("builtin:default");
        assertThat(r.rc()).as("--out is required").isEqualTo(2);
        assertThat(Files.exists(Path.of(out))).isFalse();
    }
}
