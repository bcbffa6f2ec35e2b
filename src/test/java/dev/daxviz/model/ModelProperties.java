package dev.daxviz.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.daxviz.model.WorldEditor.FileSpec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * Random operation sequences on a small machine (64 MiB, 4 AGs): every step keeps every invariant
 * ({@link World#check()}), and no step changes the world it started from. An operation the machine cannot do
 * throws {@link ModelException} and is skipped; any other exception fails the property.
 */
class ModelProperties {
    private static final long K4 = Units.PAGE_SIZE;

    // ------------------------------------------------------------------ operations, with indices taken modulo what exists

    sealed interface Op permits Create, Reflink, CloneRange, Write, Punch, Truncate, Unlink, Spawn, MapFile, Touch,
            Munmap, Exit, Remount {
    }

    record Create(int blocks, int ag, int fragments, int xattrBlocks, int flags) implements Op {
    }

    record Reflink(int src) implements Op {
    }

    record CloneRange(int src, int dst, int srcBlock, int blocks, int dstBlock) implements Op {
    }

    record Write(int file, int offset, int length) implements Op {
    }

    record Punch(int file, int offset, int length) implements Op {
    }

    record Truncate(int file, int size) implements Op {
    }

    record Unlink(int file) implements Op {
    }

    record Spawn(int earlyKill) implements Op {
    }

    record MapFile(int proc, int file, int block, int blocks, boolean pmd) implements Op {
    }

    record Touch(int proc, int vma, int block, int blocks, boolean write) implements Op {
    }

    record Munmap(int proc, int vma) implements Op {
    }

    record Exit(int proc, boolean killed) implements Op {
    }

    record Remount() implements Op {
    }

    @Provide
    Arbitrary<KernelProfile> profiles() {
        return Arbitraries.of(KernelProfile.all());
    }

    @Provide
    Arbitrary<Xfs.DaxPolicy> policies() {
        return Arbitraries.frequency(Tuple.of(6, Xfs.DaxPolicy.ALWAYS), Tuple.of(1, Xfs.DaxPolicy.INODE),
                Tuple.of(1, Xfs.DaxPolicy.NEVER));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> idx = Arbitraries.integers().between(0, 99);
        Arbitrary<Integer> blk = Arbitraries.integers().between(0, 20);
        Arbitrary<Integer> bytes = Arbitraries.integers().between(0, 80 * 1024);
        Arbitrary<Op> create = Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(-1, 3),
                Arbitraries.frequency(Tuple.of(3, 1), Tuple.of(1, 3), Tuple.of(1, 25)), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 7)).as(Create::new);
        Arbitrary<Op> reflink = idx.map(Reflink::new);
        Arbitrary<Op> clone = Combinators.combine(idx, idx, blk, Arbitraries.integers().between(1, 8), blk).as(CloneRange::new);
        Arbitrary<Op> write = Combinators.combine(idx, bytes, Arbitraries.integers().between(1, 20_000)).as(Write::new);
        Arbitrary<Op> punch = Combinators.combine(idx, bytes, Arbitraries.integers().between(1, 40_000)).as(Punch::new);
        Arbitrary<Op> truncate = Combinators.combine(idx, bytes).as(Truncate::new);
        Arbitrary<Op> unlink = idx.map(Unlink::new);
        Arbitrary<Op> spawn = Arbitraries.integers().between(0, 2).map(Spawn::new);
        Arbitrary<Op> map = Combinators.combine(idx, idx, blk, Arbitraries.integers().between(1, 12),
                Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true))).as(MapFile::new);
        Arbitrary<Op> touch = Combinators.combine(idx, idx, blk, Arbitraries.integers().between(1, 6),
                Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true))).as(Touch::new);
        Arbitrary<Op> munmap = Combinators.combine(idx, idx).as(Munmap::new);
        Arbitrary<Op> exit = Combinators.combine(idx, Arbitraries.of(true, false)).as(Exit::new);
        Arbitrary<Op> remount = Arbitraries.just(new Remount());
        return Arbitraries.frequencyOf(Tuple.of(6, create), Tuple.of(4, reflink), Tuple.of(3, clone), Tuple.of(3, write),
                Tuple.of(2, punch), Tuple.of(2, truncate), Tuple.of(2, unlink), Tuple.of(1, spawn), Tuple.of(5, map),
                Tuple.of(7, touch), Tuple.of(1, munmap), Tuple.of(2, exit), Tuple.of(1, remount)).list().ofMinSize(1).ofMaxSize(30);
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void randomOperationsKeepEveryInvariant(@ForAll("profiles") KernelProfile profile,
                                            @ForAll("policies") Xfs.DaxPolicy dax, @ForAll("ops") List<Op> ops) {
        Run r = new Run(profile, dax);
        for (Op op : ops) {
            r.step(op, false);
        }
        assertThat(r.applied + r.refused).isEqualTo(ops.size());
    }

    @Property(tries = 1000)
    void operationsNeverChangeTheWorldTheyStartFrom(@ForAll("profiles") KernelProfile profile,
                                                    @ForAll("policies") Xfs.DaxPolicy dax, @ForAll("ops") List<Op> ops) {
        Run r = new Run(profile, dax);
        List<World> worlds = new ArrayList<>();
        List<World> copies = new ArrayList<>();
        for (Op op : ops) {
            World before = r.world;
            World copy = TestWorlds.deepCopy(before);
            assertThat(copy).isEqualTo(before);
            worlds.add(before);
            copies.add(copy);
            r.step(op, true);
            assertThat(before).as("world before %s", op).isEqualTo(copy);
        }
        // and no later step reached back into an earlier world either
        for (int k = 0; k < worlds.size(); k++) {
            assertThat(worlds.get(k)).as("world %d", k).isEqualTo(copies.get(k));
            assertThat(worlds.get(k).warnedOnce()).isEqualTo(copies.get(k).warnedOnce());
        }
    }

    @Property(tries = 1000)
    void allocationIsFirstFitByAddress(@ForAll("ops") List<Op> ops, @ForAll("sizes") int blocks,
                                       @ForAll("agnos") int agno, @ForAll boolean aligned) {
        Run r = new Run(KernelProfile.DEFAULT, Xfs.DaxPolicy.ALWAYS);
        for (Op op : ops) {
            r.step(op, true);
        }
        World w = r.world;
        long want = aligned ? 512 : blocks;
        int align = aligned ? 512 : 1;
        long pfnBase = w.device().dataStartPfn();
        Geometry g = w.fs().geometry();
        // the first free run of the AG, in block order, that holds the file once its start is aligned
        Long expected = null;
        for (var f : w.fs().ag(agno).free().entrySet()) {
            long pfn = pfnBase + g.fsblock(agno, f.getKey());
            long start = f.getKey() + Units.alignUp(pfn, align) - pfn;
            if (f.getKey() + f.getValue() - start >= want) {
                expected = start;
                break;
            }
        }
        WorldEditor e = w.edit();
        FileSpec spec = FileSpec.of("/alloc", want * K4).inAg(agno);
        Inode i = e.createFile(aligned ? spec.aligned(2 * Units.MiB) : spec);
        World after = e.build().check();
        // a new inode chunk taken first may have used the run: then the allocator looked at a different map
        boolean newChunk = after.fs().ag(agno).inodeChunks().size() != w.fs().ag(agno).inodeChunks().size();
        if (expected != null && !newChunk) {
            assertThat(i.dataExtents()).hasSize(1);
            assertThat(i.dataExtents().get(0).startblock()).isEqualTo(g.fsblock(agno, (int) (long) expected));
        }
        Statistics.label("first fit checked").collect(expected != null && !newChunk);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, 300);
    }

    @Provide
    Arbitrary<Integer> agnos() {
        return Arbitraries.integers().between(0, 3);
    }

    /** One random walk: the current world and how to apply an {@link Op} to it. */
    static final class Run {
        World world;
        int applied;
        int refused;
        int nextPid = 100;
        int nextName;

        Run(KernelProfile profile, Xfs.DaxPolicy dax) {
            WorldEditor e = World.create(profile, PmemDevice.fsdax("pmem0", 64 * Units.MiB, TestWorlds.PHYS),
                    FsOptions.defaults().withDax(dax), Sysctl.DEFAULTS, 7);
            e.addProcess(nextPid++, "p", Process.EarlyKill.DEFAULT, Process.OnSigbus.DIE);
            e.addProcess(nextPid++, "q", Process.EarlyKill.EARLY, Process.OnSigbus.HANDLE);
            e.createFile(FileSpec.of("/a", 16 * K4));
            e.reflink("/a", "/b");
            world = e.build().check();
        }

        void step(Op op, boolean skipCheck) {
            WorldEditor e = world.edit();
            try {
                apply(e, op);
            } catch (ModelException refusedByTheMachine) {
                refused++;
                Statistics.label("operations").collect(op.getClass().getSimpleName(), "refused");
                Statistics.label("refusals").collect(op.getClass().getSimpleName() + ": " + refusedByTheMachine.getMessage().replaceAll("[0-9/]+", "#"));
                return; // the editor is discarded, the world stays
            }
            Statistics.label("operations").collect(op.getClass().getSimpleName(), "applied");
            World next = e.build();
            if (!skipCheck) {
                try {
                    next.check();
                } catch (Invariants.Violation v) {
                    throw new AssertionError("after " + op + ":\n" + v.getMessage(), v);
                }
            }
            world = next;
            applied++;
        }

        private List<String> files() {
            return new ArrayList<>(world.fs().paths().keySet());
        }

        private String file(int k) {
            List<String> f = files();
            if (f.isEmpty()) {
                throw new ModelException("no files yet");
            }
            return f.get(k % f.size());
        }

        private Process proc(int k) {
            List<Process> ps = world.processes();
            return ps.get(k % ps.size());
        }

        private void apply(WorldEditor e, Op op) {
            if (op instanceof Create c) {
                String path = (c.flags() % 4 == 3 ? "/d" + (nextName % 3) : "") + "/f" + nextName++;
                boolean aligned = c.flags() == 7;
                long size = aligned ? 2 * Units.MiB : c.blocks() * K4 - (c.flags() % 2 == 1 && c.blocks() > 0 ? 100 : 0);
                int fragments = aligned ? 1 : Math.max(1, Math.min(c.fragments(), c.blocks()));
                FileSpec s = FileSpec.of(path, size).fragmented(fragments)
                        .withXattrBlocks(c.xattrBlocks()).withDaxFlag(c.flags() % 3 != 0);
                if (c.ag() >= 0) {
                    s = s.inAg(c.ag());
                }
                if (aligned) {
                    s = s.aligned(2 * Units.MiB);
                }
                e.createFile(s);
            } else if (op instanceof Reflink r) {
                e.reflink(file(r.src()), "/r" + nextName++);
            } else if (op instanceof CloneRange c) {
                String src = file(c.src());
                long srcBlocks = Units.alignUp(world.fs().byPath(src).size(), K4) / K4;
                long from = srcBlocks == 0 ? 0 : c.srcBlock() % srcBlocks;
                long n = Math.max(1, Math.min(c.blocks(), srcBlocks - from));
                e.reflinkRange(src, from * K4, n * K4, file(c.dst()), c.dstBlock() * K4);
            } else if (op instanceof Write w) {
                e.write(file(w.file()), w.offset(), w.length());
            } else if (op instanceof Punch p) {
                e.punch(file(p.file()), p.offset(), p.length());
            } else if (op instanceof Truncate t) {
                e.truncate(file(t.file()), t.size());
            } else if (op instanceof Unlink u) {
                e.unlink(file(u.file()));
            } else if (op instanceof Spawn s) {
                e.addProcess(nextPid++, "s", Process.EarlyKill.values()[s.earlyKill()], Process.OnSigbus.DIE);
            } else if (op instanceof MapFile m) {
                String path = file(m.file());
                long size = Units.alignUp(world.fs().byPath(path).size(), K4);
                if (m.pmd()) {
                    e.map(proc(m.proc()).pid(), path, 0, Units.alignDown(size, Units.PMD_SIZE), true, null);
                } else {
                    long off = size == 0 ? 0 : (m.block() * K4) % size;
                    e.map(proc(m.proc()).pid(), path, off, Math.min(m.blocks() * K4, size - off), false, null);
                }
            } else if (op instanceof Touch t) {
                Process p = proc(t.proc());
                Vma v;
                if (p.vmas().isEmpty()) {
                    // map a whole file first
                    String path = file(t.vma());
                    v = e.map(p.pid(), path, 0, Units.alignUp(world.fs().byPath(path).size(), K4), false, null);
                } else {
                    v = p.vmas().get(t.vma() % p.vmas().size());
                }
                long off = v.fileOffset() + (t.block() * K4) % v.length();
                e.touch(p.pid(), v.path(), off, t.blocks() * K4, t.write());
            } else if (op instanceof Munmap u) {
                Process p = proc(u.proc());
                if (p.vmas().isEmpty()) {
                    throw new ModelException("no mapping");
                }
                e.unmap(p.pid(), u.vma() % p.vmas().size());
            } else if (op instanceof Remount) {
                for (Process p : world.processes()) {
                    if (!p.vmas().isEmpty()) {
                        throw new ModelException("umount: target is busy");
                    }
                }
                e.remount();
            } else if (op instanceof Exit x) {
                e.endProcess(proc(x.proc()).pid(), x.killed() ? Process.State.KILLED : Process.State.EXITED);
            } else {
                throw new IllegalStateException("unknown op " + op);
            }
        }
    }
}
