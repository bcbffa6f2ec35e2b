package dev.daxviz.realkernel;

import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.Xfs;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The setup half of a plan: modules, namespaces, mkfs and mount, the files in list order, the sysctls, then one
 * mapper per process, created and faulted strictly in scenario order (kernel-semantics.md §2: setup order
 * matters), then the poisoned pages' blocks are located and the filesystem state is applied.
 */
final class SetupScript {
    private final BuiltScenario b;
    private final Scenario s;
    private final MachineLayout machine;
    private final Map<Integer, Integer> mapperOf;
    private final Set<String> rwMaps;
    private final List<FidelityNote> notes;
    private final StringBuilder out;

    SetupScript(BuiltScenario b, MachineLayout machine, Map<Integer, Integer> mapperOf, Set<String> rwMaps,
                List<FidelityNote> notes, StringBuilder out) {
        this.b = b;
        this.s = b.scenario();
        this.machine = machine;
        this.mapperOf = mapperOf;
        this.rwMaps = rwMaps;
        this.notes = notes;
        this.out = out;
    }

    void write(List<String> locateLines) {
        line("load_modules");
        line("make_namespace 0 " + (GuestTranslator.devdax(s) ? "devdax" : "fsdax"));
        for (int i = 1; i < machine.regions().size(); i++) {
            line("make_namespace " + i + " fsdax");
        }
        Scenario.FsDef fs = s.filesystem();
        if (fs != null) {
            filesystem(fs);
            files();
            if (fs.mountedAfterSetup()) {
                line("state remount remount");
                notes.add(FidelityNote.exact("filesystem.mountedAfterSetup (umount and mount after the files)"));
            }
        }
        sysctl(s.sysctl());
        processes();
        out.append(String.join("\n", locateLines)).append(locateLines.isEmpty() ? "" : "\n");
        if (fs != null && fs.state() == Xfs.FsState.SHUTDOWN) {
            line("state shutdown xfs_io -x -c shutdown /mnt");
            notes.add(FidelityNote.exact("filesystem.state shutdown (xfs_io -x -c shutdown after the setup)"));
        } else if (fs != null && fs.state() == Xfs.FsState.UNMOUNTED) {
            line("state unmounted umount /mnt");
            notes.add(FidelityNote.exact("filesystem.state unmounted (umount after the setup)"));
        }
        line("say \"SETUP-END uptime=$(up)\"");
    }

    private void filesystem(Scenario.FsDef fs) {
        boolean stripes = s.files().stream().anyMatch(f -> f.align() >= Units.PMD_SIZE)
                || s.processes().stream().anyMatch(p -> p.maps().stream().anyMatch(m -> Boolean.TRUE.equals(m.pmd())));
        List<String> mkfs = GuestTranslator.mkfsArgs(fs, s.device().size(), machine, stripes);
        String mount = GuestTranslator.mountOptions(fs, machine);
        line("make_fs " + ShellWords.quote(mount) + " " + ShellWords.line(mkfs));
        notes.add(FidelityNote.exact("filesystem (mkfs.xfs " + String.join(" ", mkfs) + ", mount -o " + mount + ")"));
        if (stripes) {
            notes.add(FidelityNote.approximate("filesystem stripe unit", "2 MiB-aligned files need mkfs -d su=2m,sw=1, "
                    + "which the simulation's layout does not have"));
        }
    }

