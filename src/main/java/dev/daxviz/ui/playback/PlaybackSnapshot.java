package dev.daxviz.ui.playback;

import dev.daxviz.engine.TraceStep;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.World;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the window shows at one instant of playback: a pure function of (timeline, step, time within the
 * step), computed by {@link Snapshots#at}. Equal inputs give equal snapshots, so stepping back is exact.
 *
 * @param step        timeline index (−1 before the first step: the world as loaded)
 * @param t           0..1 time within the step (eased), 1 when motion is reduced
 * @param stack       call chain, outermost first
 * @param dmesg       kernel log so far
 * @param world       the world to draw (before the current event, after it once its last step is reached)
 * @param btreeAgno   the AG whose rmap query is on screen, or −1
 * @param visited     btree blocks the current query has read (names such as "root.0")
 * @param currentNode the block read in this step, or null
 * @param matched     rmap records matched so far in the current event
 * @param glow        pfn ranges lit by this step
 * @param litForms    address forms computed in this step ("pfn", "offset", …)
 * @param files       inodes touched in this step
 * @param badges      pid → "AR"/"AO" for processes signalled so far
 * @param killed      pids killed so far
 * @param banner      a shutdown or oops message reached so far, or null
 * @param pulsePfn    the poisoned page of the current event, or −1
 * @param eventIndex  index in the state's events of the current step's event, or −1
 * @param poisonedNow pages with HWPoison at this instant: the shown world's, plus those the current event has
 *                    marked by this step
 */
public record PlaybackSnapshot(int step, int total, float t, TraceStep current, List<Frame> stack, String narration,
                               List<String> dmesg, World world, int btreeAgno, Set<String> visited, String currentNode,
                               Set<RmapRecord> matched, List<Range> glow, Set<String> litForms, Set<Long> files,
                               Map<Integer, String> badges, Set<Integer> killed, String banner, long pulsePfn,
                               String eventLabel, int eventIndex, Set<Long> poisonedNow) {

    /** Pages {@code [from, to)}. */
    public record Range(long from, long to) {
    }

    /** One frame of the call chain. */
    public record Frame(String function, String file) {
    }
}
