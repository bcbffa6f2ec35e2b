package dev.daxviz.ui.export;

import java.awt.Color;
import java.awt.Composite;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GraphicsConfiguration;
import java.awt.Image;
import java.awt.Paint;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.TexturePaint;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.BufferedImageOp;
import java.awt.image.ImageObserver;
import java.awt.image.RenderedImage;
import java.awt.image.renderable.RenderableImage;
import java.text.AttributedCharacterIterator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A Graphics2D for vector output (SVG) that understands texture paints, which JFreeSVG cannot express (it fills them
 * black). The grid's second cues (hatch for shared data, dots for metadata, stripes for the log) are small texture
 * paints; here a fill with one becomes a fill with the texture's main colour plus one path of its marks, tile by tile,
 * clipped to the shape, so the SVG keeps both cues. Everything else passes through unchanged.
 */
final class VectorPatterns extends Graphics2D {
    /** A fill whose marks would take more rectangles than this is left plain (a zoomed-out device). */
    static final int MAX_MARKS = 40_000;

    private final Graphics2D g;
    private TexturePaint texture;
    private final Map<BufferedImage, Texture> analysed;

    /** A texture's colours and its marks as runs per pixel row: {x, y, length}. */
    private record Texture(Color base, Color mark, int[][] runs) {
    }

    VectorPatterns(Graphics2D g) {
        this(g, new IdentityHashMap<>());
    }

    private VectorPatterns(Graphics2D g, Map<BufferedImage, Texture> analysed) {
        this.g = g;
        this.analysed = analysed;
    }

    // ------------------------------------------------------------------ textures

