package dev.daxviz.ui.export;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.scenario.Scenario;
import dev.daxviz.scenario.ScenarioReader;
import dev.daxviz.scenario.Scenarios;
import dev.daxviz.ui.Session;
import dev.daxviz.ui.Workbench;
import dev.daxviz.ui.playback.PlaybackSnapshot;
import dev.daxviz.ui.playback.Snapshots;
import dev.daxviz.ui.playback.Timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What to render: a session state at one instant of its timeline, the selected page and the tab on the right.
 * Pure data: the snapshot is {@link Snapshots#at} of the timeline at {@code step} (the end of the step), so equal
 * scenes give equal pictures.
 *
 * @param step        timeline index, or −1 for the world before the first step
 * @param selectedPfn the page the inspector shows (the current event's page unless told)
 * @param tab         the right-hand tab (0 outcome, 1 rmap btree, …)
 * @param gridPpc     pages per grid cell, or 0 for the window's default zoom
 * @param gridCellPx  grid cell size in pixels, or 0 for the default
 */
public record Scene(Session.State state, Timeline timeline, int step, long selectedPfn, int tab, long gridPpc,
                    int gridCellPx) {

    /** Reads and builds a scenario (a file or builtin:NAME), under {@code kernelId} when not null. */
    public static Session.State load(String source, KernelProfile kernel) {
        Scenarios.Source src = Scenarios.source(source);
        Scenario sc = ScenarioReader.read(src.name(), src.content());
        KernelProfile p = kernel != null ? kernel : KernelProfile.byId(sc.kernel()).orElse(KernelProfile.DEFAULT);
        return Session.build(sc, p);
    }

    /** The scene at a timeline index, with the default selection and tab. */
    public static Scene at(Session.State st, Timeline tl, int step) {
        PlaybackSnapshot s = Snapshots.at(tl, step, 1f);
        long pfn = s.pulsePfn() >= 0 ? s.pulsePfn() : Workbench.firstInterestingPfn(st);
        return new Scene(st, tl, step, pfn, followedTab(tl, step), 0, 0);
    }

    /**
     * The scene for the command line's {@code --event N --step K}: events are numbered from 0 as in the scenario
     * (and the window's "event 0: poison"), steps from 1 as the player counts them. Without {@code --step}, the
     * last step (of the event, or of the whole trace); {@code --step 0} without {@code --event} is the world before
     * the first step.
     */
    public static Scene of(Session.State st, Integer event, Integer step) {
        Timeline tl = new Timeline(st);
        int[] range = range(st, tl, event);
        int first = range[0];
        int n = range[1];
        int index;
        if (step == null) {
            index = n == 0 ? -1 : first + n - 1;
        } else if (step == 0 && event == null) {
            index = -1;
        } else if (step >= 1 && step <= n) {
            index = first + step - 1;
        } else {
            throw new ExportException("there is no step " + step + (event != null ? " in event " + event : ""),
                    n == 0 ? "this scenario has no kernel trace to step through" : "steps go from 1 to " + n
                    + (event == null ? " (0 is before the first step)" : ""));
        }
        return at(st, tl, index);
    }

    /** The timeline indices of every step of the trace (of {@code event} when not null): one frame each. */
    public static List<Scene> frames(Session.State st, Integer event) {
        Timeline tl = new Timeline(st);
        int[] range = range(st, tl, event);
        if (range[1] == 0) {
            throw new ExportException("there is nothing to animate: no event of this scenario has a kernel trace",
                    "poison a page in the scenario's events, or render a single picture");
        }
        List<Scene> out = new ArrayList<>();
        IntStream.range(range[0], range[0] + range[1]).forEach(i -> out.add(at(st, tl, i)));
        return out;
    }

    /** {first timeline index, number of steps} of an event's trace, or of the whole timeline. */
    private static int[] range(Session.State st, Timeline tl, Integer event) {
        if (event == null) {
            return new int[] {0, tl.size()};
        }
        int events = st.events().size();
        if (event < 0 || event >= events) {
            throw new ExportException("there is no event " + event, events == 0 ? "this scenario has no events"
                    : "events are numbered from 0 to " + (events - 1));
        }
        Session.EventEntry e = st.events().get(event);
        if (e.result() == null || e.result().trace().isEmpty()) {
            List<String> with = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                Session.EventEntry x = st.events().get(i);
                if (x.result() != null && !x.result().trace().isEmpty()) {
                    with.add(Integer.toString(i));
                }
            }
            throw new ExportException("event " + event + " (" + e.kind() + ") has no kernel trace", with.isEmpty()
                    ? "no event of this scenario has one" : "events with a trace: " + String.join(", ", with));
        }
        return new int[] {tl.firstStepOf(event), e.result().trace().size()};
    }

    /**
     * The tab the window shows after playing the current event up to {@code step}: the window's own rule
     * ({@link Workbench#followedTab}) replayed from the event's first step, starting on the outcome.
     */
    static int followedTab(Timeline tl, int step) {
        if (step < 0 || tl.isEmpty()) {
            return Workbench.TAB_OUTCOME;
        }
        int k = Math.min(step, tl.size() - 1);
        int tab = Workbench.TAB_OUTCOME;
        for (int i = tl.firstStepOf(tl.get(k).event()); i <= k; i++) {
            tab = Workbench.followedTab(tl.get(i).trace().function(), i, tl.size(), tab);
        }
        return tab;
    }

    public PlaybackSnapshot snapshot() {
        return Snapshots.at(timeline, step, 1f);
    }

    public Scene withSelected(long pfn) {
        return new Scene(state, timeline, step, pfn, tab, gridPpc, gridCellPx);
    }

    public Scene withTab(int t) {
        return new Scene(state, timeline, step, selectedPfn, t, gridPpc, gridCellPx);
    }

    /** The grid at a zoom (the window's, when exporting from it). */
    public Scene withGridZoom(long pagesPerCell, int cellPx) {
        return new Scene(state, timeline, step, selectedPfn, tab, pagesPerCell, cellPx);
    }

    /** "step 9 of 27 · xfs_dax_failure_fn", or where the timeline stands when no step is current. */
    public String stepText() {
        PlaybackSnapshot s = snapshot();
        if (s.current() == null) {
            return timeline.isEmpty() ? "no kernel trace" : "before the first step";
        }
        return "step " + (s.step() + 1) + " of " + s.total() + " · " + s.current().function();
    }

    /** A caption naming the scenario, the kernel and the step. */
    public String caption() {
        return state.title() + " · kernel " + state.profile().id() + " · " + stepText();
    }
}
