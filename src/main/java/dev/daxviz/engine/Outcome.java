package dev.daxviz.engine;

import dev.daxviz.model.Address;

import java.util.List;

/**
 * What one failure event did, in the shape of the result JSON's event (scenario-format.md "Result").
 *
 * @param kind       "poison" or "remove"
 * @param address    the first poisoned page in every form (null for a removal)
 * @param length     bytes poisoned
 * @param path       kernel functions entered, in call order, without repeats
 * @param page       the struct page the kernel acted on, after the event (null for a removal)
 * @param oops       the simulated kernel crashed (or panicked) in this event, else null
 * @param shutdown   the filesystem shut down in this event, else null
 * @param returnCode memory_failure()'s return (the holder's notify_failure return for a removal); null when the
 *                   simulated kernel crashed and nothing returned
 * @param result     the word of the "recovery action" line, or null if none is printed
 */
public record Outcome(String kind, Address address, long length, List<String> path, List<Owner> owners,
                      PageReport page, List<Signal> signals, Oops oops, Shutdown shutdown, Integer returnCode,
                      String result, List<String> log) {

    public Outcome {
        path = List.copyOf(path);
        owners = List.copyOf(owners);
        signals = List.copyOf(signals);
        log = List.copyOf(log);
    }

    /**
     * An owner of the poisoned range as the reverse map (or, on the generic path, page->mapping) reports it.
     *
     * @param type       "inode", a special rmap owner ("fs", "log", "ag", "inobt", "inodes", "refc", "cow"),
     *                   "null" for free space, "device" for a device-dax mapping
     * @param fork       "data", "attr" or "bmbt" for an inode
     * @param fileOffset byte offset in the file of the first poisoned page it owns
     * @param shared     the block has more than one owner
     */
    public record Owner(String type, Long ino, String path, String fork, Long fileOffset, boolean shared, Integer agno) {
    }

    /** A struct page after the event. */
    public record PageReport(long pfn, boolean hwpoison, boolean shared, int shareCount, String mapping, Long index) {
    }

    /** A signal as {@code kill_proc} sends it. */
    public record Signal(int pid, String comm, String signal, String code, long addr, int addrLsb, String cause) {
        public boolean actionRequired() {
            return code.equals("BUS_MCEERR_AR");
        }
    }

    public record Oops(String function, String message) {
    }

    public record Shutdown(String reason, String message) {
    }
}
