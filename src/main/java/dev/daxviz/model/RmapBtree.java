package dev.daxviz.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One AG's reverse-mapping btree: a persistent B+tree of {@link RmapRecord}s in key order. Every update
 * copies only the path from the root to the changed leaf and returns a new tree, so old worlds keep
 * their trees for free. Fan-out is XFS's: a 4 KiB block with a 56-byte short-form CRC header holds 168
 * 24-byte records in a leaf, or 91 (low key, high key, pointer) triples in a node
 * ({@code xfs_rmapbt_maxrecs}). Like XFS's overlapping btree, every child carries the highest block its
 * subtree covers, so a range query descends only into subtrees that can overlap the range.
 *
 * <p>Simplification: a delete removes empty nodes but does not merge under-full siblings.
 */
public final class RmapBtree {
    /** Short-form btree block header with CRC (struct xfs_btree_block, v5). */
    public static final int BLOCK_HEADER = 56;
    public static final int RECORD_SIZE = 24;
    public static final int KEY_SIZE = 20;
    public static final int PTR_SIZE = 4;

    private static final RmapBtree EMPTY_4K = new RmapBtree(null, leafMaxRecs(4096), nodeMaxRecs(4096), 0);

    private final Node root;
    private final int leafMax;
    private final int nodeMax;
    private final int size;

    private RmapBtree(Node root, int leafMax, int nodeMax, int size) {
        this.root = root;
        this.leafMax = leafMax;
        this.nodeMax = nodeMax;
        this.size = size;
    }

    public static int leafMaxRecs(int blockSize) {
        return (blockSize - BLOCK_HEADER) / RECORD_SIZE;
    }

    public static int nodeMaxRecs(int blockSize) {
        return (blockSize - BLOCK_HEADER) / (2 * KEY_SIZE + PTR_SIZE);
    }

    public static RmapBtree empty() {
        return EMPTY_4K;
    }

    /** An empty tree with a chosen fan-out (tests use small ones to get deep trees). */
    public static RmapBtree empty(int leafMax, int nodeMax) {
        if (leafMax < 2 || nodeMax < 2) {
            throw new IllegalArgumentException("fan-out must be at least 2");
        }
        return new RmapBtree(null, leafMax, nodeMax, 0);
    }

    /** Builds a tree from records in any order, leaves packed full as a bulk load does. */
    public static RmapBtree bulkLoad(List<RmapRecord> records) {
        return EMPTY_4K.withAll(records);
    }