    private Texture analyse(BufferedImage img) {
        return analysed.computeIfAbsent(img, i -> {
            Map<Integer, Integer> count = new HashMap<>();
            for (int y = 0; y < i.getHeight(); y++) {
                for (int x = 0; x < i.getWidth(); x++) {
                    count.merge(i.getRGB(x, y), 1, Integer::sum);
                }
            }
            int base = count.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
            int mark = count.entrySet().stream().filter(e -> e.getKey() != base).max(Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(base);
            java.util.List<int[]> runs = new java.util.ArrayList<>();
            for (int y = 0; y < i.getHeight(); y++) {
                int x = 0;
                while (x < i.getWidth()) {
                    if (mark != base && i.getRGB(x, y) == mark) {
                        int e = x;
                        while (e < i.getWidth() && i.getRGB(e, y) == mark) {
                            e++;
                        }
                        runs.add(new int[] {x, y, e - x});
                        x = e;
                    } else {
                        x++;
                    }
                }
            }
            return new Texture(new Color(base, true), new Color(mark, true), runs.toArray(new int[0][]));
        });
    }

    private void fillTextured(Shape s) {
        Texture t = analyse(texture.getImage());
        g.setColor(t.base());
        g.fill(s);
        if (t.runs().length == 0) {
            return;
        }
        Rectangle2D anchor = texture.getAnchorRect();
        BufferedImage img = texture.getImage();
        double sx = anchor.getWidth() / img.getWidth();
        double sy = anchor.getHeight() / img.getHeight();
        Rectangle2D b = s.getBounds2D();
        Shape clip = g.getClip();
        if (clip != null) {
            b = b.createIntersection(clip.getBounds2D());
        }
        if (b.isEmpty()) {
            return;
        }
        long tx0 = (long) Math.floor((b.getMinX() - anchor.getX()) / anchor.getWidth());
        long tx1 = (long) Math.floor((b.getMaxX() - anchor.getX()) / anchor.getWidth());
        long ty0 = (long) Math.floor((b.getMinY() - anchor.getY()) / anchor.getHeight());
        long ty1 = (long) Math.floor((b.getMaxY() - anchor.getY()) / anchor.getHeight());
        if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) * t.runs().length > MAX_MARKS) {
            return;
        }
        Path2D.Double marks = new Path2D.Double();
        for (long ty = ty0; ty <= ty1; ty++) {
            double oy = anchor.getY() + ty * anchor.getHeight();
            for (int[] run : t.runs()) {
                // a run that touches both tile edges joins its neighbours: one long stripe for the whole row
                boolean full = run[0] == 0 && run[2] == img.getWidth();
                if (full) {
                    double x0 = anchor.getX() + tx0 * anchor.getWidth();
                    double x1 = anchor.getX() + (tx1 + 1) * anchor.getWidth();
                    marks.append(new Rectangle2D.Double(x0, oy + run[1] * sy, x1 - x0, sy), false);
                    continue;
                }
                for (long tx = tx0; tx <= tx1; tx++) {
                    double ox = anchor.getX() + tx * anchor.getWidth();
                    marks.append(new Rectangle2D.Double(ox + run[0] * sx, oy + run[1] * sy, run[2] * sx, sy), false);
                }
            }
        }
        g.setColor(t.mark());
        Shape old = g.getClip();
        g.clip(s);
        g.fill(marks);
        g.setClip(old);
    }

    // ------------------------------------------------------------------ paint state

    @Override
    public void setPaint(Paint paint) {
        if (paint instanceof TexturePaint tp) {
            texture = tp;
            g.setColor(analyse(tp.getImage()).base());
        } else {
            texture = null;
            g.setPaint(paint);
        }
    }

    @Override
    public Paint getPaint() {
        return texture != null ? texture : g.getPaint();
    }

    @Override
    public void setColor(Color c) {
        texture = null;
        g.setColor(c);
    }

    @Override
    public Color getColor() {
        return g.getColor();
    }

    // ------------------------------------------------------------------ fills

    @Override
    public void fill(Shape s) {
        if (texture != null) {
            fillTextured(s);
        } else {
            g.fill(s);
        }
    }

    @Override
    public void fillRect(int x, int y, int width, int height) {
        if (texture != null) {
            fillTextured(new Rectangle(x, y, width, height));
        } else {
            g.fillRect(x, y, width, height);
        }
    }

    @Override
    public void fillRoundRect(int x, int y, int width, int height, int arcWidth, int arcHeight) {
        if (texture != null) {
            fillTextured(new RoundRectangle2D.Double(x, y, width, height, arcWidth, arcHeight));
        } else {
            g.fillRoundRect(x, y, width, height, arcWidth, arcHeight);
        }
    }

    @Override
    public void fillOval(int x, int y, int width, int height) {
        if (texture != null) {
            fillTextured(new Ellipse2D.Double(x, y, width, height));
        } else {
            g.fillOval(x, y, width, height);
        }
    }

    @Override
    public void fillArc(int x, int y, int width, int height, int startAngle, int arcAngle) {
        if (texture != null) {
            fillTextured(new Arc2D.Double(x, y, width, height, startAngle, arcAngle, Arc2D.PIE));
        } else {
            g.fillArc(x, y, width, height, startAngle, arcAngle);
        }
    }

    @Override
    public void fillPolygon(int[] xPoints, int[] yPoints, int nPoints) {
        if (texture != null) {
            fillTextured(new Polygon(xPoints, yPoints, nPoints));
        } else {
            g.fillPolygon(xPoints, yPoints, nPoints);
        }
    }

    // ------------------------------------------------------------------ the rest passes through

    @Override
    public Graphics create() {
        VectorPatterns c = new VectorPatterns((Graphics2D) g.create(), analysed);
        c.texture = texture;
        return c;
    }

    @Override
    public void dispose() {
        g.dispose();
    }

    @Override
    public void draw(Shape s) {
        g.draw(s);
    }

    @Override
    public boolean drawImage(Image img, AffineTransform xform, ImageObserver obs) {
        return g.drawImage(img, xform, obs);
    }

    @Override
    public void drawImage(BufferedImage img, BufferedImageOp op, int x, int y) {
        g.drawImage(img, op, x, y);
    }

    @Override
    public void drawRenderedImage(RenderedImage img, AffineTransform xform) {
        g.drawRenderedImage(img, xform);
    }

    @Override
    public void drawRenderableImage(RenderableImage img, AffineTransform xform) {
        g.drawRenderableImage(img, xform);
    }

    @Override
    public void drawString(String str, int x, int y) {
        g.drawString(str, x, y);
    }

    @Override
    public void drawString(String str, float x, float y) {
        g.drawString(str, x, y);
    }

    @Override
    public void drawString(AttributedCharacterIterator iterator, int x, int y) {
        g.drawString(iterator, x, y);
    }

    @Override
    public void drawString(AttributedCharacterIterator iterator, float x, float y) {
        g.drawString(iterator, x, y);
    }

    @Override
    public void drawGlyphVector(GlyphVector gv, float x, float y) {
        g.drawGlyphVector(gv, x, y);
    }

    @Override
    public boolean hit(Rectangle rect, Shape s, boolean onStroke) {
        return g.hit(rect, s, onStroke);
    }

    @Override
    public GraphicsConfiguration getDeviceConfiguration() {
        return g.getDeviceConfiguration();
    }

    @Override
    public void setComposite(Composite comp) {
        g.setComposite(comp);
    }

    @Override
    public void setStroke(Stroke s) {
        g.setStroke(s);
    }

    @Override
    public void setRenderingHint(RenderingHints.Key hintKey, Object hintValue) {
        g.setRenderingHint(hintKey, hintValue);
    }

    @Override
    public Object getRenderingHint(RenderingHints.Key hintKey) {
        if (hintKey == dev.daxviz.ui.grid.GridPainter.VECTOR_OUTPUT) {
            return Boolean.TRUE; // the grid paints its cells as shapes here, not as one image
        }
        return g.getRenderingHint(hintKey);
    }

    @Override
    public void setRenderingHints(Map<?, ?> hints) {
        g.setRenderingHints(hints);
    }

    @Override
    public void addRenderingHints(Map<?, ?> hints) {
        g.addRenderingHints(hints);
    }

    @Override
    public RenderingHints getRenderingHints() {
        return g.getRenderingHints();
    }

    @Override
    public void translate(int x, int y) {
        g.translate(x, y);
    }

    @Override
    public void translate(double tx, double ty) {
        g.translate(tx, ty);
    }

    @Override
    public void rotate(double theta) {
        g.rotate(theta);
    }

    @Override
    public void rotate(double theta, double x, double y) {
        g.rotate(theta, x, y);
    }

    @Override
    public void scale(double sx, double sy) {
        g.scale(sx, sy);
    }

    @Override
    public void shear(double shx, double shy) {
        g.shear(shx, shy);
    }

    @Override
    public void transform(AffineTransform tx) {
        g.transform(tx);
    }

    @Override
    public void setTransform(AffineTransform tx) {
        g.setTransform(tx);
    }

    @Override
    public AffineTransform getTransform() {
        return g.getTransform();
    }

    @Override
    public Composite getComposite() {
        return g.getComposite();
    }

    @Override
    public void setBackground(Color color) {
        g.setBackground(color);
    }

    @Override
    public Color getBackground() {
        return g.getBackground();
    }

    @Override
    public Stroke getStroke() {
        return g.getStroke();
    }

    @Override
    public void clip(Shape s) {
        g.clip(s);
    }

    @Override
    public FontRenderContext getFontRenderContext() {
        return g.getFontRenderContext();
    }

    @Override
    public void setPaintMode() {
        g.setPaintMode();
    }

    @Override
    public void setXORMode(Color c1) {
        g.setXORMode(c1);
    }

    @Override
    public Font getFont() {
        return g.getFont();
    }

    @Override
    public void setFont(Font font) {
        g.setFont(font);
    }

    @Override
    public FontMetrics getFontMetrics(Font f) {
        return g.getFontMetrics(f);
    }

    @Override
    public Rectangle getClipBounds() {
        return g.getClipBounds();
    }

    @Override
    public void clipRect(int x, int y, int width, int height) {
        g.clipRect(x, y, width, height);
    }

    @Override
    public void setClip(int x, int y, int width, int height) {
        g.setClip(x, y, width, height);
    }

    @Override
    public Shape getClip() {
        return g.getClip();
    }

    @Override
    public void setClip(Shape clip) {
        g.setClip(clip);
    }

    @Override
    public void copyArea(int x, int y, int width, int height, int dx, int dy) {
        g.copyArea(x, y, width, height, dx, dy);
    }

    @Override
    public void drawLine(int x1, int y1, int x2, int y2) {
        g.drawLine(x1, y1, x2, y2);
    }

    @Override
    public void clearRect(int x, int y, int width, int height) {
        g.clearRect(x, y, width, height);
    }

    @Override
    public void drawRoundRect(int x, int y, int width, int height, int arcWidth, int arcHeight) {
        g.drawRoundRect(x, y, width, height, arcWidth, arcHeight);
    }

    @Override
    public void drawOval(int x, int y, int width, int height) {
        g.drawOval(x, y, width, height);
    }

    @Override
    public void drawArc(int x, int y, int width, int height, int startAngle, int arcAngle) {
        g.drawArc(x, y, width, height, startAngle, arcAngle);
    }

    @Override
    public void drawPolyline(int[] xPoints, int[] yPoints, int nPoints) {
        g.drawPolyline(xPoints, yPoints, nPoints);
    }

    @Override
    public void drawPolygon(int[] xPoints, int[] yPoints, int nPoints) {
        g.drawPolygon(xPoints, yPoints, nPoints);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, ImageObserver observer) {
        return g.drawImage(img, x, y, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, int width, int height, ImageObserver observer) {
        return g.drawImage(img, x, y, width, height, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, Color bgcolor, ImageObserver observer) {
        return g.drawImage(img, x, y, bgcolor, observer);
    }

    @Override
    public boolean drawImage(Image img, int x, int y, int width, int height, Color bgcolor, ImageObserver observer) {
        return g.drawImage(img, x, y, width, height, bgcolor, observer);
    }

    @Override
    public boolean drawImage(Image img, int dx1, int dy1, int dx2, int dy2, int sx1, int sy1, int sx2, int sy2,
                             ImageObserver observer) {
        return g.drawImage(img, dx1, dy1, dx2, dy2, sx1, sy1, sx2, sy2, observer);
    }

    @Override
    public boolean drawImage(Image img, int dx1, int dy1, int dx2, int dy2, int sx1, int sy1, int sx2, int sy2,
                             Color bgcolor, ImageObserver observer) {
        return g.drawImage(img, dx1, dy1, dx2, dy2, sx1, sy1, sx2, sy2, bgcolor, observer);
    }
}
