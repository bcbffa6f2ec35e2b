package dev.daxviz.ui;

import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.daxviz.ui.UiWorlds.AGBLOCKS;
import static dev.daxviz.ui.UiWorlds.pfn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The go-to box on the reference machine (xfs-layout-reference.md, kernel-semantics.md §1): 502 MiB namespace at
 * 0x40000000, reserve 10 MiB, so fs block B is pfn 0x40a00 + B and daddr 8·B; /data/a.bin holds agbno 24–27 of AG 0
 * (its block 1 is fs block 25: pfn 0x40a19, device offset 0x19000, daddr 200, physical 0x40a19000).
 */
class GotoParserTest {
    private static final World W = UiWorlds.threeFiles();
    private static final long BLOCK25 = 0x40a19L;

    private static long go(String text) throws GotoParser.GotoException {
        return GotoParser.pfnOf(W, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pfn 0x40a19", "PFN 0x40A19", "pfn:0x40a19", "pfn=0x40a19", "pfn   0x40a19  ", "pfn 264729", "pfn 0x4_0a19",
        "daddr 200", "daddr 0xc8", "daddr: 200",
        "ag 0/25", "AG 0/25", "ag 0 / 25", "ag 0 25", "ag 0,25", "ag 0:25", "ag0/25", "ag 0/agbno 25",
        "fsblock 25", "fsb 25", "block 25", "fsblock 0x19",
        "off 0x19000", "offset 0x19000", "off 100KiB", "off 100k", "deviceoffset 102400",
        "/data/a.bin+4KiB", "/data/a.bin + 4KiB", "/data/a.bin+4096", "/data/a.bin+0x1000", "/data/a.bin+4k",
        "/data/a.bin+4100", "/data/a.bin+8191",
        "0x40a19000", "0x40a19abc", "phys 0x40a19000", "physaddr 0x40a19000", "1084329984", "  0x40a19000  ",
    })
    void everyFormOfFsBlock25(String text) throws Exception {
        assertThat(go(text)).as(text).isEqualTo(BLOCK25);
    }

    @Test
    void moreAddresses() throws Exception {
        assertThat(go("ag 1/513")).isEqualTo(pfn(1, 513)).isEqualTo(0x40a00L + AGBLOCKS + 513);
        assertThat(go("ag 3/" + (AGBLOCKS - 1))).isEqualTo(pfn(3, AGBLOCKS - 1));
        assertThat(go("/data/a.bin")).isEqualTo(pfn(0, 24));
        assertThat(go("/data/a.bin+8KiB")).isEqualTo(pfn(0, 26));
        assertThat(go("/data/a.bin+12KiB")).isEqualTo(pfn(0, 27));
        // the reflink names the same blocks
        assertThat(go("/data/b.bin+8KiB")).isEqualTo(pfn(0, 26));
        assertThat(go("/data/c.bin")).isEqualTo(W.addressing().ofFile("/data/c.bin", 0).pfn());
        assertThat(go("daddr 0")).isEqualTo(0x40a00L);
        assertThat(go("daddr 7")).as("a sector inside fs block 0").isEqualTo(0x40a00L);
        assertThat(go("daddr 8")).isEqualTo(0x40a01L);
        assertThat(go("off 0")).isEqualTo(0x40a00L);
        assertThat(go("off " + (502 * Units.MiB - 1))).isEqualTo(0x40a00L + 128512 - 1);
        // the reserve and the namespace's first page, by pfn and by physical address
        assertThat(go("pfn 0x40000")).isEqualTo(0x40000L);
        assertThat(go("0x40000000")).isEqualTo(0x40000L);
        assertThat(go("1GiB")).as("a physical address with a unit").isEqualTo(0x40000L);
        // the log's first block (AG 2, agbno 10)
        assertThat(go("ag 2/10")).isEqualTo(pfn(2, 10));
    }

    private static String error(String text) {
        try {
            long p = go(text);
            return fail("'%s' should not resolve, but gave pfn 0x%s", text, Long.toHexString(p));
        } catch (GotoParser.GotoException e) {
            assertThat(e.getMessage()).as("message for '%s'", text).isNotBlank();
            return e.getMessage();
        }
    }

    @Test
    void emptyInputAsksForAnAddress() {
        for (String s : new String[] {null, "", "   ", "\t\n"}) {
            assertThat(error(s)).contains("Type an address").contains(GotoParser.HELP);
        }
    }

    @Test
    void gibberishSaysWhatWouldWork() {
        for (String s : new String[] {"banana", "pfn", "pfn zz", "pfn 0x", "pfn -1", "ag", "ag 1", "ag x/y",
            "0x", "12 apples", "daddr 1.5", "/data/a.bin+lots", "pfn 0x40a19 0x40a1a", "\u0000", "ag 0/-1"}) {
            String m = error(s);
            assertThat(m).as(s).satisfiesAnyOf(x -> assertThat(x).contains("Try:"),
                    x -> assertThat(x).contains("not a number"));
        }
        assertThat(error("x".repeat(5000))).contains("too long");
    }