    public RmapBtree withAll(List<RmapRecord> records) {
        RmapRecord[] sorted = records.toArray(new RmapRecord[0]);
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].compareTo(sorted[i - 1]) == 0) {
                throw new IllegalArgumentException("duplicate rmap record " + sorted[i]);
            }
        }
        if (sorted.length == 0) {
            return new RmapBtree(null, leafMax, nodeMax, 0);
        }
        List<Node> level = new ArrayList<>();
        for (int i = 0; i < sorted.length; i += leafMax) {
            level.add(Node.leaf(Arrays.copyOfRange(sorted, i, Math.min(sorted.length, i + leafMax))));
        }
        while (level.size() > 1) {
            List<Node> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += nodeMax) {
                up.add(Node.interior(level.subList(i, Math.min(level.size(), i + nodeMax)).toArray(new Node[0])));
            }
            level = up;
        }
        return new RmapBtree(level.get(0), leafMax, nodeMax, sorted.length);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The root node, or null when the tree is empty. */
    public Node root() {
        return root;
    }

    /** Levels including the leaf level (0 for an empty tree). */
    public int height() {
        return root == null ? 0 : root.level + 1;
    }

    public int leafMax() {
        return leafMax;
    }

    public int nodeMax() {
        return nodeMax;
    }

    public boolean contains(RmapRecord rec) {
        Node n = root;
        while (n != null) {
            if (n.isLeaf()) {
                return Arrays.binarySearch(n.records, rec) >= 0;
            }
            n = n.children[n.childFor(rec)];
        }
        return false;
    }

    public RmapBtree insert(RmapRecord rec) {
        Objects.requireNonNull(rec);
        if (root == null) {
            return new RmapBtree(Node.leaf(new RmapRecord[] {rec}), leafMax, nodeMax, 1);
        }
        Node[] out = insert(root, rec);
        Node newRoot = out.length == 1 ? out[0] : Node.interior(out);
        return new RmapBtree(newRoot, leafMax, nodeMax, size + 1);
    }

    private Node[] insert(Node n, RmapRecord rec) {
        if (n.isLeaf()) {
            int pos = Arrays.binarySearch(n.records, rec);
            if (pos >= 0) {
                throw new IllegalArgumentException("rmap record already present: " + rec);
            }
            pos = -pos - 1;
            RmapRecord[] recs = new RmapRecord[n.records.length + 1];
            System.arraycopy(n.records, 0, recs, 0, pos);
            recs[pos] = rec;
            System.arraycopy(n.records, pos, recs, pos + 1, n.records.length - pos);
            if (recs.length <= leafMax) {
                return new Node[] {Node.leaf(recs)};
            }
            int half = recs.length / 2;
            return new Node[] {Node.leaf(Arrays.copyOfRange(recs, 0, half)),
                Node.leaf(Arrays.copyOfRange(recs, half, recs.length))};
        }
        int ci = n.childFor(rec);
        Node[] repl = insert(n.children[ci], rec);
        Node[] kids = new Node[n.children.length - 1 + repl.length];
        System.arraycopy(n.children, 0, kids, 0, ci);
        System.arraycopy(repl, 0, kids, ci, repl.length);
        System.arraycopy(n.children, ci + 1, kids, ci + repl.length, n.children.length - ci - 1);
        if (kids.length <= nodeMax) {
            return new Node[] {Node.interior(kids)};
        }
        int half = kids.length / 2;
        return new Node[] {Node.interior(Arrays.copyOfRange(kids, 0, half)),
            Node.interior(Arrays.copyOfRange(kids, half, kids.length))};
    }

    /** A tree without {@code rec}; the record must be present. */
    public RmapBtree delete(RmapRecord rec) {
        if (root == null) {
            throw new IllegalArgumentException("rmap record not present: " + rec);
        }
        Node n = delete(root, rec);
        while (n != null && !n.isLeaf() && n.children.length == 1) {
            n = n.children[0];
        }
        return new RmapBtree(n, leafMax, nodeMax, size - 1);
    }

    private Node delete(Node n, RmapRecord rec) {
        if (n.isLeaf()) {
            int pos = Arrays.binarySearch(n.records, rec);
            if (pos < 0) {
                throw new IllegalArgumentException("rmap record not present: " + rec);
            }
            if (n.records.length == 1) {
                return null;
            }
            RmapRecord[] recs = new RmapRecord[n.records.length - 1];
            System.arraycopy(n.records, 0, recs, 0, pos);
            System.arraycopy(n.records, pos + 1, recs, pos, recs.length - pos);
            return Node.leaf(recs);
        }
        int ci = n.childFor(rec);
        Node repl = delete(n.children[ci], rec);
        if (repl != null) {
            Node[] kids = n.children.clone();
            kids[ci] = repl;
            return Node.interior(kids);
        }
        if (n.children.length == 1) {
            return null;
        }
        Node[] kids = new Node[n.children.length - 1];
        System.arraycopy(n.children, 0, kids, 0, ci);
        System.arraycopy(n.children, ci + 1, kids, ci, kids.length - ci);
        return Node.interior(kids);
    }

    /**
     * {@code xfs_rmap_query_range}: every record whose blocks overlap {@code [low, high]} (agbno,
     * inclusive), in key order, and the nodes the search read, in the order it read them.
     */
    public RmapQuery queryRange(long low, long high) {
        List<RmapRecord> hits = new ArrayList<>();
        List<RmapQuery.Visit> visits = new ArrayList<>();
        if (root != null) {
            query(root, new int[0], low, high, hits, visits);
        }
        return new RmapQuery(low, high, List.copyOf(hits), List.copyOf(visits));
    }

    private void query(Node n, int[] path, long low, long high, List<RmapRecord> hits, List<RmapQuery.Visit> visits) {
        if (n.isLeaf()) {
            List<Integer> matched = new ArrayList<>();
            for (int i = 0; i < n.records.length; i++) {
                RmapRecord r = n.records[i];
                if (r.startblock() > high) {
                    break;
                }
                if (r.lastBlock() >= low) {
                    hits.add(r);
                    matched.add(i);
                }
            }
            visits.add(new RmapQuery.Visit(path, n, List.copyOf(matched)));
            return;
        }
        List<Integer> descended = new ArrayList<>();
        for (int i = 0; i < n.children.length; i++) {
            Node c = n.children[i];
            if (c.lowKey.startblock() > high) {
                break; // children are in key order: the rest start later still
            }
            if (c.maxLastBlock >= low) {
                descended.add(i);
            }
        }
        visits.add(new RmapQuery.Visit(path, n, List.copyOf(descended)));
        for (int i : descended) {
            int[] p = Arrays.copyOf(path, path.length + 1);
            p[path.length] = i;
            query(n.children[i], p, low, high, hits, visits);
        }
    }

    /** All records in key order. */
    public List<RmapRecord> records() {
        List<RmapRecord> out = new ArrayList<>(size);
        collect(root, out);
        return Collections.unmodifiableList(out);
    }

    private static void collect(Node n, List<RmapRecord> out) {
        if (n == null) {
            return;
        }
        if (n.isLeaf()) {
            out.addAll(Arrays.asList(n.records));
        } else {
            for (Node c : n.children) {
                collect(c, out);
            }
        }
    }

    /** Nodes level by level from the root, for drawing. */
    public List<List<Node>> levels() {
        List<List<Node>> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        List<Node> cur = List.of(root);
        while (!cur.isEmpty()) {
            out.add(cur);
            List<Node> next = new ArrayList<>();
            for (Node n : cur) {
                if (!n.isLeaf()) {
                    next.addAll(Arrays.asList(n.children));
                }
            }
            cur = next;
        }
        return out;
    }

    /** The node at a path of child indices from the root ({@code []} is the root). */
    public Node nodeAt(int[] path) {
        Node n = root;
        for (int i : path) {
            n = n.children[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RmapBtree t && t.size == size && t.records().equals(records());
    }

    @Override
    public int hashCode() {
        return records().hashCode();
    }

    /** A btree block: a leaf of records or a node of children, immutable. */
    public static final class Node {
        private final int level;
        private final RmapRecord[] records;
        private final Node[] children;
        private final RmapRecord lowKey;
        private final int maxLastBlock;
        private final int count;

        private Node(int level, RmapRecord[] records, Node[] children, RmapRecord lowKey, int maxLastBlock, int count) {
            this.level = level;
            this.records = records;
            this.children = children;
            this.lowKey = lowKey;
            this.maxLastBlock = maxLastBlock;
            this.count = count;
        }

        static Node leaf(RmapRecord[] recs) {
            int max = -1;
            for (RmapRecord r : recs) {
                max = Math.max(max, r.lastBlock());
            }
            return new Node(0, recs, null, recs[0], max, recs.length);
        }

        static Node interior(Node[] kids) {
            int max = -1;
            int count = 0;
            for (Node k : kids) {
                max = Math.max(max, k.maxLastBlock);
                count += k.count;
            }
            return new Node(kids[0].level + 1, null, kids, kids[0].lowKey, max, count);
        }

        /** Index of the last child whose low key is at or below {@code rec}. */
        int childFor(RmapRecord rec) {
            int lo = 0;
            int hi = children.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (children[mid].lowKey.compareTo(rec) <= 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        public boolean isLeaf() {
            return children == null;
        }

        public int level() {
            return level;
        }

        /** Records of a leaf (empty for a node). */
        public List<RmapRecord> records() {
            return records == null ? List.of() : List.of(records);
        }

        /** Children of a node (empty for a leaf). */
        public List<Node> children() {
            return children == null ? List.of() : List.of(children);
        }

        /** Entries in this block: records of a leaf, keys of a node. */
        public int entries() {
            return isLeaf() ? records.length : children.length;
        }

        public RmapRecord lowKey() {
            return lowKey;
        }

        /** Highest block any record under this node covers (the node's high key). */
        public int highBlock() {
            return maxLastBlock;
        }

        /** Records in the subtree. */
        public int recordCount() {
            return count;
        }
    }
}
