package dev.daxviz.model;

import static dev.daxviz.model.TestWorlds.PHYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Worked numbers of kernel-semantics.md §1 and xfs-layout-reference.md (502 MiB namespace at 0x40000000). */
class AddressingTest {
    private static final long MiB = Units.MiB;

    @Test
    void fsdaxReserveMatchesTheMeasuredNamespaces() {
        assertThat(PmemDevice.defaultReserve(502 * MiB)).isEqualTo(10 * MiB);
        assertThat(PmemDevice.defaultReserve(1006 * MiB)).isEqualTo(18 * MiB);
        PmemDevice d = PmemDevice.fsdax("pmem0", 502 * MiB, PHYS);
        assertThat(d.dataOffset()).isEqualTo(10 * MiB);
        assertThat(d.firstPfn()).isEqualTo(0x40000L);
        assertThat(d.dataStartPfn()).isEqualTo(0x40a00L);
        assertThat(d.endPfn()).isEqualTo(0x40a00L + 128_512);
    }

    @Test
    void fsBlock24IsPfn0x40a18AndDaddr192() {
        World w = TestWorlds.referenceWorld();
        Address a = w.addressing().ofFsblock(24);
        assertThat(a.pfn()).isEqualTo(0x40a18L);
        assertThat(a.pfnHex()).isEqualTo("0x40a18");
        assertThat(a.physAddr()).isEqualTo(0x40a18000L);
        assertThat(a.deviceOffset()).isEqualTo(24 * 4096L);
        assertThat(a.daddr()).isEqualTo(192L);
        assertThat(a.fsblock()).isEqualTo(24L);
        assertThat(a.agno()).isZero();
        assertThat(a.agbno()).isEqualTo(24);
        assertThat(a.region()).isEqualTo(Address.Region.DATA);
        assertThat(a.onDataDevice()).isTrue();
        assertThat(a.device()).isSameAs(w.device());
        // and back: the pfn, the physical address, the device offset and the daddr name the same place
        assertThat(w.addressing().ofPfn(0x40a18)).isEqualTo(a);
        assertThat(w.addressing().ofPhys(0x40a18000L + 123)).isEqualTo(a);
        assertThat(w.addressing().ofDeviceOffset(24 * 4096L + 4095)).isEqualTo(a);
        assertThat(w.addressing().ofDaddr(192)).isEqualTo(a);
        assertThat(w.addressing().ofDaddr(199)).isEqualTo(a);
        assertThat(w.addressing().ofAg(0, 24)).isEqualTo(a);
    }

    @Test
    void fsBlockBIsPfn0x40a00PlusBAndDaddrEightB() {
        World w = TestWorlds.referenceWorld();
        for (long b : new long[] {0, 1, 8, 32_127, 32_128, 64_266, 65_000, 128_511}) {
            Address a = w.addressing().ofFsblock(b);
            assertThat(a.pfn()).as("pfn of block %d", b).isEqualTo(0x40a00L + b);
            assertThat(a.daddr()).as("daddr of block %d", b).isEqualTo(8 * b);
            assertThat(a.agno()).as("agno of block %d", b).isEqualTo((int) (b / 32_128));
            assertThat(a.agbno()).as("agbno of block %d", b).isEqualTo((int) (b % 32_128));
        }
        // the log of the reference: linear block 2·32,128 + 10 = 64,266, daddr 514,128, AG 2 agbno 10
        Address log = w.addressing().ofLogStart();
        assertThat(log.fsblock()).isEqualTo(64_266L);
        assertThat(log.daddr()).isEqualTo(514_128L);
        assertThat(log.agno()).isEqualTo(2);
        assertThat(log.agbno()).isEqualTo(10);
        // pmem_pgmap_memory_failure: off = pfn·4096 − physAddr − dataOffset
        assertThat(w.device().offsetOfPfn(0x40a18)).isEqualTo(24 * 4096L);
        assertThat(w.device().pfnOfOffset(24 * 4096L)).isEqualTo(0x40a18L);
    }

