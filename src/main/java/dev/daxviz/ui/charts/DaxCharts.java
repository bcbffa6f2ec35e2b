package dev.daxviz.ui.charts;

import dev.daxviz.model.Units;
import dev.daxviz.ui.grid.PageClass;
import dev.daxviz.ui.theme.Fonts;
import dev.daxviz.ui.theme.Palette;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The JFreeChart charts of {@link ChartData}, themed from a {@link Palette}: backgrounds, text and grid lines from
 * the palette, series colours from its page-class colours, fonts Inter scaled by the palette. Charts are plain
 * values; {@link ChartsPainter} draws them with {@code JFreeChart.draw(Graphics2D, Rectangle2D)} on screen and
 * into files alike.
 */
public final class DaxCharts {
    /** Page classes in the order the charts list them. */
    static final PageClass[] CLASS_ORDER = {PageClass.DATA, PageClass.SHARED, PageClass.METADATA, PageClass.LOG,
        PageClass.FREE, PageClass.RESERVE};

    private DaxCharts() {
    }

    /** The chart theme of a palette. */
    public static StandardChartTheme theme(Palette p) {
        float s = p.fontScale();
        StandardChartTheme t = new StandardChartTheme("DaxViz " + p.name(), false);
        t.setExtraLargeFont(Fonts.uiBold(14f * s));
        t.setLargeFont(Fonts.ui(12f * s));
        t.setRegularFont(Fonts.ui(11f * s));
        t.setSmallFont(Fonts.ui(10f * s));
        t.setTitlePaint(p.text());
        t.setSubtitlePaint(p.mutedText());
        t.setChartBackgroundPaint(p.panel());
        t.setLegendBackgroundPaint(p.panel());
        t.setLegendItemPaint(p.text());
        t.setPlotBackgroundPaint(p.background());
        t.setPlotOutlinePaint(p.gridLine());
        t.setDomainGridlinePaint(p.gridLine());
        t.setRangeGridlinePaint(p.gridLine());
        t.setBaselinePaint(p.mutedText());
        t.setAxisLabelPaint(p.mutedText());
        t.setTickLabelPaint(p.text());
        t.setItemLabelPaint(p.text());
        t.setShadowVisible(false);
        t.setBarPainter(new StandardBarPainter());
        t.setAxisOffset(RectangleInsets.ZERO_INSETS);
        t.setDrawingSupplier(new DefaultDrawingSupplier(new Paint[] {p.data(), p.shared(), p.metadata(), p.free(),
            p.poison(), p.log(), p.reserve()}, new Paint[] {p.panel()}, new Paint[] {p.gridLine()},
                DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE, DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        return t;
    }

    public static Color colourOf(Palette p, PageClass c) {
        return dev.daxviz.ui.grid.Patterns.colour(p, c);
    }

    static String shortName(PageClass c) {
        return switch (c) {
            case FREE -> "free";
            case DATA -> "file data";
            case SHARED -> "shared data";
            case METADATA -> "metadata";
            case LOG -> "journal";
            case RESERVE -> "fsdax reserve";
        };
    }

    // ------------------------------------------------------------------ the four charts

    /** Pages per owner class on the device: horizontal bars on a log scale, each labelled with its count and size. */
    public static JFreeChart pageClasses(ChartData d, Palette p) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        Color[] colours = new Color[CLASS_ORDER.length];
        int k = 0;
        for (PageClass c : CLASS_ORDER) {
            long n = d.classes().getOrDefault(c, 0L);
            if (n > 0) {
                ds.addValue(n, "pages", shortName(c));
                colours[k++] = colourOf(p, c);
            }
        }
        JFreeChart ch = ChartFactory.createBarChart("Pages per owner class", null, "pages (log scale)", ds,
                PlotOrientation.HORIZONTAL, false, false, false);
        theme(p).apply(ch);
        CategoryPlot plot = ch.getCategoryPlot();
        LogAxis axis = new TextLogAxis("pages (log scale)");
        axis.setBase(10);
        axis.setSmallestValue(0.5);
        axis.setNumberFormatOverride(new Compact());
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1), false, false); // every power of ten
        axis.setMinorTickMarksVisible(false);
        axis.setLowerBound(0.5);
        double max = 1;
        for (long v : d.classes().values()) {
            max = Math.max(max, v);
        }
        // the longest bar ends at 60 % of the axis: room for its label on the right
        double m = Math.log10(max) + 0.3;
        axis.setUpperBound(Math.pow(10, m / 0.6 - 0.3));
        styleAxis(axis, p);
        plot.setRangeAxis(axis);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        BarRenderer r = new ColouredBarRenderer(colours);
        r.setBase(0.5);
        plot.setRenderer(r);
        barStyle(r, p);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            private static final long serialVersionUID = 1L;

            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                long n = dataset.getValue(row, column).longValue();
                return " " + grouped().format(n) + " · " + size(n * Units.PAGE_SIZE);
            }
        });
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        finish(ch, plot, p);
        return ch;
    }

    /** How many owners each data page has: 1 for a private page, the refcount for a reflinked one. */
    public static JFreeChart shareCounts(ChartData d, Palette p) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        int n = 0;
        Color[] colours = new Color[d.shares().size()];
        for (Map.Entry<Integer, Long> e : d.shares().entrySet()) {
            ds.addValue(e.getValue(), "data pages", e.getKey() == 1 ? "1 (private)" : e.getKey() + " owners");
            colours[n++] = e.getKey() == 1 ? p.data() : p.shared();
        }
        JFreeChart ch = ChartFactory.createBarChart("Share count of data pages", "owners of the page", "data pages", ds,
                PlotOrientation.VERTICAL, false, false, false);
        theme(p).apply(ch);
        CategoryPlot plot = ch.getCategoryPlot();
        plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(grouped());
        plot.getRangeAxis().setUpperMargin(0.15);
        BarRenderer r = new ColouredBarRenderer(colours);
        plot.setRenderer(r);
        barStyle(r, p);
        r.setMaximumBarWidth(0.18);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", grouped()));
        r.setDefaultItemLabelsVisible(true);
        plot.setNoDataMessage("no file data on this device");
        finish(ch, plot, p);
        return ch;
    }

    /** SIGBUS per process in the event: action required (AR) and action optional (AO), stacked. */
    public static JFreeChart signals(ChartData d, Palette p) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (Map.Entry<String, int[]> e : d.signals().entrySet()) {
            ds.addValue(e.getValue()[0], "AR (action required)", e.getKey());
            ds.addValue(e.getValue()[1], "AO (action optional)", e.getKey());
        }
        JFreeChart ch = ChartFactory.createStackedBarChart("Signals per process", null, "SIGBUS sent", ds,
                PlotOrientation.HORIZONTAL, true, false, false);
        theme(p).apply(ch);
        eventSubtitle(ch, d, p);
        CategoryPlot plot = ch.getCategoryPlot();
        plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.getRangeAxis().setUpperMargin(0.1);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        barStyle(r, p);
        r.setMinimumBarLength(0); // a zero in a stack draws nothing
        r.setSeriesPaint(0, p.poison());
        r.setSeriesPaint(1, mix(p.poison(), p.background(), 0.5f));
        r.setMaximumBarWidth(0.12);
        plot.setNoDataMessage(d.eventLabel() == null ? "no failure event on screen" : "no process was signalled");
        finish(ch, plot, p);
        return ch;
    }

    /** What the reverse map reported as owners of the poisoned range, per AG. */
    public static JFreeChart ownersPerAg(ChartData d, Palette p) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        boolean any = d.totalOwners() > 0;
        for (Map.Entry<String, long[]> e : d.owners().entrySet()) {
            for (int k = 0; k < ChartData.OWNER_KINDS.length; k++) {
                ds.addValue(e.getValue()[k], ChartData.OWNER_KINDS[k], e.getKey());
            }
        }
        JFreeChart ch = ChartFactory.createStackedBarChart("Owners per AG", null, "owners found", any ? ds
                : new DefaultCategoryDataset(), PlotOrientation.VERTICAL, true, false, false);
        theme(p).apply(ch);
        eventSubtitle(ch, d, p);
        CategoryPlot plot = ch.getCategoryPlot();
        plot.getRangeAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.getRangeAxis().setUpperMargin(0.1);
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        barStyle(r, p);
        r.setMinimumBarLength(0); // a zero in a stack draws nothing
        r.setSeriesPaint(0, p.data());
        r.setSeriesPaint(1, p.shared());
        r.setSeriesPaint(2, p.metadata());
        r.setSeriesPaint(3, p.free());
        r.setDrawBarOutline(true);
        for (int k = 0; k < 4; k++) {
            r.setSeriesOutlinePaint(k, p.gridLine());
        }
        r.setMaximumBarWidth(0.16);
        plot.setNoDataMessage(d.eventLabel() == null ? "no failure event on screen" : "the reverse map was not asked");
        finish(ch, plot, p);
        return ch;
    }

    // ------------------------------------------------------------------ styling

    private static void eventSubtitle(JFreeChart ch, ChartData d, Palette p) {
        TextTitle t = new TextTitle(d.eventLabel() == null ? "no failure event on screen" : d.eventLabel()
                + " (whole event)", Fonts.ui(11f * p.fontScale()));
        t.setPaint(p.mutedText());
        ch.addSubtitle(t);
    }

    private static void barStyle(BarRenderer r, Palette p) {
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setItemMargin(0.05);
        r.setDefaultItemLabelFont(Fonts.ui(10.5f * p.fontScale()));
        r.setDefaultItemLabelPaint(p.text());
        r.setMinimumBarLength(2);
    }

    private static void styleAxis(org.jfree.chart.axis.Axis a, Palette p) {
        a.setLabelFont(Fonts.ui(11f * p.fontScale()));
        a.setLabelPaint(p.mutedText());
        a.setTickLabelFont(Fonts.ui(10.5f * p.fontScale()));
        a.setTickLabelPaint(p.text());
        a.setAxisLinePaint(p.gridLine());
        a.setTickMarkPaint(p.gridLine());
    }

    private static void finish(JFreeChart ch, CategoryPlot plot, Palette p) {
        ch.setAntiAlias(true);
        ch.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        ch.getRenderingHints().put(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        ch.setBorderVisible(false);
        ch.setPadding(new RectangleInsets(6, 8, 6, 8));
        plot.setOutlineVisible(false);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainGridlinesVisible(false);
        plot.setNoDataMessageFont(Fonts.ui(12f * p.fontScale()));
        plot.setNoDataMessagePaint(p.mutedText());
        CategoryAxis dom = plot.getDomainAxis();
        dom.setCategoryMargin(0.25);
        dom.setMaximumCategoryLabelLines(2);
        styleAxis(dom, p);
        styleAxis(plot.getRangeAxis(), p);
        if (ch.getLegend() != null) {
            ch.getLegend().setItemFont(Fonts.ui(10.5f * p.fontScale()));
            ch.getLegend().setItemPaint(p.text());
            ch.getLegend().setBackgroundPaint(p.panel());
            ch.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        ch.getTitle().setFont(Fonts.uiBold(13f * p.fontScale()));
        ch.getTitle().setPaint(p.text());
    }

    /** A size to three figures: "16 KiB", "11.4 MiB", "1.0 TiB". */
    static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes / 1024.0;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    /** Axis numbers for a log scale: 1, 10, 100, 1k, 10k, 100k, 1M … */
    static final class Compact extends NumberFormat {
        private static final long serialVersionUID = 1L;
        private static final String[] SUFFIX = {"", "k", "M", "G", "T", "P"};

        @Override
        public StringBuffer format(double v, StringBuffer b, java.text.FieldPosition pos) {
            int k = 0;
            double x = v;
            while (Math.abs(x) >= 1000 && k < SUFFIX.length - 1) {
                x /= 1000;
                k++;
            }
            return b.append(x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x))
                    .append(SUFFIX[k]);
        }

        @Override
        public StringBuffer format(long v, StringBuffer b, java.text.FieldPosition pos) {
            return format((double) v, b, pos);
        }

        @Override
        public Number parse(String source, java.text.ParsePosition pos) {
            return null;
        }
    }

    static NumberFormat grouped() {
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setGroupingSize(3);
        return f;
    }

    static Color mix(Color a, Color b, float t) {
        return BlastRadiusPainter.mix(a, b, t);
    }

    /**
     * A log axis whose tick labels are plain strings: LogAxis labels are attributed strings, which SVG output would
     * turn into outlines; plain labels stay text.
     */
    static final class TextLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        TextLogAxis(String label) {
            super(label);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public java.util.List refreshTicks(java.awt.Graphics2D g2, org.jfree.chart.axis.AxisState state,
                                           java.awt.geom.Rectangle2D dataArea, org.jfree.chart.ui.RectangleEdge edge) {
            java.util.List out = new java.util.ArrayList();
            for (Object o : super.refreshTicks(g2, state, dataArea, edge)) {
                if (o instanceof org.jfree.chart.axis.LogTick t) {
                    String text = t.getAttributedLabel() == null ? "" : plain(t.getAttributedLabel());
                    out.add(new org.jfree.chart.axis.NumberTick(t.getTickType(), t.getValue(), text, t.getTextAnchor(),
                            t.getRotationAnchor(), t.getAngle()));
                } else {
                    out.add(o);
                }
            }
            return out;
        }

        private static String plain(java.text.AttributedString s) {
            StringBuilder b = new StringBuilder();
            java.text.AttributedCharacterIterator it = s.getIterator();
            for (char c = it.first(); c != java.text.CharacterIterator.DONE; c = it.next()) {
                b.append(c);
            }
            return b.toString();
        }
    }

    /** A bar renderer with one colour per category (a single series coloured by what each bar counts). */
    static final class ColouredBarRenderer extends BarRenderer {
        private static final long serialVersionUID = 1L;
        private final Color[] colours;

        ColouredBarRenderer(Color[] colours) {
            this.colours = colours.clone();
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            return column < colours.length && colours[column] != null ? colours[column] : super.getItemPaint(row, column);
        }
    }
}
