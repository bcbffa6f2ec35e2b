package dev.daxviz.ui;

import dev.daxviz.engine.Engine;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Result;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.Scenario;
import dev.daxviz.scenario.ScenarioBuilder;
import dev.daxviz.scenario.ScenarioRunner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the window shows, without Swing: the loaded scenario, the world after its setup, the events run so far
 * (the scenario's script and the user's clicks) and an undo/redo history of these states. Every state is an
 * immutable value, so undo is a pointer move.
 */
public final class Session {

    /** One event that ran: its engine result (for poison and removal) and the worlds around it. */
    public record EventEntry(String label, String kind, Result result, List<String> log, World before, World after,
                             boolean byUser) {
        public EventEntry {
            log = List.copyOf(log);
        }
    }

    /** The whole displayable state. */
    public record State(Scenario scenario, KernelProfile profile, List<String> setupLog, World initial,
                        List<EventEntry> events, String action) {
        public State {
            setupLog = List.copyOf(setupLog);
            events = List.copyOf(events);
        }

        public World world() {
            return events.isEmpty() ? initial : events.get(events.size() - 1).after();
        }

        public String title() {
            return scenario.title();
        }
    }

    private final Deque<State> undo = new ArrayDeque<>();
    private final Deque<State> redo = new ArrayDeque<>();
    private State state;
    private final List<Consumer<State>> listeners = new ArrayList<>();

    public State state() {
        return state;
    }

    public void addListener(Consumer<State> l) {
        listeners.add(l);
    }

    private void set(State s, boolean record) {
        if (record && state != null) {
            undo.push(state);
            redo.clear();
        }
        state = s;
        listeners.forEach(l -> l.accept(s));
    }

    /** Builds a scenario under a profile and runs its scripted events; throws ScenarioException when invalid. */
    public static State build(Scenario s, KernelProfile profile) {
        BuiltScenario b = ScenarioBuilder.build(s, profile);
        RunResult r = ScenarioRunner.run(b);
        List<EventEntry> events = new ArrayList<>();
        World cur = b.world();
        for (RunResult.EventRun e : r.events()) {
            World after = e.worldAfter();
            events.add(new EventEntry(label(e), e.kind(), e.result(), e.log(), cur, after, false));
            cur = after;
        }
        return new State(s, b.profile(), b.setupLog(), b.world(), events, "open " + s.title());
    }

    private static String label(RunResult.EventRun e) {
        return "event " + e.index() + ": " + e.kind() + (e.skipped() != null ? " (skipped: " + e.skipped() + ")" : "");
    }

    /** Opens a scenario (undoable: the previous one comes back with undo). */
    public void open(Scenario s, KernelProfile profileOrNull) {
        KernelProfile p = profileOrNull != null ? profileOrNull
                : KernelProfile.byId(s.kernel()).orElse(KernelProfile.DEFAULT);
        set(build(s, p), true);
    }

    /** Shows a state built elsewhere (off the EDT, say); undoable. */
    public void openBuilt(State s) {
        set(s, true);
    }

    /** Shows a state computed elsewhere from the current one (off the EDT: {@link #switched} …); undoable. */
    public void show(State s) {
        set(s, true);
    }

    /** The same scenario on another kernel, with the user's own poison clicks replayed. */
    public void switchKernel(KernelProfile p) {
        Objects.requireNonNull(state);
        set(switched(state, p), true);
    }

    /**
     * {@code base}'s scenario on kernel {@code p}, with the user's own poison clicks replayed. Pure (it rebuilds
     * the world: seconds on a 1 TiB scenario, so the window runs it off the EDT).
     */
    public static State switched(State base, KernelProfile p) {
        State state = base;
        State fresh = build(state.scenario(), p);
        World w = fresh.world();
        List<EventEntry> events = new ArrayList<>(fresh.events());
        for (EventEntry e : state.events()) {
            if (e.byUser() && e.result() != null && !isOops(events)) {
                FailureEvent ev = userEvent(e);
                Result r = Engine.run(w, ev, p);
                events.add(new EventEntry(e.label(), e.kind(), r, r.outcome().log(), w, r.worldAfter(), true));
                w = r.worldAfter();
            }
        }
        return new State(fresh.scenario(), p, fresh.setupLog(), fresh.initial(), events, "kernel " + p.id());
    }

    private static FailureEvent userEvent(EventEntry e) {
        if (e.kind().equals("remove")) {
            return new FailureEvent.Remove();
        }
        var o = e.result().outcome();
        return new FailureEvent.Poison(o.address().pfn(), o.length(), FailureEvent.Source.MCE, null);
    }

    private static boolean isOops(List<EventEntry> events) {
        return events.stream().anyMatch(e -> e.result() != null && e.result().outcome().oops() != null);
    }

    /** True when the simulated kernel has crashed: nothing more can run until reset or undo. */
    public boolean crashed() {
        return state != null && isOops(state.events());
    }

    /** Poisons a page as the hardware would report it (or as a process consuming it). */
    public Result poison(long pfn, FailureEvent.Source source, Integer pid) {
        World w = state.world();
        Result r = Engine.run(w, new FailureEvent.Poison(pfn, Units.PAGE_SIZE, source, pid), state.profile());
        String label = "poison pfn " + Units.hex(pfn) + (source == FailureEvent.Source.MCE ? "" : " (" + source.id()
                + (pid != null ? " by " + pid : "") + ")");
        append(new EventEntry(label, "poison", r, r.outcome().log(), w, r.worldAfter(), true), label);
        return r;
    }

    /** Unbinds the device under the filesystem. */
    public Result removeDevice() {
        State s = removed(state);
        set(s, true);
        return s.events().get(s.events().size() - 1).result();
    }

    /** {@code base} after the device is unbound (pure: on a 1 TiB world the window runs it off the EDT). */
    public static State removed(State base) {
        World w = base.world();
        Result r = Engine.run(w, new FailureEvent.Remove(), base.profile());
        return appended(base, new EventEntry("remove device", "remove", r, r.outcome().log(), w, r.worldAfter(), true),
                "remove device");
    }

    private void append(EventEntry e, String action) {
        set(appended(state, e, action), true);
    }

    private static State appended(State base, EventEntry e, String action) {
        List<EventEntry> ev = new ArrayList<>(base.events());
        ev.add(e);
        return new State(base.scenario(), base.profile(), base.setupLog(), base.initial(), ev, action);
    }

    /** Back to the scenario as loaded, keeping the kernel. */
    public void reset() {
        set(reset(state), true);
    }

    /** {@code base}'s scenario as loaded, on its kernel (pure: it rebuilds the world). */
    public static State reset(State base) {
        return build(base.scenario(), base.profile());
    }

    public boolean canUndo() {
        return !undo.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    public String undoLabel() {
        return state == null ? "" : state.action();
    }

    public String redoLabel() {
        return redo.isEmpty() ? "" : redo.peek().action();
    }

    public void undo() {
        if (!undo.isEmpty()) {
            redo.push(state);
            set(undo.pop(), false);
        }
    }

    public void redo() {
        if (!redo.isEmpty()) {
            undo.push(state);
            set(redo.pop(), false);
        }
    }
}
