package dev.daxviz.realkernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a guest run back: the protocol port's lines (init.sh and the helper write them, one fact each) and the
 * console (where a panic, which ends the guest before it can report, is found). Signals are taken in the kernel's
 * order, from its "Sending SIGBUS to COMM:PID" lines: the handlers' own lines come in scheduler order. Each is
 * joined with what that process's handler saw (code, address, lsb, file offset).
 */
public final class ProtocolParser {
    private static final Pattern TIMESTAMP = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] ");
    private static final Pattern SENDING = Pattern.compile("Sending SIGBUS to (.*):(\\d+) due to");
    private static final Pattern ACTION = Pattern.compile("recovery action for [^:]+: (\\w+)");
    private static final Pattern SHUTDOWN = Pattern.compile("\\((0x[0-9a-f]+)\\) detected at .*Shutting down filesystem");
    private static final Pattern RIP = Pattern.compile("RIP: 0010:([A-Za-z0-9_.]+)");
    private static final Pattern FRAME = Pattern.compile("^\\s*(\\? )?([A-Za-z0-9_.]+)\\+0x");
    private static final Pattern KV = Pattern.compile("(\\w+)=(\\S*)");

    private ProtocolParser() {
    }

    /** Parses a run's protocol lines and console text. */
    public static RealRun parse(List<String> protocol, String console) {
        return new State().read(protocol, console);
    }

    /** A log line without its "[   4.123456] " timestamp. */
    static String untimed(String line) {
        return TIMESTAMP.matcher(line).replaceFirst("");
    }

    /** The scenario's name of a guest path: files live under /mnt. */
    static String scenarioPath(String guest) {
        return guest.startsWith("/mnt/") ? guest.substring(4) : guest;
    }

    private static final class State {
        String kernel;
        final Map<String, Long> geometry = new LinkedHashMap<>();
        final Map<String, Long> inodes = new LinkedHashMap<>();
        final Map<Integer, RealRun.Mapper> mappers = new LinkedHashMap<>();
        final List<String> setupLog = new ArrayList<>();
        final List<String> stateLog = new ArrayList<>();
        boolean inState;
        final List<EventDraft> events = new ArrayList<>();
        final Map<Integer, String> states = new HashMap<>();
        final List<String> errors = new ArrayList<>();
        boolean complete;
        String stop;
        EventDraft current;

        RealRun read(List<String> protocol, String console) {
            for (String line : protocol) {
                line(line);
            }
            if (!complete && console != null) {
                consoleCrash(console);
            }
            List<RealRun.Event> out = new ArrayList<>();
            for (EventDraft e : events) {
                out.add(e.build(mappers));
            }
            Map<Integer, String> fin = complete ? states : Map.of();
            return new RealRun(kernel, geometry, inodes, new ArrayList<>(mappers.values()), setupLog, stateLog, out,
                    fin, complete, stop, errors);
        }

        void line(String raw) {
            String line = raw.replace("\r", "");
            if (line.startsWith("K ")) {
                String msg = untimed(line.substring(2));
                (inState ? stateLog : current == null ? setupLog : current.log).add(msg);
                return;
            }
            String word = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
            Map<String, String> kv = fields(line);
            switch (word) {
                case "INIT" -> kernel = kv.get("kernel");
                case "GEOMETRY" -> kv.forEach((k, v) -> geometry.put(k, parseLong(v)));
                case "FILE" -> inodes.put(kv.get("path"), parseLong(kv.get("ino")));
                case "MAPPED" -> {
                    int i = Integer.parseInt(kv.get("i"));
                    mappers.putIfAbsent(i, new RealRun.Mapper(i, kv.get("comm"), Integer.parseInt(kv.get("pid"))));
                    states.put(i, "running");
                }
                case "ERROR" -> errors.add(line.substring(6));
                case "STATE" -> inState = true;
                case "STATE-END" -> inState = false;
                case "EVENT" -> {
                    current = new EventDraft(Integer.parseInt(kv.get("i")), kv.get("kind"));
                    events.add(current);
                }
                case "EVENT-END" -> {
                    if (current != null) {
                        current.finished = true;
                    }
                }
                case "PAGE" -> current().pages.add(new RealRun.Page(Integer.parseInt(kv.get("p")), after(line, "role="),
                        "none".equals(kv.get("pfn")) ? null : kv.get("pfn"), kv.get("how"), null));
                case "RC" -> current().rc(Integer.parseInt(kv.get("p")), line);
                case "SIGBUS" -> current().handled.add(kv);
                case "DEAD" -> {
                    int i = Integer.parseInt(kv.get("i"));
                    if (!"exited".equals(states.get(i))) {
                        states.put(i, "killed");
                    }
                }
                case "EXITED" -> states.put(Integer.parseInt(kv.get("i")), "exited");
                case "DONE" -> current().outcomes.add(line.substring(line.indexOf(' ', 5) + 1));
                case "SKIP" -> current().outcomes.add("skipped: mapper " + kv.get("i") + " is gone");
                case "REMOVE" -> current().outcomes.add("unbind " + line.substring(7).trim());
                case "STOP" -> stop = line.substring(5).trim();
                case "END" -> complete = true;
                default -> { }
            }
        }

        EventDraft current() {
            if (current == null) {
                current = new EventDraft(-1, "setup");
                events.add(current);
            }
            return current;
        }

        /** A panic (or an oops the guest could not report) on the console belongs to the event that was running. */
        void consoleCrash(String console) {
            List<String> lines = console.replace("\r", "").lines().map(ProtocolParser::untimed).toList();
            RealRun.Oops crash = crash(lines);
            if (crash == null) {
                return;
            }
            if (crash.message().startsWith("Kernel panic")) {
                stop = "panic";
            }
            EventDraft e = events.isEmpty() ? null : events.get(events.size() - 1);
            if (e != null && e.oops == null && !e.finished) {
                e.oops = crash;
                // the guest died before it could copy the kernel's lines: take them from the console
                e.log.addAll(lines.subList(Math.max(0, lines.indexOf(crash.message())), lines.size()));
            }
        }
    }

    /** The first kernel crash in some log lines: an oops (BUG:/Oops:, function from RIP) or a panic. */
    public static RealRun.Oops crash(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("BUG: ") || l.startsWith("Oops: ") || l.startsWith("general protection fault")) {
                for (int j = i + 1; j < lines.size(); j++) {
                    Matcher m = RIP.matcher(lines.get(j));
                    if (m.find()) {
                        return new RealRun.Oops(function(m.group(1)), l);
                    }
                }
                return new RealRun.Oops("?", l);
            }
            if (l.startsWith("Kernel panic - not syncing")) {
                return new RealRun.Oops(panicCaller(lines, i), l);
            }
        }
        return null;
    }

    /** The function that called panic: the first real frame after it in the call trace. */
    private static String panicCaller(List<String> lines, int from) {
        boolean trace = false;
        for (int j = from; j < lines.size(); j++) {
            String l = lines.get(j);
            if (l.contains("Call Trace:")) {
                trace = true;
                continue;
            }
            Matcher m = FRAME.matcher(l);
            if (trace && m.find() && m.group(1) == null) {
                String f = m.group(2);
                if (!f.equals("panic") && !f.equals("vpanic") && !f.startsWith("dump_stack")) {
                    return function(f);
                }
            }
        }
        return "panic";
    }

    /**
     * A function name as the source has it: gcc's clones print as {@code memory_failure.cold},
     * {@code foo.isra.0}, {@code bar.constprop.0}, {@code baz.part.0}.
     */
    static String function(String symbol) {
        int dot = symbol.indexOf('.');
        return dot > 0 ? symbol.substring(0, dot) : symbol;
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher k = KV.matcher(line);
        while (k.find()) {
            m.putIfAbsent(k.group(1), k.group(2));
        }
        return m;
    }

    private static String after(String line, String key) {
        int i = line.indexOf(key);
        return i < 0 ? null : line.substring(i + key.length());
    }

    private static Long parseLong(String v) {
        if (v == null) {
            return null;
        }
        try {
            return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class EventDraft {
        final int index;
        final String kind;
        final List<RealRun.Page> pages = new ArrayList<>();
        final Map<Integer, String> rcs = new HashMap<>();
        final List<Map<String, String>> handled = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final List<String> outcomes = new ArrayList<>();
        boolean finished;
        RealRun.Oops oops;

        EventDraft(int index, String kind) {
            this.index = index;
            this.kind = kind;
        }

        void rc(int page, String line) {
            Matcher mad = Pattern.compile("madvise rc=(-?\\d+) errno=(\\d+)").matcher(line);
            Matcher plain = Pattern.compile(" rc=(-?\\d+)$").matcher(line);
            if (mad.find()) {
                rcs.put(page, mad.group(1).equals("0") ? "0" : "-" + mad.group(2));
            } else if (plain.find()) {
                rcs.put(page, plain.group(1));
            } else {
                rcs.put(page, line.contains("rc=none") ? "none" : "unknown");
            }
        }

        RealRun.Event build(Map<Integer, RealRun.Mapper> mappers) {
            List<RealRun.Page> ps = new ArrayList<>();
            Integer rc = null;
            boolean allKnown = !pages.isEmpty();
            for (RealRun.Page p : pages) {
                String r = rcs.get(p.page());
                ps.add(new RealRun.Page(p.page(), p.role(), p.pfn(), p.how(), r));
                Integer v = r != null && r.matches("-?\\d+") ? Integer.valueOf(r) : null;
                if (v == null) {
                    allKnown = false;
                } else if (v != 0 && rc == null) {
                    rc = v;
                }
            }
            if (rc == null && allKnown) {
                rc = 0;
            }
            RealRun.Oops crash = oops != null ? oops : crash(log);
            return new RealRun.Event(index, kind, ps, signals(mappers), log, crash != null ? null : rc, result(log),
                    shutdown(log), crash, finished, outcomes);
        }

        private List<RealRun.Signal> signals(Map<Integer, RealRun.Mapper> mappers) {
            Map<Integer, Deque<Map<String, String>>> byPid = new HashMap<>();
            for (Map<String, String> h : handled) {
                byPid.computeIfAbsent(Integer.parseInt(h.get("pid")), k -> new ArrayDeque<>()).add(h);
            }
            Map<Integer, Integer> mapperOfPid = new HashMap<>();
            mappers.values().forEach(m -> mapperOfPid.put(m.pid(), m.index()));
            List<RealRun.Signal> out = new ArrayList<>();
            for (Sent sent : sent(log)) {
                Deque<Map<String, String>> q = byPid.get(sent.pid());
                Map<String, String> h = q == null ? null : q.poll();
                out.add(signal(mapperOfPid.getOrDefault(sent.pid(), 0), sent.comm(), sent.pid(), h));
            }
            // a handler line without a kernel line (the log was cut short by a crash): keep it, after the others
            byPid.forEach((pid, q) -> q.forEach(h -> out.add(signal(mapperOfPid.getOrDefault(pid, 0), h.get("comm"),
                    pid, h))));
            return out;
        }

        private static RealRun.Signal signal(int mapper, String comm, int pid, Map<String, String> h) {
            if (h == null) {
                return new RealRun.Signal(mapper, comm, pid, null, null, null, null, null);
            }
            String code = switch (h.get("code")) {
                case "4" -> "BUS_MCEERR_AR";
                case "5" -> "BUS_MCEERR_AO";
                default -> "si_code " + h.get("code");
            };
            String file = h.get("file");
            Long off = parseLong(h.get("off"));
            return new RealRun.Signal(mapper, comm, pid, code, h.get("addr"), Integer.valueOf(h.get("lsb")),
                    file == null || file.equals("?") ? null : scenarioPath(file), off);
        }
    }

    /** A "Sending SIGBUS to COMM:PID" line of the kernel. */
    public record Sent(String comm, int pid) {
    }

    /** The kernel's SIGBUS lines in kernel lines, in order: the authoritative kill order. */
    public static List<Sent> sent(List<String> kernelLines) {
        List<Sent> out = new ArrayList<>();
        for (String l : kernelLines) {
            Matcher m = SENDING.matcher(l);
            if (m.find()) {
                out.add(new Sent(m.group(1), Integer.parseInt(m.group(2))));
            }
        }
        return out;
    }

    /**
     * The result word of kernel lines' "recovery action" lines, combined as the simulation combines the pages of an
     * event: "Failed" if any page failed, else the last word; null when there is none.
     */
    public static String result(List<String> kernelLines) {
        String result = null;
        for (String l : kernelLines) {
            Matcher a = ACTION.matcher(l);
            if (a.find() && !"Failed".equals(result)) {
                result = a.group(1);
            }
        }
        return result;
    }

    /** The reason of the first XFS shutdown in kernel lines, by its xfs_do_force_shutdown flag; null if none. */
    public static String shutdown(List<String> kernelLines) {
        for (String l : kernelLines) {
            Matcher s = SHUTDOWN.matcher(l);
            if (s.find()) {
                return shutdownReason(Integer.decode(s.group(1)));
            }
        }
        return null;
    }

    /** The xfs_do_force_shutdown flag in the shutdown line, by the name the simulation uses. */
    static String shutdownReason(int flags) {
        return switch (flags) {
            case 0x1 -> "SHUTDOWN_META_IO_ERROR";
            case 0x2 -> "SHUTDOWN_LOG_IO_ERROR";
            case 0x4 -> "SHUTDOWN_FORCE_UMOUNT";
            case 0x8 -> "SHUTDOWN_CORRUPT_INCORE";
            case 0x10 -> "SHUTDOWN_CORRUPT_ONDISK";
            case 0x20 -> "SHUTDOWN_DEVICE_REMOVED";
            default -> "SHUTDOWN_" + Integer.toHexString(flags);
        };
    }
}
