package dev.daxviz.model;

import java.util.Arrays;
import java.util.List;

/**
 * What one {@code xfs_rmap_query_range} call saw: the overlapping records in key order, and every
 * btree block it read with the entries it followed (a node) or matched (a leaf), so a view can draw
 * the search descending.
 */
public record RmapQuery(long low, long high, List<RmapRecord> records, List<Visit> visits) {

    /**
     * One block read by the query.
     *
     * @param path    child indices from the root ({@code []} is the root): a stable name for the block
     * @param node    the block
     * @param entries indices of the children followed (node) or records matched (leaf)
     */
    public record Visit(int[] path, RmapBtree.Node node, List<Integer> entries) {
        public String pathName() {
            if (path.length == 0) {
                return "root";
            }
            StringBuilder b = new StringBuilder("root");
            for (int i : path) {
                b.append('.').append(i);
            }
            return b.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Visit v && Arrays.equals(v.path, path) && v.entries.equals(entries);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(path) * 31 + entries.hashCode();
        }
    }
}
