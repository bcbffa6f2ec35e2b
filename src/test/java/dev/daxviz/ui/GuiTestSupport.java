package dev.daxviz.ui;

import org.assertj.swing.edt.FailOnThreadViolationRepaintManager;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;

import java.awt.GraphicsEnvironment;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Starting the window for robot tests: skipped without a display, unless -Ddaxviz.gui.required=true. */
final class GuiTestSupport {
    private GuiTestSupport() {
    }

    static void requireDisplay() {
        boolean headless = GraphicsEnvironment.isHeadless();
        if (headless && Boolean.getBoolean("daxviz.gui.required")) {
            throw new AssertionError("no display, but daxviz.gui.required=true: run under xvfb-run (see .ci/run)");
        }
        assumeFalse(headless, "no display: GUI robot test skipped");
        FailOnThreadViolationRepaintManager.install();
    }

    static FrameFixture open(String scenario) {
        MainWindow w = GuiActionRunner.execute(() -> {
            dev.daxviz.ui.theme.Fonts.install();
            com.formdev.flatlaf.FlatLightLaf.setup();
            return new MainWindow();
        });
        FrameFixture f = new FrameFixture(w);
        f.show(new java.awt.Dimension(1600, 1000));
        GuiActionRunner.execute(() -> w.openSource(scenario));
        Pause.pause(new Condition("scenario " + scenario + " loaded") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> w.session().state() != null
                        && w.session().state().scenario().source().equals(scenario));
            }
        }, Timeout.timeout(20000));
        return f;
    }
}
