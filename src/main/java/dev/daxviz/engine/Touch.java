package dev.daxviz.engine;

import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;

import java.util.LinkedHashMap;
import java.util.Map;

/** An entity a trace step highlights. Each has a kind name and identifying fields, as the result JSON writes them. */
public sealed interface Touch {
    String kind();

    /** The identifying fields in JSON order (the kind first). */
    Map<String, Object> fields();

    record Page(long pfn) implements Touch {
        public String kind() {
            return "page";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "pfn", Units.hex(pfn));
        }
    }

    /** An extent of a file's data fork, in fs blocks. */
    record Extent(long ino, String path, long fileBlock, long fsblock, long blockcount) implements Touch {
        public String kind() {
            return "extent";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "ino", ino, "path", path, "fileOffset", fileBlock * Units.PAGE_SIZE,
                    "fsblock", fsblock, "blockcount", blockcount);
        }
    }

    record RmapRec(int agno, RmapRecord record) implements Touch {
        public String kind() {
            return "rmapRecord";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "agno", agno, "startblock", record.startblock(), "blockcount",
                    record.blockcount(), "owner", record.ownerLabel(), "offset", record.offset());
        }
    }

    /** A btree block read by a query, named by its path of child indices from the root. */
    record BtreeNode(int agno, String node, int level) implements Touch {
        public String kind() {
            return "btreeNode";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "agno", agno, "node", node, "level", level);
        }
    }

    record Inode(long ino, String path) implements Touch {
        public String kind() {
            return "inode";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "ino", ino, "path", path);
        }
    }

    /** A DAX entry of a file mapping (or device-dax mapping). */
    record PageEntry(long ino, String path, long index, long pfn) implements Touch {
        public String kind() {
            return "pageEntry";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "path", path, "index", index, "pfn", Units.hex(pfn));
        }
    }

    record Vma(int pid, long start, String path) implements Touch {
        public String kind() {
            return "vma";
        }

        public Map<String, Object> fields() {
            return map("kind", kind(), "pid", pid, "start", Units.hex(start), "path", path);
        }
    }

    /** A process; in {@code kill_procs} steps also the signal code it is sent ({@code BUS_MCEERR_AR/AO}), else null. */
    record Process(int pid, String comm, String signal) implements Touch {
        public Process(int pid, String comm) {
            this(pid, comm, null);
        }

        public String kind() {
            return "process";
        }

        public Map<String, Object> fields() {
            return signal == null ? map("kind", kind(), "pid", pid, "comm", comm)
                    : map("kind", kind(), "pid", pid, "comm", comm, "signal", signal);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
