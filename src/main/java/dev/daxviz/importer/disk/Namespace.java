package dev.daxviz.importer.disk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every path of the filesystem, found by walking the directory tree from the root inode. An inode with several
 * hard links has several paths; its primary path is the first of them in sorted order. Inodes that no
 * directory names (the realtime bitmap and summary, quota inodes, unlinked-but-open files) have none.
 *
 * <p>The walk is bounded: a directory reached twice (a loop, or a directory with two parents) and a path deeper
 * than {@value #MAX_DEPTH} names are reported as damage rather than followed.
 */
public final class Namespace {

    /** Deepest path accepted: PATH_MAX (4096) allows at most 2048 one-byte names. */
    public static final int MAX_DEPTH = 2048;

    private final Map<Long, List<String>> paths;
    private final Map<Long, InodeKind> kinds;
    private final Set<Long> directories;

    private Namespace(Map<Long, List<String>> paths, Map<Long, InodeKind> kinds, Set<Long> directories) {
        this.paths = paths;
        this.kinds = kinds;
        this.directories = directories;
    }

    static Namespace walk(XfsImage image) throws ImageException {
        long rootino = image.superblock().rootino();
        Dinode root = image.inode(rootino);
        if (root.kind() != InodeKind.DIRECTORY) {
            throw ImageException.damaged(Where.inode(rootino), "the root inode is not a directory (mode 0"
                    + Integer.toOctalString(root.mode()) + ")");
        }
        Map<Long, List<String>> paths = new HashMap<>();
        Map<Long, InodeKind> kinds = new HashMap<>();
        Set<Long> directories = new LinkedHashSet<>();
        Map<Long, String> dirPath = new HashMap<>();
        record Pending(Dinode dir, String path, int depth) {
        }
        Deque<Pending> queue = new ArrayDeque<>();
        queue.add(new Pending(root, "/", 0));
        directories.add(rootino);
        dirPath.put(rootino, "/");
        kinds.put(rootino, InodeKind.DIRECTORY);
        paths.put(rootino, new ArrayList<>(List.of("/")));
        while (!queue.isEmpty()) {
            Pending p = queue.poll();
            for (DirEntry e : image.directoryEntries(p.dir())) {
                String path = p.path().equals("/") ? "/" + e.name() : p.path() + "/" + e.name();
                InodeKind kind = kinds.get(e.ino());
                Dinode child = null;
                if (kind == null) {
                    // the name's file type saves reading the inode; a directory is read for its names anyway
                    kind = ofFtype(e.ftype());
                    if (kind == null || kind == InodeKind.DIRECTORY) {
                        child = image.inode(e.ino());
                        kind = child.kind();
                    }
                    kinds.put(e.ino(), kind);
                }
                if (kind == InodeKind.DIRECTORY) {
                    if (!directories.add(e.ino())) {
                        throw ImageException.damaged(Where.namespace(e.ino(), path), "the directory is also linked as "
                                + dirPath.get(e.ino()) + ": the tree has a loop or a directory with two parents");
                    }
                    if (p.depth() + 1 > MAX_DEPTH) {
                        throw ImageException.damaged(Where.namespace(e.ino(), path.substring(0, Math.min(64, path.length())) + "…"),
                                "the path is deeper than " + MAX_DEPTH + " names");
                    }
                    dirPath.put(e.ino(), path);
                    queue.add(new Pending(child, path, p.depth() + 1));
                }
                paths.computeIfAbsent(e.ino(), k -> new ArrayList<>(1)).add(path);
            }
        }
        Map<Long, List<String>> sorted = new TreeMap<>();
        for (Map.Entry<Long, List<String>> en : paths.entrySet()) {
            List<String> l = new ArrayList<>(en.getValue());
            Collections.sort(l);
            sorted.put(en.getKey(), List.copyOf(l));
        }
        return new Namespace(Collections.unmodifiableMap(sorted), Collections.unmodifiableMap(kinds),
                Collections.unmodifiableSet(directories));
    }

    /** The kind a directory entry's XFS_DIR3_FT_* type gives, or null when it gives none (0, or unknown). */
    private static InodeKind ofFtype(int ftype) {
        return switch (ftype) {
            case 1 -> InodeKind.REGULAR;
            case 2 -> InodeKind.DIRECTORY;
            case 3, 4, 5, 6 -> InodeKind.OTHER;
            case 7 -> InodeKind.SYMLINK;
            default -> null;
        };
    }

    /** Every named inode and its paths, each list sorted; ordered by inode number. */
    public Map<Long, List<String>> paths() {
        return paths;
    }

    /** The paths of {@code ino}, sorted; empty when no directory names it. */
    public List<String> paths(long ino) {
        return paths.getOrDefault(ino, List.of());
    }

    /** The first of the inode's paths in sorted order. */
    public Optional<String> primaryPath(long ino) {
        List<String> l = paths(ino);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** The type of every named inode. */
    public Map<Long, InodeKind> kinds() {
        return kinds;
    }

    /** The directory inodes, the root first, in the order the walk met them. */
    public Set<Long> directories() {
        return directories;
    }
}
