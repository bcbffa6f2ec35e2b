package dev.daxviz.ui;

import dev.daxviz.model.World;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every robot test of the window shares: a display (or the skip, or the failure CI asks for), the window open
 * on a scenario before each test, and closed after it.
 */
abstract class WindowRobotTest {
    protected FrameFixture window;

    /** The scenario the window opens on. */
    protected String startScenario() {
        return "builtin:default";
    }

    /** Runs before the window opens (a test that changes global state saves it here). */
    protected void beforeOpen() {
    }

    /** Runs after the window is closed. */
    protected void afterClose() {
    }

    @BeforeEach
    final void openWindow() {
        GuiTestSupport.requireDisplay();
        beforeOpen();
        window = GuiTestSupport.open(startScenario());
    }

    @AfterEach
    final void closeWindow() {
        if (window != null) {
            window.cleanUp();
        }
        afterClose();
    }

    protected MainWindow main() {
        return (MainWindow) window.target();
    }

    protected World world() {
        return GuiActionRunner.execute(() -> main().session().state().world());
    }
}
