package dev.daxviz.ui.playback;

import dev.daxviz.ui.Session;
import dev.daxviz.ui.UiWorlds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The player's position without a display: stepping, jumping and seeking (never playing: that needs the Swing
 * timer). Every move reports the snapshot of the new position, and that snapshot is Snapshots.at of it.
 */
class PlayerTest {
    private Timeline tl;
    private final List<PlaybackSnapshot> seen = new ArrayList<>();
    private int stateChanges;
    private Player p;

    @BeforeEach
    void setUp() {
        tl = new Timeline(UiWorlds.lesson("default"));
        assertThat(tl.size()).isGreaterThan(6);
        p = new Player(seen::add);
        p.onStateChange(() -> stateChanges++);
    }

    private PlaybackSnapshot shown() {
        return seen.get(seen.size() - 1);
    }

    private void assertAt(int step) {
        assertThat(p.step()).isEqualTo(step);
        assertThat(shown().step()).isEqualTo(step);
        assertThat(shown()).isEqualTo(Snapshots.at(tl, step, p.reduceMotion() ? 1f : Snapshots.ease(p.time())));
        assertThat(p.playing()).isFalse();
    }

    @Test
    void nothingIsShownBeforeATimelineIsLoaded() {
        p.next();
        p.previous();
        p.first();
        p.last();
        p.seek(2);
        assertThat(seen).isEmpty();
        assertThat(p.timeline()).isNull();
    }

    @Test
    void aLessonOpensBeforeItsFirstStep() {
        p.load(tl, -1, false);
        assertAt(-1);
        assertThat(shown().world()).isEqualTo(tl.state().initial());
        p.next();
        assertAt(0);
        assertThat(p.time()).isEqualTo(1f);
        p.next();
        assertAt(1);
    }

    @Test
    void previousFromBeforeTheFirstStepDoesNotMoveForward() {
        p.load(tl, -1, false);
        p.previous();
        assertAt(-1);
    }

    @Test
    void nextAndPreviousWalkTheWholeTimeline() {
        p.load(tl, -1, false);
        for (int k = 0; k < tl.size(); k++) {
            p.next();
            assertAt(k);
        }
        p.next(); // at the end: stays
        assertAt(tl.size() - 1);
        for (int k = tl.size() - 2; k >= 0; k--) {
            p.previous();
            assertAt(k);
        }
        p.previous(); // at the first step: stays
        assertAt(0);
    }

    @Test
    void firstLastAndSeek() {
        p.load(tl, -1, false);
        p.last();
        assertAt(tl.size() - 1);
        assertThat(shown()).isEqualTo(Snapshots.end(tl));
        p.first();
        assertAt(0);
        p.seek(5);
        assertAt(5);
        int before = seen.size();
        p.seek(-1);
        p.seek(tl.size());
        p.seek(Integer.MAX_VALUE);
        assertThat(seen).hasSize(before);
        assertAt(5);
        p.seek(tl.size() - 1);
        assertAt(tl.size() - 1);
        p.seek(0);
        assertAt(0);
    }

    @Test
    void loadingAtTheEndOrAtAStep() {
        p.load(tl, 0, true);
        assertAt(tl.size() - 1);
        assertThat(p.time()).isEqualTo(1f);
        p.load(tl, 3, false);
        assertThat(p.step()).isEqualTo(3);
        assertThat(p.time()).isEqualTo(0f);
        assertThat(shown().t()).isEqualTo(0f); // the start of the step's motion
        assertAt(3);
        p.load(tl, tl.size() + 10, false);
        assertAt(tl.size() - 1);
    }

    @Test
    void reduceMotionShowsStepsWhole() {
        p.load(tl, 2, false);
        assertThat(shown().t()).isEqualTo(0f);
        p.setReduceMotion(true);
        assertThat(p.reduceMotion()).isTrue();
        assertThat(shown().t()).isEqualTo(1f);
        assertAt(2);
    }

    @Test
    void speedStaysWithinQuarterToFourTimes() {
        assertThat(p.speed()).isEqualTo(1.0);
        for (int i = 0; i < 10; i++) {
            p.faster();
        }
        assertThat(p.speed()).isEqualTo(4.0);
        for (int i = 0; i < 10; i++) {
            p.slower();
        }
        assertThat(p.speed()).isEqualTo(0.25);
        p.setSpeed(2);
        assertThat(p.speed()).isEqualTo(2.0);
        p.setSpeed(7); // not offered: unchanged
        assertThat(p.speed()).isEqualTo(2.0);
        assertThat(Player.SPEEDS).startsWith(0.25).endsWith(4.0).isSorted();
        assertThat(stateChanges).isGreaterThanOrEqualTo(22);
        assertThat(seen).isEmpty(); // speed changes do not move the position
    }

    @Test
    void anEmptyTimelineShowsTheWorldAndGoesNowhere() {
        Session.State st = UiWorlds.lesson("default");
        Session.State noEvents = new Session.State(st.scenario(), st.profile(), st.setupLog(), st.initial(), List.of(),
                "open");
        Timeline empty = new Timeline(noEvents);
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.lastEventStart()).isZero();
        p.load(empty, -1, true);
        assertThat(p.step()).isEqualTo(-1);
        p.next();
        p.previous();
        p.first();
        p.last();
        p.seek(0);
        p.playPause(); // nothing to play: must not start
        assertThat(p.playing()).isFalse();
        assertThat(p.step()).isEqualTo(-1);
        assertThat(shown().world()).isEqualTo(st.initial());
        assertThat(shown().stack()).isEmpty();
        assertThat(shown().dmesg()).isEqualTo(st.setupLog());
    }
}
