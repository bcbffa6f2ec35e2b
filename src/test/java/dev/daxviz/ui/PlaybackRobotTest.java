package dev.daxviz.ui;

import dev.daxviz.engine.TraceStep;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.event.KeyEvent;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stepping and playing the default lesson's trace with the keyboard. */
class PlaybackRobotTest {
    private FrameFixture window;

    @BeforeEach
    void start() {
        GuiTestSupport.requireDisplay();
        window = GuiTestSupport.open("builtin:default");
        window.robot().click(((MainWindow) window.target()).grid());
    }

    @AfterEach
    void stop() {
        if (window != null) {
            window.cleanUp();
        }
    }

    private MainWindow main() {
        return (MainWindow) window.target();
    }

    private List<TraceStep> trace() {
        return GuiActionRunner.execute(() -> main().session().state().events().stream()
                .filter(e -> e.result() != null).findFirst().orElseThrow().result().trace());
    }

    private void key(int code) {
        window.robot().pressAndReleaseKey(code);
        window.robot().waitForIdle();
    }

    @Test
    void steppingForwardShowsEachStepsNarrationAndFunction() {
        List<TraceStep> trace = trace();
        assertThat(trace.size()).isGreaterThan(5);
        for (int i = 0; i < trace.size(); i++) {
            key(KeyEvent.VK_RIGHT);
            TraceStep step = trace.get(i);
            String narration = GuiActionRunner.execute(() -> main().story().narrationText());
            String top = GuiActionRunner.execute(() -> main().story().currentFunction());
            assertThat(top).as("function at step %d", i + 1).isEqualTo(step.function());
            assertThat(narration).as("narration at step %d", i + 1).contains(step.narration().substring(0,
                    Math.min(40, step.narration().length())));
            window.label("counter").requireText((i + 1) + "/" + trace.size());
        }
    }

    @Test
    void leftReturnsToTheSameFrame() {
        key(KeyEvent.VK_RIGHT);
        key(KeyEvent.VK_RIGHT);
        key(KeyEvent.VK_RIGHT);
        PlaybackSnapshot third = GuiActionRunner.execute(() -> dev.daxviz.ui.playback.Snapshots.at(
                main().player().timeline(), main().player().step(), 1f));
        key(KeyEvent.VK_RIGHT);
        key(KeyEvent.VK_LEFT);
        PlaybackSnapshot back = GuiActionRunner.execute(() -> dev.daxviz.ui.playback.Snapshots.at(
                main().player().timeline(), main().player().step(), 1f));
        assertThat(back).isEqualTo(third);
        window.label("counter").requireText("3/" + trace().size());
    }

    @Test
    void spacePlaysAndPauses() {
        key(KeyEvent.VK_SPACE);
        Pause.pause(new Condition("playback advances") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> main().player().step() >= 2);
            }
        }, Timeout.timeout(10000));
        assertThat(GuiActionRunner.execute(() -> main().player().playing())).isTrue();
        key(KeyEvent.VK_SPACE);
        int at = GuiActionRunner.execute(() -> main().player().step());
        assertThat(GuiActionRunner.execute(() -> main().player().playing())).isFalse();
        Pause.pause(800);
        assertThat(GuiActionRunner.execute(() -> main().player().step())).isEqualTo(at);
    }
}
