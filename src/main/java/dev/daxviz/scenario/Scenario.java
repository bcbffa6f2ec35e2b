package dev.daxviz.scenario;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Xfs;

import java.util.List;
import java.util.Map;

/**
 * A scenario file as read and type-checked, before the world is built: every value with the place it was
 * written, so that the builder's errors can point at it too. Defaults are already applied (scenario-format.md).
 */
public record Scenario(String source, String title, String description, String kernel, long seed, DeviceDef device,
                       FsDef filesystem, List<FileDef> files, List<ProcessDef> processes, Sysctl sysctl,
                       List<EventDef> events, Locs locs) {

    /** Where each field of one item was written: {@code at("size")} is the value's place, or the item's. */
    public record Locs(At self, Map<String, At> fields) {
        public At at(String field) {
            At a = fields.get(field);
            return a != null ? a : self;
        }

        public boolean has(String field) {
            return fields.containsKey(field);
        }
    }

    public record DeviceDef(String name, long size, long physAddr, Long dataOffset, DeviceMode mode, Locs locs) {
    }

    /** An extra namespace (external log or realtime device); null fields take their defaults. */
    public record NamespaceDef(String name, Long size, Long physAddr, Long dataOffset, Locs locs) {
    }

    public record FsDef(int blockSize, int agCount, boolean reflink, boolean rmapbt, boolean externalLog,
                        boolean realtime, NamespaceDef logDevice, NamespaceDef rtDevice, Xfs.DaxPolicy dax,
                        Xfs.FsState state, String shutdownReason, boolean mountedAfterSetup, LayoutDef layout,
                        Locs locs) {
    }

    /**
     * One file. Exactly one way of getting blocks applies: the allocator ({@code size} with {@code ag},
     * {@code align}, {@code fragments}), placed {@code extents}, a whole-file {@code reflink} ({@code cloneOf}),
     * and/or ranged reflinks ({@code ranges}: one in the spec's form, several as DaxViz's extension).
     *
     * <p>{@code count} (DaxViz's optional generator; null when not given) makes that many files from one entry:
     * {@code {n}} in the path, and in the reflink source, is replaced by 0 … count-1 ({@link #instance}). Without
     * {@code count} a {@code {n}} is just part of the name.
     */
    public record FileDef(String path, Long size, Integer ag, long align, List<ExtentDef> extents, String cloneOf,
                          List<RangeDef> ranges, int xattrBlocks, int fragments, boolean rt, boolean dax, Integer count,
                          Locs locs) {
        /** What {@code {n}} stands for in a generated entry. */
        public static final String N = "{n}";

        public FileDef {
            ranges = List.copyOf(ranges);
        }

        public boolean generated() {
            return count != null;
        }

        /** How many files this entry makes. */
        public int files() {
            return count == null ? 1 : count;
        }

        /** The {@code n}-th file of a generated entry (this entry itself when it is not generated). */
        public FileDef instance(int n) {
            if (!generated()) {
                return this;
            }
            String k = Integer.toString(n);
            List<RangeDef> rs = ranges.stream().map(r -> new RangeDef(sub(r.from(), k), r.offset(), r.length(),
                    r.to(), r.locs())).toList();
            return new FileDef(sub(path, k), size, ag, align, extents, sub(cloneOf, k), rs, xattrBlocks, fragments, rt,
                    dax, null, locs);
        }

        private static String sub(String s, String n) {
            return s == null ? null : s.replace(N, n);
        }
    }

    /** A placed extent in fs blocks. */
    public record ExtentDef(long offset, int agno, int agbno, long length, Locs locs) {
    }

    /** FICLONERANGE of {@code length} bytes of {@code from} at {@code offset} into this file at {@code to}. */
    public record RangeDef(String from, long offset, Long length, Long to, Locs locs) {
    }

    public record ProcessDef(int pid, String comm, Process.EarlyKill earlyKill, Process.OnSigbus onSigbus,
                             Process.State state, List<MapDef> maps, Locs locs) {
    }

    /**
     * One mapping.
     *
     * @param touched null for "all", else the file offsets faulted (empty for "none")
     * @param pmd     null when not given
     * @param address the user address (DaxViz extension), or null for the next free one
     */
    public record MapDef(String path, long offset, long length, List<Long> touched, Boolean pmd, Long address,
                         Locs locs) {
        public boolean touchedAll() {
            return touched == null;
        }
    }

    /** One scripted event. {@code index} is its position in {@code events} (0-based). */
    public sealed interface EventDef permits Write, Touch, Punch, Unlink, Exit, Poison, Remove {
        int index();

        Locs locs();

        String kind();
    }

    public record Write(int index, Integer pid, String path, long offset, long length, Locs locs) implements EventDef {
        public String kind() {
            return "write";
        }
    }

    public record Touch(int index, int pid, String path, long offset, long length, boolean write, Locs locs)
            implements EventDef {
        public String kind() {
            return "touch";
        }
    }

    public record Punch(int index, String path, long offset, long length, Locs locs) implements EventDef {
        public String kind() {
            return "punch";
        }
    }

    public record Unlink(int index, String path, Locs locs) implements EventDef {
        public String kind() {
            return "unlink";
        }
    }

    public record Exit(int index, int pid, Locs locs) implements EventDef {
        public String kind() {
            return "exit";
        }
    }

    public record Poison(int index, Target at, long length, FailureEvent.Source source, Integer pid, Locs locs)
            implements EventDef {
        public String kind() {
            return "poison";
        }
    }

    public record Remove(int index, Locs locs) implements EventDef {
        public String kind() {
            return "remove";
        }
    }

    /** A poison's {@code at}: which of the address forms was given (the others are null). */
    public record Target(String path, Long offset, String fork, Long pfn, Long physAddr, Long deviceOffset, Long daddr,
                         Integer agno, Integer agbno, String metadata, Locs locs) {
    }
}
