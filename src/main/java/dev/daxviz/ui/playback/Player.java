package dev.daxviz.ui.playback;

import javax.swing.Timer;
import java.util.function.Consumer;

/**
 * Drives playback: a position (step, time within step), playing or paused, a speed. A Swing timer advances the
 * position at about 60 frames a second; every change reports the snapshot for the new position. One step takes
 * 600 ms at 1×; with reduced motion a step is instant and playing moves one step per 600 ms.
 */
public final class Player {
    public static final double[] SPEEDS = {0.25, 0.5, 1, 1.5, 2, 3, 4};
    private static final double STEP_MS = 600;

    private Timeline timeline;
    private int step = -1;
    private float t = 1f;
    private boolean playing;
    private int speedIndex = 2;
    private boolean reduceMotion;
    private long lastTick;
    private final Timer timer = new Timer(16, e -> tick());
    private final Consumer<PlaybackSnapshot> view;
    private Runnable onState = () -> { };

    public Player(Consumer<PlaybackSnapshot> view) {
        this.view = view;
        timer.setCoalesce(true);
    }

    public void onStateChange(Runnable r) {
        onState = r;
    }

    /** A new timeline; shows {@code startStep} (−1 for the world before any trace, at end when past it). */
    public void load(Timeline tl, int startStep, boolean atEnd) {
        timeline = tl;
        if (atEnd) {
            step = tl.size() - 1;
            t = 1f;
        } else {
            step = Math.min(startStep, tl.size() - 1);
            t = 0f;
        }
        show();
    }

    public Timeline timeline() {
        return timeline;
    }

    public int step() {
        return step;
    }

    public float time() {
        return t;
    }

    public boolean playing() {
        return playing;
    }

    public double speed() {
        return SPEEDS[speedIndex];
    }

    public void setReduceMotion(boolean r) {
        reduceMotion = r;
        show();
    }

    public boolean reduceMotion() {
        return reduceMotion;
    }

    public void playPause() {
        if (timeline == null || timeline.isEmpty()) {
            return;
        }
        if (playing) {
            pause();
        } else {
            if (step < 0 || (step >= timeline.size() - 1 && t >= 1f)) {
                step = 0;
                t = 0f;
            }
            playing = true;
            lastTick = System.nanoTime();
            timer.start();
            show();
        }
    }

    public void pause() {
        playing = false;
        timer.stop();
        show();
    }

    public void next() {
        if (timeline != null && step < timeline.size() - 1) {
            step++;
            t = playing ? 0f : 1f;
        } else {
            t = 1f;
        }
        show();
    }

    public void previous() {
        if (timeline != null && step > 0) {
            step--;
            t = 1f;
        } else if (timeline != null && step == 0) {
            t = 1f; // at the first step: finish it; before it (step −1) there is nothing earlier to go to
        }
        show();
    }

    public void first() {
        if (timeline != null && !timeline.isEmpty()) {
            step = 0;
            t = 1f;
            show();
        }
    }

    public void last() {
        if (timeline != null && !timeline.isEmpty()) {
            step = timeline.size() - 1;
            t = 1f;
            show();
        }
    }

    public void seek(int i) {
        if (timeline != null && i >= 0 && i < timeline.size()) {
            step = i;
            t = 1f;
            show();
        }
    }

    public void faster() {
        speedIndex = Math.min(SPEEDS.length - 1, speedIndex + 1);
        onState.run();
    }

    public void slower() {
        speedIndex = Math.max(0, speedIndex - 1);
        onState.run();
    }

    public void setSpeed(double s) {
        for (int i = 0; i < SPEEDS.length; i++) {
            if (SPEEDS[i] == s) {
                speedIndex = i;
            }
        }
        onState.run();
    }

    private void tick() {
        long now = System.nanoTime();
        double dt = (now - lastTick) / 1e6;
        lastTick = now;
        t += (float) (dt * speed() / STEP_MS);
        if (t >= 1f) {
            if (step < timeline.size() - 1) {
                step++;
                t = reduceMotion ? 0f : t - 1f;
                t = Math.min(t, 0.99f);
            } else {
                t = 1f;
                playing = false;
                timer.stop();
            }
        }
        show();
    }

    private void show() {
        if (timeline == null) {
            return;
        }
        float shown = reduceMotion ? 1f : Snapshots.ease(t);
        view.accept(step < 0 ? Snapshots.at(timeline, -1, 1f) : Snapshots.at(timeline, step, shown));
        onState.run();
    }
}
