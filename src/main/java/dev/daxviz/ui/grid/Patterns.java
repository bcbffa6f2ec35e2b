package dev.daxviz.ui.grid;

import dev.daxviz.ui.theme.Palette;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Fills for each page class: a colour plus a second cue (diagonal hatch for shared data, dots for metadata,
 * horizontal stripes for the log, backslash hatch for the reserve), cached per palette as texture paints.
 */
public final class Patterns {
    private static final Map<Palette, Map<PageClass, Paint>> CACHE = new IdentityHashMap<>();

    private Patterns() {
    }

    /** The colour of a page class in a palette (without its pattern). */
    public static Color colour(Palette p, PageClass c) {
        return switch (c) {
            case FREE -> p.free();
            case DATA -> p.data();
            case SHARED -> p.shared();
            case METADATA -> p.metadata();
            case LOG -> p.log();
            case RESERVE -> p.reserve();
        };
    }

    static synchronized Paint paint(Palette p, PageClass c) {
        return CACHE.computeIfAbsent(p, k -> new EnumMap<>(PageClass.class)).computeIfAbsent(c, k -> make(p, k));
    }

    private static Paint make(Palette p, PageClass c) {
        Color base = colour(p, c);
        if (c == PageClass.FREE || c == PageClass.DATA) {
            return base; // no second cue: the plain colour, which Java2D fills far faster than a texture
        }
        int n = TILE;
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(base);
        g.fillRect(0, 0, n, n);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        Color mark = mix(base, p.isDark() ? Color.WHITE : Color.BLACK, 0.35f);
        g.setColor(mark);
        switch (c) {
            case SHARED -> {
                for (int i = 0; i < n; i++) {
                    g.fillRect(i, n - 1 - i, 1, 1);
                }
            }
            case METADATA -> {
                g.fillRect(1, 1, 2, 2);
                g.fillRect(5, 5, 2, 2);
            }
            case LOG -> {
                g.fillRect(0, 2, n, 1);
                g.fillRect(0, 6, n, 1);
            }
            case RESERVE -> {
                for (int i = 0; i < n; i++) {
                    g.fillRect(i, i, 1, 1);
                }
            }
            default -> {
            }
        }
        g.dispose();
        return new TexturePaint(img, new Rectangle(0, 0, n, n));
    }

    /** The 8×8 tile of a class's fill as RGB pixels, row by row (a plain colour for classes without a pattern). */
    static int[] tile(Palette p, PageClass c) {
        int[] out = new int[TILE * TILE];
        Paint paint = paint(p, c);
        if (paint instanceof TexturePaint t) {
            t.getImage().getRGB(0, 0, TILE, TILE, out, 0, TILE);
        } else {
            java.util.Arrays.fill(out, ((Color) paint).getRGB());
        }
        return out;
    }

    /** Side of a pattern tile: fills are anchored at user-space multiples of it. */
    static final int TILE = 8;

    /** {@code a} moved a fraction {@code t} of the way to {@code b}, opaque. */
    public static Color mix(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }
}
