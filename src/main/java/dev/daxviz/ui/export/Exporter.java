package dev.daxviz.ui.export;

import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.ResultJson;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.ScenarioBuilder;
import dev.daxviz.scenario.ScenarioRunner;
import dev.daxviz.ui.Session;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Image;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Writing what the {@link Renderer} draws: PNG (ImageIO, no time stamp or other metadata, so equal pixels give equal
 * bytes), SVG, a frame sequence ({@code frame-0001.png} … one per step), an animated GIF (ImageIO's GIF writer with
 * the NETSCAPE2.0 loop extension), the result JSON ({@link ResultJson}, as {@code daxviz run --json} prints it) and
 * an image for the clipboard.
 */
public final class Exporter {
    /** Time each GIF frame shows, as one step of playback at 1×. */
    public static final int FRAME_MS = 600;
    /** The last GIF frame stays longer, so the loop pauses on the outcome. */
    public static final int LAST_FRAME_MS = 2400;

    private Exporter() {
    }

    /** What a file name asks for. */
    public enum Format {
        PNG, SVG, GIF, JSON, FRAMES;

        /** The format of an output path: by extension; a directory (or a path ending in '/') is a frame sequence. */
        public static Format of(String out) {
            String l = out.toLowerCase(java.util.Locale.ROOT);
            if (out.endsWith("/") || out.endsWith(java.io.File.separator) || Files.isDirectory(Path.of(out))) {
                return FRAMES;
            }
            if (l.endsWith(".png")) {
                return PNG;
            }
            if (l.endsWith(".svg")) {
                return SVG;
            }
            if (l.endsWith(".gif")) {
                return GIF;
            }
            if (l.endsWith(".json")) {
                return JSON;
            }
            throw new ExportException("cannot tell what to write to '" + out + "'", "end the name in .png, .svg, .gif "
                    + "or .json, or in / for a directory of frames");
        }
    }

    // ------------------------------------------------------------------ PNG

    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(1 << 16);
        writePng(img, b);
        return b.toByteArray();
    }

    public static void writePng(BufferedImage img, OutputStream out) {
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam param = w.getDefaultWriteParam();
            w.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
    }

    public static void writePng(BufferedImage img, Path file) throws IOException {
        Files.write(file, png(img));
    }

    // ------------------------------------------------------------------ one picture

    /** Renders the scene and writes it as PNG or SVG (by {@code format}). */
    public static void write(Scene scene, RenderSpec spec, Format format, Path file) throws IOException {
        switch (format) {
            case PNG -> writePng(Renderer.image(scene, spec), file);
            case SVG -> Files.writeString(file, Renderer.svg(scene, spec), StandardCharsets.UTF_8);
            case JSON -> Files.writeString(file, json(scene.state()), StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException(format + " is a sequence");
        }
    }

    // ------------------------------------------------------------------ sequences

    /** The name of frame {@code i} (0-based) of a sequence: frame-0001.png for the first. */
    public static String frameName(int i) {
        return String.format(java.util.Locale.ROOT, "frame-%04d.png", i + 1);
    }

    /**
     * Writes one PNG per scene into {@code dir} (created if missing), after removing older frame-NNNN.png files there
     * so that the directory holds exactly this sequence. Returns the files written.
     */
    public static List<Path> writeFrames(List<Scene> scenes, RenderSpec spec, Path dir, IntConsumer progress)
            throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "frame-[0-9][0-9][0-9][0-9].png")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            Path f = dir.resolve(frameName(i));
            writePng(Renderer.image(scenes.get(i), spec), f);
            out.add(f);
            progress.accept(i + 1);
        }
        return out;
    }

    /** Writes the scenes as an animated GIF that loops forever, {@code frameMs} per frame (the last one longer). */
    public static void writeGif(List<Scene> scenes, RenderSpec spec, int frameMs, Path file, IntConsumer progress)
            throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            writeGif(scenes, spec, frameMs, os, progress);
        }
    }

    public static void writeGif(List<Scene> scenes, RenderSpec spec, int frameMs, OutputStream os, IntConsumer progress)
            throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            for (int i = 0; i < scenes.size(); i++) {
                BufferedImage img = Renderer.image(scenes.get(i), spec);
                boolean last = i == scenes.size() - 1;
                int ms = last ? Math.max(frameMs, LAST_FRAME_MS) : frameMs;
                w.writeToSequence(new IIOImage(img, null, gifMetadata(w, img, ms, i == 0)), null);
                progress.accept(i + 1);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
    }

    private static IIOMetadata gifMetadata(ImageWriter w, BufferedImage img, int ms, boolean first) throws IOException {
        IIOMetadata md = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        String fmt = md.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(fmt);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(Math.max(2, ms / 10)));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = for ever
            apps.appendChild(loop);
        }
        md.setFromTree(fmt, root);
        return md;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }

    // ------------------------------------------------------------------ JSON

    /**
     * The result JSON of a session state: the scenario's own run (as {@code daxviz run --json} prints it) followed by
     * the events the user added in the window, numbered on from the scenario's events.
     */
    public static String json(Session.State st) {
        BuiltScenario b = ScenarioBuilder.build(st.scenario(), st.profile());
        RunResult r = ScenarioRunner.run(b);
        List<RunResult.EventRun> events = new ArrayList<>(r.events());
        int next = st.scenario().events().size();
        boolean user = false;
        for (Session.EventEntry e : st.events()) {
            if (e.byUser()) {
                events.add(new RunResult.EventRun(next++, e.kind(), e.result(), e.log(), null, e.after()));
                user = true;
            }
        }
        return ResultJson.write(user ? new RunResult(b, events, r.notRun(), st.world()) : r);
    }

    // ------------------------------------------------------------------ clipboard

    /** An image on the clipboard. */
    public record ImageSelection(Image image) implements Transferable {
        @Override
        public DataFlavor[] getTransferDataFlavors() {
            return new DataFlavor[] {DataFlavor.imageFlavor};
        }

        @Override
        public boolean isDataFlavorSupported(DataFlavor f) {
            return DataFlavor.imageFlavor.equals(f);
        }

        @Override
        public Object getTransferData(DataFlavor f) throws UnsupportedFlavorException {
            if (!isDataFlavorSupported(f)) {
                throw new UnsupportedFlavorException(f);
            }
            return image;
        }
    }
}
