package dev.daxviz.realkernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel lines as templates both worlds can share. Pfns, pids, virtual addresses, inode numbers, the 6.12 mount
 * UUID, {@code +0x…/0x…} function offsets (and the module tag after them) and source line numbers all differ
 * between the simulation and a real run; they become placeholders. Process names are cut to the 15 characters the
 * kernel keeps. Only lines of the kinds the simulation prints are compared ({@link #modelled}): of an oops report
 * that is the "BUG:" line, not the "Oops:" header, registers and call trace after it.
 */
public final class LogNormaliser {
    /** The beginnings of the lines the simulation models; other kernel chatter (drivers, registers) is not compared. */
    static final List<String> MODELLED = List.of("Memory failure:", "XFS (", "WARNING:", "BUG:", "Kernel panic",
            "Injecting memory failure");
    private static final Pattern OFFSET = Pattern.compile("\\+0x[0-9a-f]+/0x[0-9a-f]+( \\[\\w+])?");
    private static final Pattern SOURCE_LINE = Pattern.compile("\\.([ch]):\\d+");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SENDING = Pattern.compile("Sending SIGBUS to (.*):\\d+ due");
    private static final Pattern PID = Pattern.compile("PID: \\d+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]{4,}");
    private static final Pattern PAGE = Pattern.compile("on page [0-9a-f]+");
    private static final Pattern INODE = Pattern.compile("\\b(inode|ino) \\d+");

    private LogNormaliser() {
    }

    static boolean modelled(String line) {
        String l = ProtocolParser.untimed(line);
        return MODELLED.stream().anyMatch(l::startsWith);
    }

    /** One line as a template. */
    public static String template(String line) {
        String t = ProtocolParser.untimed(line);
        t = OFFSET.matcher(t).replaceAll("");
        t = SOURCE_LINE.matcher(t).replaceAll(".$1");
        t = UUID.matcher(t).replaceAll("<uuid>");
        Matcher s = SENDING.matcher(t);
        if (s.find()) {
            String comm = GuestPlan.kernelComm(s.group(1));
            t = t.substring(0, s.start()) + "Sending SIGBUS to " + Matcher.quoteReplacement(comm) + ":<pid> due"
                    + t.substring(s.end());
        }
        t = PID.matcher(t).replaceAll("PID: <pid>");
        t = HEX.matcher(t).replaceAll("<hex>");
        t = PAGE.matcher(t).replaceAll("on page <hex>");
        t = INODE.matcher(t).replaceAll("$1 <ino>");
        return t;
    }

    /**
     * The templates of the modelled lines, in order. {@code dropInjection}: leave out the "Injecting memory failure"
     * lines, which a real debugfs or madvise injection prints and a hardware error (or the simulation of it) does not.
     */
    public static List<String> templates(List<String> lines, boolean dropInjection) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (!modelled(l)) {
                continue;
            }
            String t = template(l);
            if (dropInjection && t.startsWith("Injecting memory failure")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }
}