    private void files() {
        Set<String> dirs = new LinkedHashSet<>();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < s.files().size(); i++) {
            Scenario.FileDef def = s.files().get(i);
            for (int n = 0; n < def.files(); n++) {
                Scenario.FileDef f = def.instance(n);
                String dir = f.path().substring(0, f.path().lastIndexOf('/'));
                if (!dir.isEmpty() && dirs.add(dir)) {
                    line("run mkdir -p " + ShellWords.quote("/mnt" + dir));
                }
                file("files[" + i + "] " + f.path(), f);
                made.add(f.path());
            }
        }
        line("sync");
        for (String p : made) {
            line("file_report " + ShellWords.quote(p));
        }
    }

    private void file(String item, Scenario.FileDef f) {
        String g = "/mnt" + f.path();
        List<String> approx = new ArrayList<>();
        boolean flags = f.rt() || f.align() >= Units.PMD_SIZE || f.dax() && s.filesystem().dax() == Xfs.DaxPolicy.INODE;
        if (flags) {
            // the realtime, DAX and extent-size flags can only be set while the file is empty
            line("run touch " + ShellWords.quote(g));
        }
        if (f.rt()) {
            line("run xfs_io -c 'chattr +r' " + ShellWords.quote(g));
        }
        if (f.dax() && s.filesystem().dax() == Xfs.DaxPolicy.INODE) {
            line("run xfs_io -c 'chattr +x' " + ShellWords.quote(g));
        }
        if (f.align() >= Units.PMD_SIZE) {
            line("run xfs_io -c 'extsize " + f.align() + "' " + ShellWords.quote(g));
            approx.add("aligned with extsize " + Units.human(f.align()) + ": XFS picks the aligned extent");
        }
        if (f.cloneOf() != null) {
            line("run daxhelper clone " + ShellWords.quote("/mnt" + f.cloneOf()) + " " + ShellWords.quote(g));
        } else if (f.extents() != null) {
            long end = 0;
            line("run touch " + ShellWords.quote(g));
            for (Scenario.ExtentDef e : f.extents()) {
                line("run daxhelper pwrite " + ShellWords.quote(g) + " " + e.offset() * Units.PAGE_SIZE + " "
                        + e.length() * Units.PAGE_SIZE);
                end = Math.max(end, (e.offset() + e.length()) * Units.PAGE_SIZE);
            }
            if (f.size() != null && f.size() > end) {
                line("run truncate -s " + f.size() + " " + ShellWords.quote(g));
            }
            approx.add("XFS has no 'allocate here': the extents' ranges are written and the allocator places them "
                    + "(poisons are carried over by role, not by agbno)");
        } else if (f.size() != null && f.size() > 0) {
            if (f.fragments() > 1) {
                line("run daxhelper fragfile " + ShellWords.quote(g) + " " + f.size() + " " + f.fragments() + " "
                        + "/mnt/.daxviz-filler");
                approx.add("written in " + f.fragments() + " pieces alternating with a filler file: as many extents, "
                        + "at blocks XFS chooses");
            } else {
                line("run daxhelper mkfile " + ShellWords.quote(g) + " " + f.size());
            }
        } else if (!flags && f.ranges().isEmpty()) {
            line("run touch " + ShellWords.quote(g));
        }
        for (Scenario.RangeDef r : f.ranges()) {
            long len = r.length() != null ? r.length() : -1;
            long to = r.to() != null ? r.to() : r.offset();
            if (len < 0) {
                len = Units.alignUp(b.world().fs().byPath(r.from()).size(), Units.PAGE_SIZE) - r.offset();
            }
            line("run daxhelper clonerange " + ShellWords.quote("/mnt" + r.from()) + " " + r.offset() + " " + len + " "
                    + ShellWords.quote(g) + " " + to);
        }
        if (f.xattrBlocks() > 0) {
            line("run daxhelper xattr " + ShellWords.quote(g) + " " + f.xattrBlocks());
            approx.add(f.xattrBlocks() + " extended attribute(s) of 3000 bytes, too big for the inode: XFS lays out "
                    + "the attr fork itself");
        }
        if (f.ag() != null) {
            approx.add("the allocator chooses the AG (ag: " + f.ag() + " is not enforced)");
        }
        notes.add(approx.isEmpty() ? FidelityNote.exact(item) : FidelityNote.approximate(item, String.join("; ", approx)));
    }

    private void sysctl(Sysctl sc) {
        line("echo " + sc.memoryFailureEarlyKill() + " > /proc/sys/vm/memory_failure_early_kill");
        line("echo " + sc.memoryFailureRecovery() + " > /proc/sys/vm/memory_failure_recovery");
        notes.add(FidelityNote.exact("sysctl (vm.memory_failure_early_kill " + sc.memoryFailureEarlyKill()
                + ", vm.memory_failure_recovery " + sc.memoryFailureRecovery() + ")"));
    }

    private void processes() {
        List<Integer> endAfter = new ArrayList<>();
        for (Scenario.ProcessDef p : s.processes()) {
            int idx = mapperOf.get(p.pid());
            List<String> words = new ArrayList<>(List.of("start_mapper", String.valueOf(idx), p.comm(),
                    policy(p.earlyKill()), p.onSigbus().id()));
            List<String> approx = new ArrayList<>();
            String item = "processes[" + (idx - 1) + "] " + p.comm() + ":" + p.pid();
            for (Scenario.MapDef m : p.maps()) {
                try {
                    words.add(spec(p, m));
                } catch (Refusal r) {
                    notes.add(FidelityNote.refused(item, r.getMessage()));
                }
                if (Boolean.TRUE.equals(m.pmd())) {
                    approx.add("a 2 MiB mapping of " + m.path() + " needs XFS to have aligned the extent");
                }
                if (m.address() != null) {
                    approx.add("the kernel chooses the user address (not " + Units.hex(m.address()) + ")");
                }
            }
            line(ShellWords.line(words));
            if (p.state() != Process.State.RUNNING) {
                endAfter.add(idx);
                approx.add("it starts " + p.state().id() + ": the mapper faults its pages, then exits");
            }
            if (!GuestPlan.kernelComm(p.comm()).equals(p.comm())) {
                approx.add("the kernel keeps 15 characters of the name: " + GuestPlan.kernelComm(p.comm()));
            }
            notes.add(approx.isEmpty() ? FidelityNote.exact(item) : FidelityNote.approximate(item, String.join("; ",
                    approx)));
        }
        for (int idx : endAfter) {
            line("mapper_exit " + idx);
        }
    }

    /** A mapper's SPEC: GUESTPATH,OFF,LEN,TOUCHED,PMD,RW (daxhelper.c). */
    private String spec(Scenario.ProcessDef p, Scenario.MapDef m) {
        boolean devdax = GuestTranslator.devdax(s);
        String guest = devdax ? m.path() : "/mnt" + m.path();
        if (guest.contains(",") || guest.contains(" ")) {
            throw new Refusal("the path " + m.path() + " has a comma or a space, which the guest's mapper "
                    + "arguments cannot carry");
        }
        String touched;
        if (m.touchedAll()) {
            touched = "all";
        } else if (m.touched().isEmpty()) {
            touched = "none";
        } else {
            touched = String.join(":", new TreeSet<>(m.touched()).stream().map(String::valueOf).toList());
        }
        boolean pmd = devdax || Boolean.TRUE.equals(m.pmd());
        boolean rw = rwMaps.contains(p.pid() + "\0" + m.path());
        return guest + "," + m.offset() + "," + m.length() + "," + touched + "," + (pmd ? 1 : 0) + "," + (rw ? 1 : 0);
    }

    private static String policy(Process.EarlyKill k) {
        return switch (k) {
            case EARLY -> "early";
            case LATE -> "late";
            case DEFAULT -> "none";
        };
    }

    private void line(String l) {
        out.append(l).append('\n');
    }
}
