package dev.daxviz.ui.export;

import dev.daxviz.ui.theme.Palette;

import java.util.Locale;

/**
 * How to render: the view, the logical size in pixels, the scale (2 = HiDPI: the same picture drawn with
 * {@code g.scale(2, 2)} into an image twice as wide and tall) and the theme.
 */
public record RenderSpec(View view, int width, int height, double scale, Palette palette) {
    public static final int DEFAULT_WIDTH = 1600;
    public static final int DEFAULT_HEIGHT = 1000;
    /** Largest image in pixels (after scaling) an export makes: 64 Mpx, 256 MiB of RGB. */
    public static final long MAX_PIXELS = 64L << 20;

    public RenderSpec {
        if (view == null) {
            throw new ExportException("no view given", "use one of: " + View.names());
        }
        if (width < 64 || height < 64 || width > 16384 || height > 16384) {
            throw new ExportException("the size " + width + "×" + height + " is out of range",
                    "width and height must be 64 to 16384 pixels");
        }
        if (!(scale >= 0.5 && scale <= 4)) {
            throw new ExportException("the scale " + scale + " is out of range", "use 1, or 2 for HiDPI (0.5 to 4)");
        }
        if (Math.round(width * scale) * Math.round(height * scale) > MAX_PIXELS) {
            throw new ExportException("the image would be " + Math.round(width * scale) + "×" + Math.round(height * scale)
                    + " pixels, larger than " + (MAX_PIXELS >> 20) + " Mpx", "make it smaller or lower the scale");
        }
        if (palette == null) {
            palette = Palette.LIGHT;
        }
    }

    public static RenderSpec defaults(View v) {
        return new RenderSpec(v, DEFAULT_WIDTH, DEFAULT_HEIGHT, 1, Palette.LIGHT);
    }

    public RenderSpec withView(View v) {
        return new RenderSpec(v, width, height, scale, palette);
    }

    public RenderSpec withScale(double s) {
        return new RenderSpec(view, width, height, s, palette);
    }

    public RenderSpec withSize(int w, int h) {
        return new RenderSpec(view, w, h, scale, palette);
    }

    public int pixelWidth() {
        return (int) Math.round(width * scale);
    }

    public int pixelHeight() {
        return (int) Math.round(height * scale);
    }

    /** The palette named {@code name} (Light, Dark, Projector; any case); throws with the names. */
    public static Palette theme(String name) {
        for (Palette p : new Palette[] {Palette.LIGHT, Palette.DARK, Palette.PROJECTOR}) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new ExportException("'" + name + "' is not a theme", "use one of: light, dark, projector");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
