package dev.daxviz.ui;

import dev.daxviz.model.Address;
import dev.daxviz.model.ModelException;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a user types in the go-to box, in any address form: {@code pfn 0x10c01}, {@code daddr 4104},
 * {@code ag 1/513}, {@code fsblock 25}, {@code off 0x201000}, {@code /data/a.bin+8KiB}, or a physical address
 * ({@code 0x10c01000} or {@code phys 0x10c01000}). Never throws anything but {@link GotoException}.
 */
public final class GotoParser {
    private static final Pattern KEYED = Pattern.compile("(?i)^\\s*(pfn|phys|physaddr|daddr|fsblock|fsb|block|off|offset|deviceoffset)\\s*[:= ]?\\s*(\\S+)\\s*$");
    private static final Pattern AG = Pattern.compile("(?i)^\\s*ag\\s*(\\S+?)\\s*[/ ,:]\\s*(?:agbno\\s*)?(\\S+)\\s*$");
    private static final Pattern FILE = Pattern.compile("^\\s*(/[^+\\s]*)\\s*(?:\\+\\s*(\\S+))?\\s*$");
    private static final Pattern NUMBER = Pattern.compile("(?i)^(0x[0-9a-f_]+|[0-9_]+)\\s*(b|k|kib|m|mib|g|gib|t|tib)?$");

    private GotoParser() {
    }

    /** Thrown with a message that says what was wrong and what would work. */
    public static final class GotoException extends Exception {
        private static final long serialVersionUID = 1L;

        GotoException(String message) {
            super(message);
        }
    }

    public static final String HELP = "Try: pfn 0x10c01 · daddr 4104 · ag 1/513 · fsblock 25 · off 0x201000 · "
            + "/data/a.bin+8KiB · 0x10c01000 (a physical address)";

    public static long pfnOf(World w, String text) throws GotoException {
        if (text == null || text.isBlank()) {
            throw new GotoException("Type an address. " + HELP);
        }
        if (text.length() > 4096) {
            throw new GotoException("That is too long to be an address. " + HELP);
        }
        try {
            Address a = resolve(w, text.trim());
            if (a == null) {
                throw new GotoException("That file offset is a hole: no block backs it.");
            }
            if (a.device() == null) {
                throw new GotoException("pfn " + a.pfnHex() + " is not on any pmem namespace of this machine ("
                        + w.devices().stream().map(d -> d.name() + " pfn " + dev.daxviz.model.Units.hex(d.firstPfn()) + "–"
                        + dev.daxviz.model.Units.hex(d.endPfn() - 1)).reduce((x, y) -> x + ", " + y).orElse("none") + ").");
            }
            return a.pfn();
        } catch (ModelException e) {
            throw new GotoException(e.getMessage());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new GotoException("'" + text.trim() + "' is not an address DaxViz understands. " + HELP);
        }
    }

    private static Address resolve(World w, String t) throws GotoException {
        Matcher m = KEYED.matcher(t);
        if (m.matches()) {
            long v = number(m.group(2));
            return switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "pfn" -> w.addressing().ofPfn(v);
                case "phys", "physaddr" -> w.addressing().ofPhys(v);
                case "daddr" -> w.addressing().ofDaddr(v);
                case "fsblock", "fsb", "block" -> w.addressing().ofFsblock(v);
                default -> w.addressing().ofDeviceOffset(v);
            };
        }
        m = AG.matcher(t);
        if (m.matches()) {
            return w.addressing().ofAg(Math.toIntExact(number(m.group(1))), Math.toIntExact(number(m.group(2))));
        }
        m = FILE.matcher(t);
        if (m.matches()) {
            if (!w.hasFs() || w.fs().byPath(m.group(1)) == null) {
                throw new GotoException("No file " + m.group(1) + " in this world.");
            }
            long off = m.group(2) == null ? 0 : number(m.group(2));
            return w.addressing().ofFile(m.group(1), off);
        }
        Matcher n = NUMBER.matcher(t.replace(" ", ""));
        if (n.matches()) {
            return w.addressing().ofPhys(number(t.replace(" ", "")));
        }
        throw new GotoException("'" + t + "' is not an address DaxViz understands. " + HELP);
    }

    /** 123, 0x7b, 8KiB, 2MiB, 4k: a non-negative number that fits a long. */
    static long number(String s) throws GotoException {
        Matcher m = NUMBER.matcher(s.trim());
        if (!m.matches()) {
            throw new GotoException("'" + s + "' is not a number (use 123, 0x7b or 8KiB).");
        }
        String digits = m.group(1).replace("_", "");
        BigInteger v = digits.toLowerCase(Locale.ROOT).startsWith("0x")
                ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
        String suffix = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mul = switch (suffix.charAt(0)) {
            case 'k' -> Units.KiB;
            case 'm' -> Units.MiB;
            case 'g' -> Units.GiB;
            case 't' -> Units.TiB;
            default -> 1;
        };
        v = v.multiply(BigInteger.valueOf(mul));
        if (v.bitLength() > 62) {
            throw new GotoException("'" + s + "' is larger than any address.");
        }
        return v.longValue();
    }
}
