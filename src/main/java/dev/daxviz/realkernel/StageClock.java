package dev.daxviz.realkernel;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Passes stage news on and times the stages: a stage runs from its first news to the first news of another
 * (events are one stage, all of them together).
 */
final class StageClock implements StageListener {
    private final StageListener next;
    private final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);
    private Stage current;
    private long since;

    StageClock(StageListener next) {
        this.next = next;
    }

    @Override
    public synchronized void stage(Stage stage, String detail) {
        long now = System.nanoTime();
        if (current != stage) {
            stop(now);
            current = stage;
            since = now;
        }
        next.stage(stage, detail);
    }

    private void stop(long now) {
        if (current != null) {
            nanos.merge(current, now - since, Long::sum);
        }
    }

    /** Seconds per stage title, in stage order (stages that did not run are left out). */
    synchronized Map<String, Double> seconds() {
        stop(System.nanoTime());
        current = null;
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<Stage, Long> e : nanos.entrySet()) {
            out.put(e.getKey().title(), Math.round(e.getValue() / 1e7) / 100.0);
        }
        return out;
    }
}
