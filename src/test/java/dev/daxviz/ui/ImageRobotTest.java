package dev.daxviz.ui;

import dev.daxviz.importer.disk.XfsTestImages;
import dev.daxviz.model.Inode;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;

import java.awt.Dialog;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** File ▸ Open XFS image…, driven by a robot: a real image opens as a world; a damaged one is a dialog. */
class ImageRobotTest extends WindowRobotTest {
    @Override
    protected void beforeOpen() {
        XfsTestImages.requireTools();
    }

    @Test
    void anImageOpensAndItsPagesShowTheirRealOwners() throws Exception {
        Path img = XfsTestImages.protofile(); // made by mkfs.xfs -p: no mount needed
        GuiActionRunner.execute(() -> main().openImage(img));
        Pause.pause(new Condition("image imported") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> main().session().state().scenario().source()
                        .equals(img.toString()));
            }
        }, Timeout.timeout(30000));
        World w = world();
        long agblocks = Long.parseLong(XfsTestImages.xfsDb(img, "sb 0", "print agblocks").get(0)
                .replace("agblocks = ", "").trim());
        assertThat((long) w.fs().geometry().agblocks()).isEqualTo(agblocks);
        assertThat(window.target().getTitle()).contains(img.getFileName().toString());
        // the first page of /big: the inspector names it from the image's own reverse map
        Inode big = w.fs().byPath("/big");
        long pfn = w.addressing().ofFile("/big", 0).pfn();
        Rectangle r = GuiActionRunner.execute(() -> {
            main().grid().reveal(pfn);
            return main().grid().screenRectOf(pfn);
        });
        window.robot().click(main().grid(), new java.awt.Point(r.x + r.width / 2, r.y + r.height / 2),
                MouseButton.LEFT_BUTTON, 1);
        window.robot().waitForIdle();
        window.label("inspector.title").requireText("Page " + Units.hex(pfn));
        window.label("inspector.file./big").requireText("+0 B  (ino " + big.ino() + ")");
    }

    @Test
    void aDamagedImageIsADialogAndTheWorldStays() throws Exception {
        Path bad = XfsTestImages.copy(XfsTestImages.empty(4096, 4), "robot-bad-sb.img");
        byte[] b = Files.readAllBytes(bad);
        b[100] ^= 0x01; // in the superblock: its CRC no longer matches
        Files.write(bad, b);
        World before = world();
        GuiActionRunner.execute(() -> main().openImage(bad));
        DialogFixture d = window.dialog(new GenericTypeMatcher<Dialog>(Dialog.class) {
            @Override
            protected boolean isMatching(Dialog dlg) {
                return dlg.isShowing() && ("Cannot read " + bad.getFileName()).equals(dlg.getTitle());
            }
        }, Timeout.timeout(15000));
        assertThat(d.optionPane().target().getMessage().toString()).contains("superblock").contains(" — ");
        d.optionPane().okButton().click();
        assertThat(world()).isSameAs(before);
    }
}
