package dev.daxviz.ui.btree;

import dev.daxviz.model.RmapBtree;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.ui.theme.Palette;

import java.util.List;
import java.util.Set;

/**
 * One frame of the rmap btree view.
 *
 * @param visited   names ("root", "root.0.3") of blocks the query has read so far
 * @param current   the block being read now, or null
 * @param matched   records the query matched so far (or the selected page's records)
 * @param ownerNames file names of inode owners, for labels
 */
public record BtreeSnapshot(int agno, RmapBtree tree, Palette palette, Set<String> visited, String current,
                            Set<RmapRecord> matched, java.util.Map<Long, String> ownerNames) {
}
