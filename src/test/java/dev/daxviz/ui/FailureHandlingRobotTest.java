package dev.daxviz.ui;

import dev.daxviz.model.World;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.core.matcher.JButtonMatcher;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;

import javax.swing.SwingUtilities;
import java.awt.Dialog;
import java.awt.event.KeyEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure handling in the app (issue 9): an exception nobody caught shows the crash dialog (a plain message and
 * "Copy details") and the window goes on with its world; opening a big scenario can be cancelled and the world
 * the user had stays.
 */
class FailureHandlingRobotTest extends WindowRobotTest {
    private Thread.UncaughtExceptionHandler oldHandler;

    @Override
    protected void beforeOpen() {
        oldHandler = Thread.getDefaultUncaughtExceptionHandler();
    }

    @Override
    protected void afterClose() {
        Thread.setDefaultUncaughtExceptionHandler(oldHandler);
    }

    @Test
    void anUncaughtExceptionShowsTheCrashDialogAndTheWorldStays() {
        GuiActionRunner.execute(() -> CrashDialog.install(main()));
        World before = world();
        SwingUtilities.invokeLater(() -> {
            throw new IllegalStateException("a bug in a listener");
        });
        DialogFixture d = window.dialog(new GenericTypeMatcher<Dialog>(Dialog.class) {
            @Override
            protected boolean isMatching(Dialog x) {
                return x.isShowing() && "DaxViz: internal error".equals(x.getTitle());
            }
        }, Timeout.timeout(10000));
        d.button(JButtonMatcher.withText("Copy details")).requireVisible();
        d.button(JButtonMatcher.withText("Close")).click();
        assertThat(world()).isSameAs(before);
        // still usable: a step forward plays the trace
        window.robot().click(main().grid());
        window.robot().pressAndReleaseKey(KeyEvent.VK_RIGHT);
        window.robot().waitForIdle();
        assertThat(GuiActionRunner.execute(() -> main().player().step())).isGreaterThanOrEqualTo(0);
    }

    @Test
    void openingABigScenarioCanBeCancelledAndTheWorldStays() {
        World before = world();
        String title = GuiActionRunner.execute(() -> main().getTitle());
        javax.swing.JLabel status = window.label("status").target();
        GuiActionRunner.execute(() -> main().openSource("builtin:big-1tib"));
        javax.swing.JButton cancel = window.button("cancelOpen").requireVisible().target();
        window.robot().click(cancel);
        Pause.pause(new Condition("the open was cancelled") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> status.getText().contains("cancelled"));
            }
        }, Timeout.timeout(10000));
        Pause.pause(3000); // the build it abandoned may still finish in the background: it must not show
        assertThat(world()).isSameAs(before);
        assertThat(GuiActionRunner.execute(() -> main().getTitle())).isEqualTo(title);
        assertThat(GuiActionRunner.execute(() -> cancel.isVisible())).as("Cancel hides once the open is over").isFalse();
    }
}
