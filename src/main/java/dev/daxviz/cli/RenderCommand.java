package dev.daxviz.cli;

import dev.daxviz.ui.Session;
import dev.daxviz.ui.export.ExportException;
import dev.daxviz.ui.export.Exporter;
import dev.daxviz.ui.export.RenderSpec;
import dev.daxviz.ui.export.Renderer;
import dev.daxviz.ui.export.Scene;
import dev.daxviz.ui.export.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code daxviz render SCENARIO --out FILE.png|FILE.svg|FILE.gif|FILE.json|DIR/}: a picture of the scenario at one step
 * (by default the end of its trace), a frame per step, or an animated GIF, drawn headless by the window's own
 * painters. The same input gives byte-identical PNGs.
 */
@Command(name = "render", mixinStandardHelpOptions = true, description = {
    "Draw a scenario as the window shows it, without a display: a PNG or SVG of one step, a directory of PNG frames "
        + "(one per step), an animated GIF of the trace, or the result JSON.",
    "Events are numbered from 0 as in the scenario; steps from 1 as the player counts them (0 without --event: before "
        + "the first step). Without --step: the last step."})
final class RenderCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "A scenario file (.yaml or .json) or builtin:NAME.")
    String scenario;

    @Option(names = "--event", paramLabel = "N", description = "Only this event's trace (0-based).")
    Integer event;

    @Option(names = "--step", paramLabel = "N", description = "The step to draw (1-based; of --event's trace if "
            + "given, else of the whole trace).")
    Integer step;

    @Option(names = "--view", paramLabel = "NAME", defaultValue = "window", description = "window (the presentation "
            + "picture), grid, btree, story (call chain and narration) or charts. Default: ${DEFAULT-VALUE}.")
    String view;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "FILE.png, FILE.svg, FILE.gif "
            + "(animated, every step), FILE.json (the result) or DIR/ (frame-0001.png … one per step).")
    String out;

    @Option(names = "--width", paramLabel = "W", defaultValue = "1600", description = "Width in pixels. Default: "
            + "${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--height", paramLabel = "H", defaultValue = "1000", description = "Height in pixels. Default: "
            + "${DEFAULT-VALUE}.")
    int height;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "1", description = "1, or 2 for HiDPI (an image twice "
            + "as large, drawn at 2×). Default: ${DEFAULT-VALUE}.")
    double scale;

    @Option(names = "--theme", paramLabel = "NAME", defaultValue = "light", description = "light, dark or projector. "
            + "Default: ${DEFAULT-VALUE}.")
    String theme;

    @Option(names = "--kernel", paramLabel = "ID", description = "Run under this kernel profile instead of the "
            + "scenario's own (5.17, 6.1, 6.12).")
    String kernel;

    @Option(names = "--frame-ms", paramLabel = "MS", defaultValue = "" + Exporter.FRAME_MS, description = "Time per "
            + "frame of an animated GIF. Default: ${DEFAULT-VALUE}.")
    int frameMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        forceHeadlessWithoutDisplay();
        try {
            return render();
        } catch (ExportException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("daxviz render: " + e.getMessage());
            err.flush();
            return DaxvizCli.INVALID;
        }
    }

    private int render() throws IOException {
        Exporter.Format format = Exporter.Format.of(out);
        RenderSpec rs = new RenderSpec(View.parse(view), width, height, scale, RenderSpec.theme(theme));
        if (frameMs < 20 || frameMs > 60_000) {
            throw new ExportException("--frame-ms " + frameMs + " is out of range", "use 20 to 60000 ms");
        }
        Renderer.warmUp(rs.palette()); // fonts, look and feel and Swing load while the scenario is read and run
        Session.State st = Scene.load(scenario, Kernels.parse(kernel));
        PrintWriter o = spec.commandLine().getOut();
        Path path = Path.of(out);
        try {
            switch (format) {
                case FRAMES -> {
                    checkNoStep();
                    List<Scene> frames = Scene.frames(st, event);
                    Exporter.writeFrames(frames, rs, path, i -> { });
                    o.println("wrote " + frames.size() + " frame" + (frames.size() == 1 ? "" : "s") + " ("
                            + Exporter.frameName(0) + " … " + Exporter.frameName(frames.size() - 1) + ") to " + path);
                }
                case GIF -> {
                    checkNoStep();
                    List<Scene> frames = Scene.frames(st, event);
                    parent(path);
                    Exporter.writeGif(frames, rs, frameMs, path, i -> { });
                    o.println("wrote " + path + ": " + frames.size() + " frame" + (frames.size() == 1 ? "" : "s"));
                }
                default -> {
                    Scene sc = Scene.of(st, event, step);
                    parent(path);
                    Exporter.write(sc, rs, format, path);
                    o.println("wrote " + path + (format == Exporter.Format.JSON ? "" : " (" + rs.view().id() + ", "
                            + sc.stepText() + ")"));
                }
            }
        } catch (java.nio.file.FileSystemException e) {
            throw new ExportException("cannot write " + out + ": " + e.getClass().getSimpleName().replace("Exception", "")
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")"),
                    "check that the directory exists and is writable");
        }
        o.flush();
        return DaxvizCli.OK;
    }

    private void checkNoStep() {
        if (step != null) {
            throw new ExportException("--step does not apply to a frame sequence or a GIF (they show every step)",
                    "drop --step, or write a .png or .svg of that step");
        }
    }

    private static void parent(Path p) throws IOException {
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ExportException("the directory " + dir + " does not exist", "create it first");
        }
    }

    /**
     * Rendering needs no display: without one (no DISPLAY on X11 systems) AWT is told so before it starts, so a CI
     * box never tries to connect to a display. The jar's main forces this for {@code render} in every case.
     */
    static void forceHeadlessWithoutDisplay() {
        String d = System.getenv("DISPLAY");
        String wl = System.getenv("WAYLAND_DISPLAY");
        boolean unix = !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")
                && !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("mac");
        if (unix && (d == null || d.isEmpty()) && (wl == null || wl.isEmpty())
                && System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
