package dev.daxviz.ui;

import dev.daxviz.realkernel.DiffRow;
import dev.daxviz.realkernel.FakeQemu;
import dev.daxviz.realkernel.VerifyOptions;
import dev.daxviz.realkernel.VerifyReport;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.swing.JDialog;
import javax.swing.JTabbedPane;
import javax.swing.JTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario ▸ Check against a real kernel, driven by a robot with a fake qemu that prints a real 6.12 oops (the
 * prototype's console log) where the default lesson's simulation on 6.1 has none: the dialog must say the kernels
 * differ and open on the event, with the oops row marked. The real VM runs are RealKernelTest's.
 */
class RealKernelDialogRobotTest extends WindowRobotTest {
    @TempDir
    Path dir;

    @Test
    void aDifferingRunOpensOnTheEventWithTheDifferenceMarked() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        FakeQemu.installKernel(cache);
        Path console = dir.resolve("oops.txt");
        Files.writeString(console, FakeQemu.oopsConsole());
        Path qemu = FakeQemu.write(dir, "printf 'INIT uptime=2.7 kernel=6.1.0-99-amd64\\nSETUP-END uptime=5\\n"
                + "EVENT i=0 n=1/1 kind=poison uptime=5\\nPAGE p=0 pfn=0x40619 how=exact role=/data/a.bin+4096\\n'"
                + " > \"$proto\"\ncat '" + console + "' > \"$con\"\n");
        GuiActionRunner.execute(() -> main().setRealKernelOptions(() -> VerifyOptions.defaults().withOffline(true)
                .withCacheRoot(cache).withQemu(qemu).withLogsDir(dir.resolve("logs"))
                .withDeadlines(Duration.ofSeconds(30), Duration.ofSeconds(60))));
        window.menuItem("checkRealKernel").click();
        DialogFixture d = window.dialog(new GenericTypeMatcher<JDialog>(JDialog.class) {
            @Override
            protected boolean isMatching(JDialog dlg) {
                return dlg.isShowing() && "realKernelDialog".equals(dlg.getName());
            }
        }, Timeout.timeout(10000));
        d.comboBox("realKernel.kernel").requireSelection("6.1");
        d.button("realKernel.start").click();
        RealKernelDialog dialog = (RealKernelDialog) d.target();
        Pause.pause(new Condition("the check finished") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> dialog.report() != null);
            }
        }, Timeout.timeout(120000));
        VerifyReport r = GuiActionRunner.execute(dialog::report);
        assertThat(r.verdict()).isEqualTo(VerifyReport.Verdict.DIFFER);
        assertThat(d.label("realKernel.verdict").text()).contains("differs from the simulation");
        // it opens on the first tab that differs (the fake guest printed no setup lines, so that is the setup), and
        // every tab that differs is marked
        JTabbedPane tabs = GuiActionRunner.execute(() -> (JTabbedPane) dialog.getContentPane().getComponent(1));
        String first = r.differences().get(0).event() == null ? "Setup" : "Event " + r.differences().get(0).event();
        assertThat(GuiActionRunner.execute(() -> tabs.getTitleAt(tabs.getSelectedIndex()))).startsWith(first);
        int event0 = GuiActionRunner.execute(() -> tabs.indexOfTab("Event 0 (poison)"));
        assertThat(GuiActionRunner.execute(() -> tabs.getForegroundAt(event0))).isEqualTo(main().palette().poison());
        GuiActionRunner.execute(() -> tabs.setSelectedIndex(event0));
        JTable rows = GuiActionRunner.execute(() -> findTable(tabs.getComponentAt(event0)));
        int oops = -1;
        for (int i = 0; i < GuiActionRunner.execute(rows::getRowCount); i++) {
            int row = i;
            if (GuiActionRunner.execute(() -> rows.getValueAt(row, 1)).toString().startsWith("oops")) {
                oops = i;
            }
        }
        assertThat(oops).as("an oops row").isNotNegative();
        int at = oops;
        assertThat(GuiActionRunner.execute(() -> rows.getValueAt(at, 0))).isEqualTo("≠");
        assertThat(GuiActionRunner.execute(() -> rows.getValueAt(at, 3)).toString()).startsWith("dax_lock_folio");
        assertThat(r.differences()).extracting(DiffRow::field).contains("oops");
        d.button(org.assertj.swing.core.matcher.JButtonMatcher.withText("Close")).click();
    }

    private static JTable findTable(java.awt.Component c) {
        if (c instanceof JTable t) {
            return t;
        }
        if (c instanceof java.awt.Container k) {
            for (java.awt.Component x : k.getComponents()) {
                JTable t = findTable(x);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }
}
