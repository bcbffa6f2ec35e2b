package dev.daxviz.ui.playback;

import dev.daxviz.engine.TraceStep;
import dev.daxviz.ui.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * Every trace step of every event of a session's state, on one line: the events' traces one after the other.
 * Model events (write, touch, …) have no trace; their log lines join the next step's dmesg.
 */
public final class Timeline {
    /** One step: which event (index into the state's events) and which of its steps. */
    public record Entry(int event, int step, TraceStep trace) {
    }

    private final Session.State state;
    private final List<Entry> entries;
    private final int[] firstOfEvent;

    public Timeline(Session.State state) {
        this.state = state;
        List<Entry> out = new ArrayList<>();
        firstOfEvent = new int[state.events().size()];
        for (int e = 0; e < state.events().size(); e++) {
            firstOfEvent[e] = out.size();
            Session.EventEntry ev = state.events().get(e);
            if (ev.result() == null) {
                continue;
            }
            List<TraceStep> t = ev.result().trace();
            for (int s = 0; s < t.size(); s++) {
                out.add(new Entry(e, s, t.get(s)));
            }
        }
        entries = List.copyOf(out);
    }

    public Session.State state() {
        return state;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public Entry get(int i) {
        return entries.get(i);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The timeline index of an event's first step (its size if the event has none). */
    public int firstStepOf(int event) {
        return firstOfEvent[event];
    }

    /** Index of the first step of the last event that has steps, or 0. */
    public int lastEventStart() {
        for (int e = state.events().size() - 1; e >= 0; e--) {
            Session.EventEntry ev = state.events().get(e);
            if (ev.result() != null && !ev.result().trace().isEmpty()) {
                return firstOfEvent[e];
            }
        }
        return 0;
    }
}