    @Test
    void agnoAndAgbnoWithAgblocks32128() {
        World w = TestWorlds.referenceWorld();
        Geometry g = w.fs().geometry();
        assertThat(g.agblocks()).isEqualTo(32_128);
        assertThat(g.agnoOf(32_127)).isZero();
        assertThat(g.agbnoOf(32_127)).isEqualTo(32_127);
        assertThat(g.agnoOf(32_128)).isEqualTo(1);
        assertThat(g.agbnoOf(32_128)).isZero();
        assertThat(g.agnoOf(3 * 32_128 + 5)).isEqualTo(3);
        assertThat(g.agbnoOf(3 * 32_128 + 5)).isEqualTo(5);
        assertThat(g.fsblock(2, 10)).isEqualTo(64_266L);
        Address a = w.addressing().ofAg(1, 100);
        assertThat(a.fsblock()).isEqualTo(32_228L);
        assertThat(a.pfn()).isEqualTo(0x40a00L + 32_228);
        assertThat(a.daddr()).isEqualTo(8L * 32_228);
        Address last = w.addressing().ofAg(3, 32_127);
        assertThat(last.fsblock()).isEqualTo(128_511L);
        assertThat(last.pfn()).isEqualTo(w.device().endPfn() - 1);
    }

    @Test
    void inodeNumbersEncodeTheAg() {
        Geometry g = TestWorlds.referenceWorld().fs().geometry();
        assertThat(g.agblklog()).isEqualTo(15);
        assertThat(g.inopblog()).isEqualTo(3);
        assertThat(g.inodesPerBlock()).isEqualTo(8);
        // root directory: first inode of the chunk at AG 0 agbno 16
        assertThat(g.ino(0, 16 << 3)).isEqualTo(128L);
        assertThat(g.agbnoOfIno(128)).isEqualTo(16);
        assertThat(g.agbnoOfIno(131)).isEqualTo(16);
        assertThat(g.agnoOfIno(131)).isZero();
        // e59 of the reference got 256: the second chunk at agbno 32
        assertThat(g.agbnoOfIno(256)).isEqualTo(32);
        // AG 1: the AG number sits above agblklog + inopblog = 18 bits
        long ino = g.ino(1, 16 << 3);
        assertThat(ino).isEqualTo((1L << 18) | 128).isEqualTo(262_272L);
        assertThat(g.agnoOfIno(ino)).isEqualTo(1);
        assertThat(g.aginoOf(ino)).isEqualTo(128L);
        assertThat(g.agbnoOfIno(ino)).isEqualTo(16);
        assertThat(g.ino(3, 5)).isEqualTo((3L << 18) | 5);
        assertThat(g.agnoOfIno(g.ino(3, 5))).isEqualTo(3);
    }

    @Test
    void inodeNumbersOfAFileCreatedInAg1() {
        WorldEditor e = TestWorlds.reference(KernelProfile.DEFAULT);
        Inode i = e.createFile(WorldEditor.FileSpec.of("/x", 4096).inAg(1));
        World w = e.build().check();
        Geometry g = w.fs().geometry();
        assertThat(g.agnoOfIno(i.ino())).isEqualTo(1);
        // the inode lives in AG 1's inode chunk, at the slot its number names
        RmapRecord chunk = w.fs().ag(1).rmap().records().stream().filter(r -> r.owner() == RmapOwner.INODES)
                .findFirst().orElseThrow();
        assertThat(i.ino()).isEqualTo((1L << 18) | ((long) chunk.startblock() << 3));
        assertThat(g.agbnoOfIno(i.ino())).isEqualTo(chunk.startblock());
        assertThat(g.agnoOf(i.dataExtents().get(0).startblock())).isEqualTo(1);
    }

