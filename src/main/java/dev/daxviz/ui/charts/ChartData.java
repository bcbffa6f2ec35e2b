package dev.daxviz.ui.charts;

import dev.daxviz.engine.Outcome;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.World;
import dev.daxviz.ui.Session;
import dev.daxviz.ui.grid.DeviceSummary;
import dev.daxviz.ui.grid.PageClass;
import dev.daxviz.ui.playback.PlaybackSnapshot;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The numbers behind the charts, without Swing or JFreeChart: pages per class on the device, the share-count
 * histogram of data pages, and for the event on screen the signals per process and the owners per AG.
 *
 * @param classes    pages of each class on the device ({@link DeviceSummary#totals()})
 * @param shares     share count → data pages with that many owners (1 for a private page, the refcount else)
 * @param eventLabel the event the last two charts describe, or null when no failure event is on screen
 * @param signals    "comm:pid" → {AR signals, AO signals} the event sent, in the order they were sent
 * @param owners     "AG n" (every AG, then "other" for owners outside the AGs) → owners the rmap reported, by
 *                   {@link #OWNER_KINDS}
 */
public record ChartData(Map<PageClass, Long> classes, SortedMap<Integer, Long> shares, String eventLabel,
                        Map<String, int[]> signals, Map<String, long[]> owners) {

    /** The columns of {@link #owners}: what the reverse map said owns the poisoned block. */
    public static final String[] OWNER_KINDS = {"file data", "shared file data", "metadata", "free space"};

    public ChartData {
        classes = Collections.unmodifiableMap(new EnumMap<>(classes));
        shares = Collections.unmodifiableSortedMap(new TreeMap<>(shares));
        signals = Collections.unmodifiableMap(new LinkedHashMap<>(signals));
        owners = Collections.unmodifiableMap(new LinkedHashMap<>(owners));
    }

    /** The charts of a state at one instant of playback (the event: the one being played, else none). */
    public static ChartData of(Session.State st, PlaybackSnapshot snap, DeviceSummary summary) {
        World w = snap.world();
        DeviceSummary s = summary != null ? summary : DeviceSummary.of(w);
        Map<PageClass, Long> classes = s.totals();
        SortedMap<Integer, Long> shares = shareHistogram(w, classes.getOrDefault(PageClass.DATA, 0L));
        Session.EventEntry ev = snap.eventIndex() >= 0 && snap.eventIndex() < st.events().size()
                ? st.events().get(snap.eventIndex()) : null;
        Map<String, int[]> signals = new LinkedHashMap<>();
        Map<String, long[]> owners = new LinkedHashMap<>();
        if (w.hasFs()) {
            for (AllocationGroup ag : w.fs().ags()) {
                owners.put("AG " + ag.agno(), new long[OWNER_KINDS.length]);
            }
        }
        String label = null;
        if (ev != null && ev.result() != null) {
            label = ev.label();
            Outcome o = ev.result().outcome();
            for (Outcome.Signal sg : o.signals()) {
                int[] c = signals.computeIfAbsent(sg.comm() + ":" + sg.pid(), k -> new int[2]);
                c[sg.actionRequired() ? 0 : 1]++;
            }
            for (Outcome.Owner ow : o.owners()) {
                String key = ow.agno() != null ? "AG " + ow.agno() : "other";
                owners.computeIfAbsent(key, k -> new long[OWNER_KINDS.length])[kindOf(ow)]++;
            }
        }
        return new ChartData(classes, shares, label, signals, owners);
    }

    /** Data pages by owner count: the private ones (class DATA) have one owner, shared ones their refcount. */
    static SortedMap<Integer, Long> shareHistogram(World w, long privatePages) {
        SortedMap<Integer, Long> out = new TreeMap<>();
        if (privatePages > 0) {
            out.put(1, privatePages);
        }
        if (w.hasFs()) {
            for (AllocationGroup ag : w.fs().ags()) {
                for (AllocationGroup.RefcountRecord rc : ag.refcountRecords()) {
                    out.merge(rc.refcount(), (long) rc.blockcount(), Long::sum);
                }
            }
        }
        return out;
    }

    static int kindOf(Outcome.Owner o) {
        if ("inode".equals(o.type())) {
            if (!"data".equals(o.fork())) {
                return 2;
            }
            return o.shared() ? 1 : 0;
        }
        return "null".equals(o.type()) ? 3 : "device".equals(o.type()) ? 0 : 2;
    }

    public long totalSignals() {
        return signals.values().stream().mapToLong(c -> c[0] + c[1]).sum();
    }

    public long totalOwners() {
        return owners.values().stream().mapToLong(c -> java.util.Arrays.stream(c).sum()).sum();
    }
}
