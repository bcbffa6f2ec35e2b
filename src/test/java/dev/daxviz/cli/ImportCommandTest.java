package dev.daxviz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.daxviz.importer.disk.XfsTestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code daxviz import} on real images: fsmap as xfs_db prints it, a scenario that runs, JSON, exit codes. */
class ImportCommandTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static Path filesImage() throws Exception {
        XfsTestImages.requireMount();
        return XfsTestImages.files(4096).image();
    }

    @Test
    void fsmapPrintsWhatXfsDbPrintsLineForLine() throws Exception {
        Path img = filesImage();
        CliRun r = run("import", img.toString(), "--fsmap");
        assertThat(r.rc()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> ours = Arrays.asList(r.out().split("\n"));
        assertThat(ours).containsExactlyElementsOf(XfsTestImages.xfsDb(img, "fsmap"));
        assertThat(ours.size()).isGreaterThan(8000); // the 8000-extent file alone
    }

    @Test
    void theScenarioItWritesValidatesAndRuns(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("world.yaml");
        CliRun r = run("import", filesImage().toString(), "--out", out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote " + out + ": 1 GiB, 4 AGs");
        assertThat(run("validate", out.toString()).rc()).isZero();
        // a reader of the 3-way shared file, early kill, and a poison of its first page on 6.12
        Files.writeString(out, Files.readString(out) + """
                processes:
                  - {pid: 101, comm: reader, earlyKill: early, maps: [{path: /clone2, length: 16KiB}]}
                events:
                  - poison: {at: {path: /clone2, offset: 0}}
                """);
        CliRun ran = run("run", out.toString(), "--kernel", "6.12", "--json");
        assertThat(ran.rc()).as(ran.err()).isZero();
        JsonNode ev = new ObjectMapper().readTree(ran.out()).get("events").get(0);
        // kernel-semantics §8–9: an early-kill mapper of an owner gets BUS_MCEERR_AO at its own address
        assertThat(ev.get("signals")).hasSize(1);
        assertThat(ev.get("signals").get(0).get("code").asText()).isEqualTo("BUS_MCEERR_AO");
        assertThat(ev.get("signals").get(0).get("cause").asText()).isEqualTo("/clone2");
        assertThat(ev.get("owners").size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void jsonSummarisesGeometryFeaturesAndInodes() throws Exception {
        CliRun r = run("import", filesImage().toString(), "--json");
        assertThat(r.rc()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("blockSize").asInt()).isEqualTo(4096);
        assertThat(j.get("sectorSize").asInt()).isEqualTo(4096);
        assertThat(j.get("agCount").asInt()).isEqualTo(4);
        assertThat(j.get("features").get("reflink").asBoolean()).isTrue();
        assertThat(j.get("features").get("rmapbt").asBoolean()).isTrue();
        assertThat(j.get("inodes").get("files").asLong()).isGreaterThan(2000);
        assertThat(j.get("ags")).hasSize(4);
    }

    @Test
    void aDamagedImageExitsTwoSayingWhereAndHow() throws Exception {
        XfsTestImages.requireTools();
        Path bad = XfsTestImages.copy(XfsTestImages.empty(4096, 4), "cli-bad-agi.img");
        byte[] b = Files.readAllBytes(bad);
        b[2 * 4096 + 12] ^= 0x01; // AG 0's AGI (sector 2 of 4096 bytes): agi_count, CRC now wrong
        Files.write(bad, b);
        CliRun r = run("import", bad.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("AG 0 AGI").contains(" — ");
    }

    @Test
    void notAnImageExitsTwo(@TempDir Path tmp) throws Exception {
        Path txt = tmp.resolve("notes.txt");
        Files.writeString(txt, "hello\n".repeat(1000));
        CliRun r = run("import", txt.toString(), "--fsmap");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("superblock");
        assertThat(run("import", tmp.resolve("missing.img").toString()).rc()).isEqualTo(2);
    }
}