    @Test
    void addressesOutsideTheFilesystemExplainWhy() {
        assertThat(error("ag 4/0")).contains("AG 4").contains("not in the filesystem");
        assertThat(error("ag 0/" + AGBLOCKS)).contains("not in the filesystem");
        assertThat(error("ag 99999999999/0")).isNotBlank();
        assertThat(error("daddr " + (502 * Units.MiB / 512))).contains("off the device");
        assertThat(error("off " + 502 * Units.MiB)).contains("off the device");
        assertThat(error("fsblock 128512")).contains("off the device");
        assertThat(error("/nope.bin+4KiB")).contains("No file /nope.bin");
        assertThat(error("/data")).contains("No file /data");
        assertThat(error("/data/a.bin+1MiB")).contains("hole");
        assertThat(error("pfn 0xffffffffffffffffff")).contains("larger than any address");
        assertThat(error("99999999999999999999999")).contains("larger than any address");
        assertThat(error("off 9TiB")).contains("off the device");
    }

    /**
     * A number so large that turning it into bytes overflows a long must not wrap around onto a real page: fs block
     * 2^52 + 25 is not fs block 25, and daddr 2^55 + 200 is not daddr 200.
     */
    @Test
    void hugeBlockNumbersDoNotWrapOntoRealPages() {
        assertThat(error("fsblock " + ((1L << 52) + 25))).contains("off the device");
        assertThat(error("daddr " + ((1L << 55) + 200))).contains("off the device");
        assertThat(error("fsblock 0x3fffffffffffffff")).isNotBlank();
        assertThat(error("daddr 0x3fffffffffffffff")).isNotBlank();
    }

    @Test
    void aWorldWithoutAFilesystemTakesOnlyDeviceForms() throws Exception {
        World dax = UiWorlds.lesson("devdax").initial();
        long first = dax.device().dataStartPfn();
        assertThat(GotoParser.pfnOf(dax, "off 0x5000")).isEqualTo(first + 5);
        assertThat(GotoParser.pfnOf(dax, "pfn " + Units.hex(first))).isEqualTo(first);
        assertThat(GotoParser.pfnOf(dax, Units.hex(first << 12))).isEqualTo(first);
        for (String s : new String[] {"ag 0/25", "/data/a.bin+4KiB"}) {
            try {
                GotoParser.pfnOf(dax, s);
                fail("'%s' resolved on a device without a filesystem", s);
            } catch (GotoParser.GotoException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    /** Whatever is typed, pfnOf returns or throws GotoException: never another exception. */
    @Property(tries = 1000)
    void anyStringReturnsOrThrowsGotoException(@ForAll String text) {
        onlyGotoException(text);
    }

    @Property(tries = 1000)
    void addressLikeStringsReturnOrThrowGotoException(@ForAll("addressLike") String text) {
        onlyGotoException(text);
    }

    private static void onlyGotoException(String text) {
        try {
            GotoParser.pfnOf(W, text);
        } catch (GotoParser.GotoException e) {
            assertThat(e.getMessage()).isNotBlank();
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("'" + text + "' threw " + e, e);
        }
    }

    @Provide
    Arbitrary<String> addressLike() {
        Arbitrary<String> key = Arbitraries.of("pfn", "phys", "physaddr", "daddr", "fsblock", "fsb", "block", "off",
                "offset", "deviceoffset", "ag", "AG", "/data/a.bin+", "/data/b.bin +", "/x+", "", "pfn:", "ag 0/",
                "ag 99999999999/", "ag 1 agbno ");
        Arbitrary<String> sep = Arbitraries.of("", " ", "  ", ":", "=", "/", ",", "+", " / ");
        Arbitrary<String> num = Arbitraries.oneOf(
                Arbitraries.longs().map(v -> Long.toString(v)),
                Arbitraries.longs().map(v -> "0x" + Long.toHexString(v)),
                Arbitraries.strings().withChars("0123456789abcdefxX_").ofMaxLength(30),
                Arbitraries.of("0x", "_", "0x_", "-1", "1e9", "9".repeat(40), "0x" + "f".repeat(17)));
        Arbitrary<String> unit = Arbitraries.of("", "b", "k", "KiB", "m", "MiB", "g", "GiB", "t", "TiB", " KiB", "x");
        return Combinators.combine(key, sep, num, unit, sep, num).as((k, s, n, u, s2, n2) -> k + s + n + u
                + (n2.length() % 3 == 0 ? s2 + n2 : ""));
    }
}
