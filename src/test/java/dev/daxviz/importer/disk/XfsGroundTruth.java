package dev.daxviz.importer.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What xfs_db says about an image, parsed for comparison with the reader. */
public final class XfsGroundTruth {

    private static final Pattern REC = Pattern.compile("^\\d+:\\[(.*)\\]\\s*$");

    private XfsGroundTruth() {
    }

    /** {@code name = value} pairs of xfs_db's {@code print} after the given commands. */
    static Map<String, String> print(Path img, String... commands) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : XfsTestImages.xfsDb(img, commands)) {
            int eq = l.indexOf(" = ");
            if (eq > 0) {
                out.put(l.substring(0, eq).trim(), l.substring(eq + 3).trim());
            }
        }
        return out;
    }

    static long num(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new AssertionError("xfs_db printed no " + key + ": " + m);
        }
        v = v.split(" ")[0];
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }

    /** Leaf records of a btree as xfs_db's {@code btdump} prints them, each as its fields. */
    static List<List<Long>> btdump(Path img, String header, String root) throws IOException {
        List<List<Long>> out = new ArrayList<>();
        for (String l : XfsTestImages.xfsDb(img, header, "addr " + root, "btdump")) {
            Matcher m = REC.matcher(l);
            if (m.matches()) {
                List<Long> rec = new ArrayList<>();
                for (String f : m.group(1).split(",")) {
                    f = f.trim();
                    rec.add(f.startsWith("0x") ? Long.parseUnsignedLong(f.substring(2), 16) : Long.parseLong(f));
                }
                out.add(rec);
            }
        }
        return out;
    }

    /**
     * The {@code bmap} lines of both forks of each inode ({@code data offset 0 startblock 24 (0/24) count 1
     * flag 0}), from one xfs_db run.
     */
    public static Map<Long, List<String>> bmaps(Path img, Collection<Long> inos) throws IOException {
        List<String> cmds = new ArrayList<>();
        for (long ino : inos) {
            cmds.add("echo ino " + ino);
            cmds.add("inode " + ino);
            // without -a or -d, bmap prints the data fork and then the attr fork
            cmds.add("bmap");
        }
        Map<Long, List<String>> out = new TreeMap<>();
        List<String> cur = null;
        for (String l : XfsTestImages.xfsDb(img, cmds.toArray(new String[0]))) {
            if (l.startsWith("ino ")) {
                cur = new ArrayList<>();
                out.put(Long.parseLong(l.substring(4).trim()), cur);
            } else if (cur != null && (l.startsWith("data ") || l.startsWith("attr "))) {
                cur.add(l.trim());
            }
        }
        return out;
    }

    /** Our extents in xfs_db's {@code bmap} form. */
    static List<String> bmapLines(Superblock sb, Dinode d) {
        List<String> out = new ArrayList<>();
        add(out, sb, "data", d.dataFork());
        d.attrFork().ifPresent(f -> add(out, sb, "attr", f));
        return out;
    }

    private static void add(List<String> out, Superblock sb, String fork, Fork f) {
        for (BmbtExtent e : f.extents()) {
            out.add(fork + " offset " + e.startoff() + " startblock " + e.startblock() + " ("
                    + sb.fsbAgno(e.startblock()) + "/" + sb.fsbAgbno(e.startblock()) + ") count " + e.blockcount()
                    + " flag " + (e.unwritten() ? 1 : 0));
        }
    }

    /**
     * Inode → one of its paths from xfs_db's {@code ncheck} ("/" + path, a directory's trailing "/." removed; the
     * root is not listed, and of several hard links only one is).
     */
    static Map<Long, List<String>> ncheck(Path img) throws IOException {
        Map<Long, List<String>> out = new TreeMap<>();
        for (String l : XfsTestImages.xfsDb(img, "blockget -n", "ncheck")) {
            String t = l.trim();
            int sp = t.indexOf(' ');
            if (sp < 0 || !Character.isDigit(t.charAt(0))) {
                continue;
            }
            String path = "/" + t.substring(sp + 1).trim();
            if (path.endsWith("/.")) {
                path = path.substring(0, path.length() - 2);
            }
            out.computeIfAbsent(Long.parseLong(t.substring(0, sp)), k -> new ArrayList<>()).add(path);
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }
}
