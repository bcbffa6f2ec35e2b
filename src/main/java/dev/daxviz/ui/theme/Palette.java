package dev.daxviz.ui.theme;

import java.awt.Color;

/**
 * The colours every painter uses, for one theme. The light default is Okabe–Ito, safe for colour-blind viewers;
 * every state also has a second cue (hatch, glyph, outline) so colour is never the only one.
 */
public record Palette(String name, Color background, Color panel, Color text, Color mutedText, Color gridLine,
                      Color data, Color shared, Color metadata, Color log, Color free, Color reserve, Color poison,
                      Color selection, Color highlight, Color banner, Color bannerText, float strokeScale,
                      float fontScale) {

    public static final Palette LIGHT = new Palette("Light",
            new Color(0xFAFAFA), new Color(0xFFFFFF), new Color(0x1F2328), new Color(0x57606A), new Color(0xD0D7DE),
            new Color(0x0072B2), new Color(0x56B4E9), new Color(0xE69F00), new Color(0xCC79A7), new Color(0xE8EAED),
            new Color(0x9AA0A6), new Color(0xD55E00), new Color(0x111111), new Color(0xF0E442),
            new Color(0xFBE3D6), new Color(0x8A2E00), 1f, 1f);

    public static final Palette DARK = new Palette("Dark",
            new Color(0x1E1F22), new Color(0x2B2D30), new Color(0xDFE1E5), new Color(0x9DA0A8), new Color(0x43454A),
            new Color(0x3C9BE0), new Color(0x7FD0FF), new Color(0xF0B233), new Color(0xE08DC2), new Color(0x393B40),
            new Color(0x6F737A), new Color(0xFF7A33), new Color(0xFFFFFF), new Color(0xF0E442),
            new Color(0x4A2A1A), new Color(0xFFB38A), 1f, 1f);

    /** High contrast, thick outlines, large text: for a projector at the back of a classroom. */
    public static final Palette PROJECTOR = new Palette("Projector",
            new Color(0xFFFFFF), new Color(0xFFFFFF), new Color(0x000000), new Color(0x222222), new Color(0x555555),
            new Color(0x004C99), new Color(0x3DA5E0), new Color(0xD98C00), new Color(0xA8418B), new Color(0xDDDDDD),
            new Color(0x777777), new Color(0xC23B00), new Color(0x000000), new Color(0xFFE800),
            new Color(0xFFD9C2), new Color(0x6B1F00), 2f, 1.45f);

    public static Palette byName(String name) {
        for (Palette p : new Palette[] {LIGHT, DARK, PROJECTOR}) {
            if (p.name.equalsIgnoreCase(name)) {
                return p;
            }
        }
        return LIGHT;
    }

    public boolean isDark() {
        return background.getRed() + background.getGreen() + background.getBlue() < 3 * 128;
    }
}
