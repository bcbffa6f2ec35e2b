package dev.daxviz.ui;

import dev.daxviz.model.Address;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import org.junit.jupiter.api.Test;

import static dev.daxviz.ui.UiWorlds.pfn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the inspector shows for a page, against the spec's numbers. The default lesson's machine: a 256 MiB
 * namespace at 0x100000000 with an 8 MiB reserve, so fs block B is pfn 0x100800 + B; a.bin's page 1 is agbno 25,
 * pfn 0x100819, daddr 200, shared by a.bin, b.bin and c.bin (golden/README.md "default").
 */
class PageInfoTest {

    @Test
    void aSharedPageInEveryAddressFormWithItsThreeOwners() {
        Session.State st = UiWorlds.lesson("default");
        World w = st.initial();
        PageInfo info = PageInfo.of(w, 0x100819L);
        Address a = info.address();
        assertThat(a.pfn()).isEqualTo(0x100819L);
        assertThat(a.physAddr()).isEqualTo(0x100819000L);
        assertThat(a.deviceOffset()).isEqualTo(0x19000L);
        assertThat(a.daddr()).isEqualTo(200L);
        assertThat(a.fsblock()).isEqualTo(25L);
        assertThat(a.agno()).isEqualTo(0);
        assertThat(a.agbno()).isEqualTo(25);
        assertThat(info.owners()).extracting(PageInfo.Owner::path)
                .containsExactlyInAnyOrder("/data/a.bin", "/data/b.bin", "/data/c.bin");
        assertThat(info.owners()).allSatisfy(o -> {
            assertThat(o.isFile()).isTrue();
            assertThat(o.fileOffset()).isEqualTo(4 * Units.KiB);
            assertThat(o.fork()).isEqualTo("data");
            assertThat(o.label()).endsWith("+4 KiB");
        });
        assertThat(info.records()).hasSize(3);
        assertThat(info.refcount()).isEqualTo(3);
        // every reader maps its file's page 1: the three early readers and the late reader of a.bin
        assertThat(info.mappers()).extracting(PageInfo.Mapper::pid).containsExactlyInAnyOrder(101, 102, 103, 104);
        // each process's mapping starts at 0x7f0000000000, so file offset 4 KiB is at 0x7f0000001000
        assertThat(info.mappers()).allSatisfy(m -> assertThat(m.userAddress()).isEqualTo(0x7f0000001000L));
        assertThat(info.summaryLine()).startsWith("pfn 0x100819 · AG 0/25 · daddr 200 — ")
                .contains("/data/a.bin +4 KiB").contains("/data/b.bin").contains("/data/c.bin")
                .doesNotContain("HWPoison");
        // after the lesson's poison the page is HWPoison and the line says so
        PageInfo after = PageInfo.of(st.world(), 0x100819L);
        assertThat(after.state().hwpoison()).isTrue();
        assertThat(after.summaryLine()).endsWith("· HWPoison");
    }

    @Test
    void metadataFreeSpaceAndTheReserve() {
        World w = UiWorlds.threeFiles();
        PageInfo headers = PageInfo.of(w, pfn(0, 2));
        assertThat(headers.owners()).hasSize(1);
        assertThat(headers.owners().get(0).isFile()).isFalse();
        assertThat(headers.owners().get(0).label()).isEqualTo(RmapOwner.describe(RmapOwner.FS));
        assertThat(headers.mappers()).isEmpty();
        PageInfo log = PageInfo.of(w, pfn(2, 100));
        assertThat(log.owners()).extracting(PageInfo.Owner::label).containsExactly(RmapOwner.describe(RmapOwner.LOG));
        PageInfo free = PageInfo.of(w, pfn(1, 5000));
        assertThat(free.owners()).isEmpty();
        assertThat(free.records()).isEmpty();
        assertThat(free.summaryLine()).endsWith("— free space");
        PageInfo reserve = PageInfo.of(w, UiWorlds.FIRST_PFN + 3);
        assertThat(reserve.address().region()).isEqualTo(Address.Region.RESERVE);
        assertThat(reserve.address().agno()).isNull();
        assertThat(reserve.owners()).extracting(PageInfo.Owner::label).singleElement().asString().contains("reserve");
        // a page outside every namespace has no owner and no crash
        PageInfo outside = PageInfo.of(w, 5);
        assertThat(outside.address().region()).isEqualTo(Address.Region.OUTSIDE);
        assertThat(outside.owners()).isEmpty();
        assertThat(outside.summaryLine()).contains("outside");
    }
}
