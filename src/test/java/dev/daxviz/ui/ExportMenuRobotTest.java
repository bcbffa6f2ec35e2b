package dev.daxviz.ui;

import dev.daxviz.ui.export.ExportMenu;
import dev.daxviz.ui.export.Exporter;
import dev.daxviz.ui.export.Headless;
import dev.daxviz.ui.export.RenderSpec;
import dev.daxviz.ui.export.Scene;
import dev.daxviz.ui.export.View;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.swing.JMenu;
import javax.swing.SwingUtilities;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's Export menu: it exports what the window shows (its step, selection, zoom, size) and copies images. */
class ExportMenuRobotTest extends WindowRobotTest {

    private ExportMenu menu() {
        return GuiActionRunner.execute(() -> {
            for (int i = 0; i < main().getJMenuBar().getMenuCount(); i++) {
                JMenu m = main().getJMenuBar().getMenu(i);
                if (m instanceof ExportMenu e) {
                    return e;
                }
            }
            throw new AssertionError("no Export menu");
        });
    }

    @Test
    void theWindowExportIsTheWorkbenchAtItsSizeShowingItsStepAndSelection(@TempDir Path dir) throws Exception {
        ExportMenu m = menu();
        GuiActionRunner.execute(() -> {
            main().player().last();
            main().select(RenderTestPfns.METADATA);
            return null;
        });
        Scene s = GuiActionRunner.execute(m::scene);
        RenderSpec spec = GuiActionRunner.execute(() -> m.spec(1));
        Workbench wb = main().workbench();
        assertThat(s.step()).isEqualTo(GuiActionRunner.execute(() -> wb.shown().step()));
        assertThat(s.selectedPfn()).isEqualTo(RenderTestPfns.METADATA);
        assertThat(spec.view()).isEqualTo(View.WINDOW);
        assertThat(spec.width()).isEqualTo(GuiActionRunner.execute(wb::getWidth));
        Path png = dir.resolve("w.png");
        Exporter.write(s, spec, Exporter.Format.PNG, png); // off the EDT, as the menu's worker does
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(spec.width());
        Rectangle cell = GuiActionRunner.execute(() -> {
            Rectangle r = wb.grid().screenRectOf(RenderTestPfns.METADATA);
            Point at = SwingUtilities.convertPoint(wb.grid(), r.x, r.y, wb);
            return new Rectangle(at.x + 2, at.y + 2, r.width - 4, r.height - 4);
        });
        int metadata = wb.palette().metadata().getRGB();
        int hits = 0;
        for (int y = cell.y; y < cell.y + cell.height; y++) {
            for (int x = cell.x; x < cell.x + cell.width; x++) {
                hits += img.getRGB(x, y) == metadata ? 1 : 0;
            }
        }
        assertThat(hits).as("the metadata cell where the window shows it").isGreaterThan(cell.width * cell.height / 2);
        assertThat(Headless.find(m.getPopupMenu(), "export.svg")).isNotNull();
    }

    @Test
    void copyImagePutsTheWindowPictureOnTheClipboard() {
        window.menuItem("exportMenu").click();
        window.menuItem("export.copy").click();
        Pause.pause(new Condition("an image on the clipboard") {
            @Override
            public boolean test() {
                try {
                    return Toolkit.getDefaultToolkit().getSystemClipboard().isDataFlavorAvailable(DataFlavor.imageFlavor);
                } catch (IllegalStateException e) {
                    return false;
                }
            }
        }, Timeout.timeout(15000));
        int width = GuiActionRunner.execute(() -> main().workbench().getWidth());
        java.awt.Image img = GuiActionRunner.execute(() -> (java.awt.Image) Toolkit.getDefaultToolkit().getSystemClipboard()
                .getData(DataFlavor.imageFlavor));
        assertThat(img.getWidth(null)).isEqualTo(width);
    }

    /** Pages of the default lesson's device (data at pfn 0x100800; AG 0 agbno 5 is metadata). */
    static final class RenderTestPfns {
        static final long METADATA = 0x100805L;

        private RenderTestPfns() {
        }
    }
}