    @Test
    void reservePfnsAreReserveAndOtherPfnsOutside() {
        World w = TestWorlds.referenceWorld();
        Address r0 = w.addressing().ofPfn(0x40000);
        assertThat(r0.region()).isEqualTo(Address.Region.RESERVE);
        assertThat(r0.device()).isSameAs(w.device());
        assertThat(r0.deviceOffset()).isNull();
        assertThat(r0.daddr()).isNull();
        assertThat(r0.fsblock()).isNull();
        assertThat(r0.agno()).isNull();
        assertThat(w.addressing().ofPfn(0x409ff).region()).isEqualTo(Address.Region.RESERVE);
        assertThat(w.addressing().ofPfn(0x40a00).region()).isEqualTo(Address.Region.DATA);
        assertThat(w.device().inReserve(0x409ff)).isTrue();
        assertThat(w.device().inReserve(0x40a00)).isFalse();

        Address below = w.addressing().ofPfn(0x3ffff);
        assertThat(below.region()).isEqualTo(Address.Region.OUTSIDE);
        assertThat(below.device()).isNull();
        assertThat(below.deviceOffset()).isNull();
        assertThat(w.addressing().ofPfn(w.device().endPfn()).region()).isEqualTo(Address.Region.OUTSIDE);
        assertThat(w.addressing().ofPfn(w.device().endPfn() - 1).region()).isEqualTo(Address.Region.DATA);
        assertThat(w.addressing().ofPfn(0).region()).isEqualTo(Address.Region.OUTSIDE);
        assertThat(w.addressing().ofPhys(0x40000000L - 1).region()).isEqualTo(Address.Region.OUTSIDE);
    }

    @Test
    void offsetsOffTheDeviceThrow() {
        World w = TestWorlds.referenceWorld();
        Addressing a = w.addressing();
        long size = 502 * MiB;
        assertThat(a.ofDeviceOffset(size - 1).fsblock()).isEqualTo(128_511L);
        assertThatThrownBy(() -> a.ofDeviceOffset(size)).isInstanceOf(ModelException.class).hasMessageContaining("off the device");
        assertThatThrownBy(() -> a.ofDeviceOffset(-1)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> a.ofDaddr(size / 512)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> a.ofFsblock(128_512)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> a.ofAg(4, 0)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> a.ofAg(0, 32_128)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> a.ofAg(-1, 0)).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> a.ofFile("/nope", 0)).isInstanceOf(ModelException.class);
    }

    @Test
    void filePagesFollowTheExtentMap() {
        WorldEditor e = TestWorlds.reference(KernelProfile.DEFAULT);
        e.placeFile("/p", java.util.List.of(new WorldEditor.Placement(0, 0, 100, 2),
                new WorldEditor.Placement(5, 1, 40, 3)), 8 * 4096L, false);
        World w = e.build().check();
        Addressing a = w.addressing();
        assertThat(a.ofFile("/p", 0).fsblock()).isEqualTo(100L);
        assertThat(a.ofFile("/p", 4096 + 17).fsblock()).isEqualTo(101L);
        assertThat(a.ofFile("/p", 2 * 4096)).isNull(); // hole
        assertThat(a.ofFile("/p", 4 * 4096)).isNull();
        Address p6 = a.ofFile("/p", 6 * 4096);
        assertThat(p6.agno()).isEqualTo(1);
        assertThat(p6.agbno()).isEqualTo(41);
        assertThat(p6.pfn()).isEqualTo(0x40a00L + 32_128 + 41);
        assertThat(a.ofFile("/p", 8 * 4096)).isNull(); // past the last extent
    }

    @Test
    void externalLogDeviceIsItsOwnRegion() {
        PmemDevice data = PmemDevice.fsdax("pmem0", 502 * MiB, PHYS);
        PmemDevice log = PmemDevice.fsdax("pmem1", 64 * MiB, PHYS + 1024 * MiB);
        World w = World.create(KernelProfile.DEFAULT, data, FsOptions.defaults().withLogDevice(log), Sysctl.DEFAULTS, 1)
                .build().check();
        assertThat(w.fs().geometry().hasInternalLog()).isFalse();
        assertThat(w.fs().externalLog()).isTrue();
        Address start = w.addressing().ofLogStart();
        assertThat(start.region()).isEqualTo(Address.Region.LOG_DEVICE);
        assertThat(start.device()).isEqualTo(log);
        assertThat(start.pfn()).isEqualTo(log.dataStartPfn());
        assertThat(start.deviceOffset()).isZero();
        assertThat(start.agno()).isNull();
        assertThat(w.addressing().ofPfn(log.firstPfn()).region()).isEqualTo(Address.Region.RESERVE);
        // no log records in any AG: AG 2 looks like AG 1
        assertThat(TestWorlds.rmap(w, 2)).isEqualTo(TestWorlds.rmap(w, 1));
    }
}
