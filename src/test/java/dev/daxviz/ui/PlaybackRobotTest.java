package dev.daxviz.ui;

import dev.daxviz.engine.TraceStep;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.event.KeyEvent;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stepping and playing the default lesson's trace with the keyboard. */
class PlaybackRobotTest extends WindowRobotTest {
    @BeforeEach
    void focusTheGrid() {
        window.robot().click(main().grid());
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

    /**
     * Played at 0.25× (2.4 s a step, about a minute for the lesson), so the robot's own wait for an idle event queue
     * (which a playing animation keeps busy for up to its 10 s timeout) cannot let playback reach the end before the
     * second Space: at 1× a slow machine did, and playback had stopped by itself.
     */
    @Test
    void spacePlaysAndPauses() {
        key(KeyEvent.VK_OPEN_BRACKET);
        key(KeyEvent.VK_OPEN_BRACKET);
        assertThat(GuiActionRunner.execute(() -> main().player().speed())).isEqualTo(0.25);
        key(KeyEvent.VK_SPACE);
        Pause.pause(new Condition("playback advances") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> main().player().step() >= 1);
            }
        }, Timeout.timeout(20000));
        assertThat(GuiActionRunner.execute(() -> main().player().playing())).isTrue();
        key(KeyEvent.VK_SPACE);
        assertThat(GuiActionRunner.execute(() -> main().player().playing())).isFalse();
        int step = GuiActionRunner.execute(() -> main().player().step());
        float time = GuiActionRunner.execute(() -> main().player().time());
        assertThat(step).isLessThan(trace().size() - 1);
        Pause.pause(800);
        assertThat(GuiActionRunner.execute(() -> main().player().step())).isEqualTo(step);
        assertThat(GuiActionRunner.execute(() -> main().player().time())).isEqualTo(time);
    }
}
