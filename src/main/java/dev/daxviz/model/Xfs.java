package dev.daxviz.model;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;

/**
 * The XFS filesystem on the pmem device, as a value.
 *
 * @param inodes by inode number
 * @param paths  path → inode number for every linked file
 * @param dirs   directory paths ("/" included); directories are short-form and own no blocks
 * @param rtFree free extents of the realtime device (rt block → length), empty without one
 * @param shutdownReason why it was shut down ({@code SHUTDOWN_CORRUPT_ONDISK}, …), null while healthy
 */
public record Xfs(Geometry geometry, boolean reflink, boolean rmapbt, boolean externalLog, boolean realtime,
                  DaxPolicy daxPolicy, FsState state, boolean mountedAfterSetup, List<AllocationGroup> ags,
                  NavigableMap<Long, Inode> inodes, NavigableMap<String, Long> paths, NavigableSet<String> dirs,
                  NavigableMap<Long, Long> rtFree, String shutdownReason) {

    public Xfs {
        ags = List.copyOf(ags);
        inodes = Collections.unmodifiableNavigableMap(inodes);
        paths = Collections.unmodifiableNavigableMap(paths);
        dirs = Collections.unmodifiableNavigableSet(dirs);
        rtFree = Collections.unmodifiableNavigableMap(rtFree);
    }

    /** The {@code dax=} mount option. */
    public enum DaxPolicy {
        ALWAYS, NEVER, INODE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum FsState {
        MOUNTED, SHUTDOWN, UNMOUNTED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AllocationGroup ag(int agno) {
        return ags.get(agno);
    }

    public Inode inode(long ino) {
        return inodes.get(ino);
    }

    public Inode byPath(String path) {
        Long ino = paths.get(path);
        return ino == null ? null : inodes.get(ino);
    }

    public boolean isShutdown() {
        return state == FsState.SHUTDOWN;
    }
}
