package dev.daxviz.realkernel;

import java.util.List;
import java.util.Map;

/**
 * What really happened in the guest, read from its protocol and console logs ({@link ProtocolParser}): per event
 * the signals (process by name, file, file offset, code, lsb, in the kernel's order), return code, result word,
 * shutdown, oops and kernel lines, and the machine's real geometry.
 *
 * @param kernelRelease {@code uname -r} in the guest, null if it never started
 * @param geometry      xfs_db's superblock fields (agcount, agblocks, agblklog, dblocks, logstart, logblocks, rootino,
 *                      sectsize), empty without a filesystem
 * @param inodes        the scenario's files and their real inode numbers, in creation order
 * @param setupLog      the kernel lines printed while the world was set up (timestamps stripped)
 * @param stateLog      the kernel lines printed while the guest brought the filesystem into the scenario's starting
 *                      state (a remount for mountedAfterSetup, a shutdown): the guest's way there, not the scenario's
 * @param finalStates   mapper index → running, killed or exited; empty when the guest never reached its end
 * @param complete      the plan ran to its END line
 * @param stop          why the run stopped early: "oops", "injector-died", "panic", "error: …", or null
 * @param errors        ERROR lines of the guest (setup steps that failed)
 */
public record RealRun(String kernelRelease, Map<String, Long> geometry, Map<String, Long> inodes,
                      List<Mapper> mappers, List<String> setupLog, List<String> stateLog, List<Event> events,
                      Map<Integer, String> finalStates,
                      boolean complete, String stop, List<String> errors) {
    public RealRun {
        geometry = Map.copyOf(geometry);
        inodes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inodes));
        mappers = List.copyOf(mappers);
        setupLog = List.copyOf(setupLog);
        stateLog = List.copyOf(stateLog);
        events = List.copyOf(events);
        finalStates = Map.copyOf(finalStates);
        errors = List.copyOf(errors);
    }

    /** A guest mapper: scenario process number {@code index} (1-based), its real pid and name. */
    public record Mapper(int index, String comm, int pid) {
    }

    /**
     * One event as it ran.
     *
     * @param pages      per poisoned page: where the guest found its role and what the injection returned
     * @param returnCode the event's rc as the simulation combines pages (the first non-zero), null when unknown
     * @param result     the recovery action word ("Failed" if any page failed, else the last), null if none printed
     * @param shutdown   the shutdown reason from the XFS shutdown line, null if the filesystem did not go down
     * @param oops       the kernel crashed in this event, else null
     * @param finished   the guest reached the event's end (false when it crashed or died in it)
     * @param outcomes   for a model event: what its helper answered ("pwrite rc=0", "touched", "skipped: gone")
     */
    public record Event(int index, String kind, List<Page> pages, List<Signal> signals, List<String> log,
                        Integer returnCode, String result, String shutdown, Oops oops, boolean finished,
                        List<String> outcomes) {
        public Event {
            pages = List.copyOf(pages);
            signals = List.copyOf(signals);
            log = List.copyOf(log);
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * A poisoned page: the role it stands for, the real pfn found for it (null if none was), how it was found
     * (exact, clamped, moved) and what its injection returned ("0", "-117", "none" when the injector died).
     */
    public record Page(int page, String role, String pfn, String how, String rc) {
    }

    /**
     * A SIGBUS in the kernel's order ("Sending SIGBUS to COMM:PID"), with what the process's handler saw.
     *
     * @param mapper    the scenario process number (1-based), 0 when the pid is no mapper
     * @param code      BUS_MCEERR_AO or BUS_MCEERR_AR, null when the handler did not run for it (a pending SIGBUS is
     *                  not queued twice)
     * @param file      the mapped file as the scenario names it, null when unknown
     * @param offset    the file (or device) offset of the signal's address, null when unknown
     */
    public record Signal(int mapper, String comm, int pid, String code, String addr, Integer lsb, String file,
                         Long offset) {
    }

    /** A kernel crash: the function from the RIP line and the first line of the report. */
    public record Oops(String function, String message) {
    }
}
