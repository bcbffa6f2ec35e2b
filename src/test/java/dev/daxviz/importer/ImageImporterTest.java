package dev.daxviz.importer;

import dev.daxviz.engine.Engine;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Result;
import dev.daxviz.importer.disk.ImageException;
import dev.daxviz.importer.disk.XfsGroundTruth;
import dev.daxviz.importer.disk.XfsTestImages;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.World;
import dev.daxviz.scenario.ImportedScenario;
import dev.daxviz.scenario.ScenarioBuilder;
import dev.daxviz.scenario.ScenarioReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Real XFS images (made by mkfs.xfs and filled through a loop mount: see {@link XfsTestImages}) imported into
 * worlds, each checked against what xfs_db says of the same image.
 */
class ImageImporterTest {

    private static ImageImporter.Imported read(Path img, KernelProfile p) throws ImageException {
        return ImageImporter.read(img, new ImageImporter.Options(p, ImageImporter.DEFAULT_PHYS, "pmem0"), () -> false,
                ImageImporter.Progress.NONE);
    }

    private static XfsTestImages.FilesImage files(int sectsize) throws Exception {
        XfsTestImages.requireMount();
        return XfsTestImages.files(sectsize);
    }

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void everyNamedFileIsTheInodeTheKernelShowedWithTheExtentsXfsDbGives(int sectsize) throws Exception {
        XfsTestImages.FilesImage f = files(sectsize);
        World w = read(f.image(), KernelProfile.DEFAULT).world();
        Geometry g = w.fs().geometry();
        Map<Long, List<String>> bmap = XfsGroundTruth.bmaps(f.image(), f.paths().keySet());
        int regular = 0;
        for (Map.Entry<Long, List<String>> e : f.paths().entrySet()) {
            Inode i = w.fs().inode(e.getKey());
            assertThat(i).as("inode %d", e.getKey()).isNotNull();
            assertThat(i.path()).isEqualTo(e.getValue().get(0));
            if (!i.isRegular()) {
                continue;
            }
            regular++;
            assertThat(w.fs().byPath(i.path()).ino()).isEqualTo(i.ino());
            List<String> want = new ArrayList<>();
            for (String l : bmap.get(i.ino())) {
                want.add(l.replaceFirst(" startblock \\d+ ", " "));
            }
            List<String> have = new ArrayList<>();
            lines(have, g, "data", i.dataExtents());
            lines(have, g, "attr", i.attrExtents());
            assertThat(have).as("%s (inode %d)", i.path(), i.ino()).isEqualTo(want);
        }
        assertThat(regular).isGreaterThan(2000); // node/ alone holds 2000 files
    }

    /** Our extents in xfs_db's {@code bmap} form, without the raw fsb: "data offset 0 (0/24) count 4 flag 0". */
    private static void lines(List<String> out, Geometry g, String fork, List<Extent> es) {
        for (Extent e : es) {
            out.add(fork + " offset " + e.startoff() + " (" + g.agnoOf(e.startblock()) + "/" + g.agbnoOf(e.startblock())
                    + ") count " + e.blockcount() + " flag " + (e.unwritten() ? 1 : 0));
        }
    }

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void theWorldsReverseMapIsTheImagesOwn(int sectsize) throws Exception {
        Path img = files(sectsize).frozen();
        World w = read(img, KernelProfile.DEFAULT).world();
        List<String> ours = new ArrayList<>();
        int n = 0;
        for (var ag : w.fs().ags()) {
            for (var r : ag.rmap().records()) {
                ours.add(n++ + ": " + ag.agno() + "/" + r.startblock() + " len " + r.blockcount() + " owner "
                        + r.owner() + " offset " + r.offset() + " bmbt " + (r.bmbtBlock() ? 1 : 0) + " attrfork "
                        + (r.attrFork() ? 1 : 0) + " extflag " + (r.unwritten() ? 1 : 0));
            }
        }
        assertThat(ours).containsExactlyElementsOf(XfsTestImages.xfsDb(img, "fsmap"));
    }

    @Test
    void aPoisonedSharedBlockReachesEveryOwnerXfsDbListsForIt() throws Exception {
        XfsTestImages.FilesImage f = files(4096);
        World w = read(f.image(), KernelProfile.byId("6.12").orElseThrow()).world();
        // /shared has hard links (/sf/hardlink, /node/also_shared): an inode goes by its first path in sorted order
        long sharedIno = f.paths().entrySet().stream().filter(e -> e.getValue().contains("/shared")).findFirst()
                .orElseThrow().getKey();
        Inode shared = w.fs().inode(sharedIno);
        assertThat(shared.path()).isEqualTo("/node/also_shared");
        assertThat(shared.names()).containsExactly("/node/also_shared", "/sf/hardlink", "/shared");
        assertThat(w.fs().byPath("/shared")).isSameAs(shared);
        long fsblock = shared.dataExtents().get(0).startblock();
        int agno = w.fs().geometry().agnoOf(fsblock);
        int agbno = w.fs().geometry().agbnoOf(fsblock);
        // the owners of that block by xfs_db's own reverse map
        TreeSet<Long> want = new TreeSet<>();
        for (String l : XfsTestImages.xfsDb(f.image(), "fsmap " + fsblock + " " + fsblock)) {
            String[] t = l.split("\\s+");
            long owner = Long.parseLong(t[5]);
            String[] ab = t[1].split("/");
            int start = Integer.parseInt(ab[1]);
            if (Integer.parseInt(ab[0]) == agno && start <= agbno && agbno < start + Integer.parseInt(t[3]) && owner >= 0) {
                want.add(owner);
            }
        }
        assertThat(want).hasSizeGreaterThanOrEqualTo(3); // shared, clone2, the partial clone's range, a hard link's inode
        Result r = Engine.run(w, FailureEvent.Poison.mce(w.addressing().ofAg(agno, agbno).pfn()), w.profile());
        TreeSet<Long> have = new TreeSet<>();
        for (Outcome.Owner o : r.outcome().owners()) {
            have.add(o.ino());
        }
        assertThat(have).isEqualTo(want);
        // kernel-semantics §6: data owners only, no process maps them: no shutdown, nobody signalled
        assertThat(r.outcome().shutdown()).isNull();
        assertThat(r.outcome().signals()).isEmpty();
    }

    @Test
    void theScenarioAnImportWritesRebuildsTheSameWorld() throws Exception {
        World w = read(files(4096).frozen(), KernelProfile.DEFAULT).world();
        String yaml = ImportedScenario.yaml("frozen.img", w, List.of("a note"));
        World back = ScenarioBuilder.build(ScenarioReader.read("frozen.yaml", yaml.getBytes(StandardCharsets.UTF_8)),
                null).world();
        assertThat(back).isEqualTo(w);
        assertThat(yaml).contains("a note", "owner: cow");
    }

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void anEmptyFilesystemHasTheGeometryXfsDbGives(int sectsize) throws Exception {
        XfsTestImages.requireTools();
        Path img = XfsTestImages.empty(sectsize, 4);
        World w = read(img, KernelProfile.DEFAULT).world();
        Geometry g = w.fs().geometry();
        assertThat(g.agblocks()).isEqualTo(xfsDbValue(img, "agblocks"));
        assertThat(g.dblocks()).isEqualTo(xfsDbValue(img, "dblocks"));
        assertThat((long) g.logBlocks()).isEqualTo(xfsDbValue(img, "logblocks"));
        long logstart = xfsDbValue(img, "logstart"); // an fsb: agno << agblklog | agbno
        long agblklog = xfsDbValue(img, "agblklog");
        assertThat((long) g.logAgno()).isEqualTo(logstart >>> agblklog);
        assertThat((long) g.logAgbno()).isEqualTo(logstart & ((1L << agblklog) - 1));
        assertThat(w.fs().inode(xfsDbValue(img, "rootino")).kind()).isEqualTo(Inode.Kind.DIRECTORY);
        assertThat(w.fs().ag(0).roots().agf()).isEqualTo(sectsize == 512 ? 0 : 1);
    }

    private static long xfsDbValue(Path img, String field) throws Exception {
        for (String l : XfsTestImages.xfsDb(img, "sb 0", "print " + field)) {
            if (l.startsWith(field + " = ")) {
                return Long.parseLong(l.substring(field.length() + 3).trim());
            }
        }
        throw new AssertionError("xfs_db printed no " + field);
    }

    @Test
    void withoutRmapbtTheOwnersComeFromTheInodesAndTheKernelTakesTheGenericPath() throws Exception {
        XfsTestImages.requireTools();
        Path src = Files.createDirectories(XfsTestImages.dir().resolve("normap-files-src"));
        Files.write(src.resolve("a"), new byte[5 * 4096]);
        Path proto = XfsTestImages.dir().resolve("normap-files.proto");
        Files.writeString(proto, "/dev/null\n0 0\nd--755 0 0\na ---644 0 0 " + src.resolve("a") + "\n$\n");
        Path img = XfsTestImages.dir().resolve("normap-files.img");
        Files.deleteIfExists(img);
        XfsTestImages.check(XfsTestImages.run(List.of("truncate", "-s", "512m", img.toString()), 60), "truncate");
        XfsTestImages.check(XfsTestImages.run(List.of("mkfs.xfs", "-q", "-f", "-m", "reflink=0,rmapbt=0", "-p",
                proto.toString(), img.toString()), 120), "mkfs.xfs -p");
        ImageImporter.Imported imp = read(img, KernelProfile.DEFAULT);
        World w = imp.world();
        assertThat(w.fs().rmapbt()).isFalse();
        assertThat(imp.notes()).anySatisfy(n -> assertThat(n).contains("no reverse-mapping btree"));
        Inode a = w.fs().byPath("/a");
        assertThat(a.blocks()).isEqualTo(5);
        long pfn = w.addressing().ofFile("/a", 0).pfn();
        Outcome o = Engine.run(w, FailureEvent.Poison.mce(pfn), w.profile()).outcome();
        // kernel-semantics §6: no rmapbt → xfs_dax_notify_failure returns -EOPNOTSUPP → the generic path
        assertThat(o.path()).contains("xfs_dax_notify_failure", "mf_generic_kill_procs");
        assertThat(o.path()).doesNotContain("xfs_rmap_query_range");
    }

    @Test
    void anInodeWhoseExtentDisagreesWithTheRmapbtIsReportedWithItsPlace() throws Exception {
        XfsTestImages.FilesImage f = files(512);
        Path bad = XfsTestImages.copy(f.image(), "moved-extent.img");
        long ino = 0;
        for (Map.Entry<Long, List<String>> e : f.paths().entrySet()) {
            if (e.getValue().contains("/daxfile")) {
                ino = e.getKey();
            }
        }
        assertThat(ino).isPositive();
        // xfs_db writes the field and recomputes the inode's CRC: only the cross-check can see the lie
        XfsTestImages.check(XfsTestImages.run(List.of("xfs_db", "-x", "-c", "inode " + ino, "-c",
                "write -d u3.bmx[0].startblock 40000", bad.toString()), 60), "xfs_db write");
        long moved = ino;
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> read(bad, KernelProfile.DEFAULT)).isInstanceOf(ImageException.class)
                    .satisfies(x -> {
                        ImageException ie = (ImageException) x;
                        assertThat(ie.structure()).isIn("rmapbt", "bnobt");
                        assertThat(ie.agno()).isEqualTo(0);
                        assertThat(ie.getMessage()).contains("AG 0").contains(ie.structure().equals("rmapbt")
                                ? "owner " + moved : "have no owner");
                    });
        });
    }

    @Test
    void aDamagedImageIsAnImageExceptionNotAWorld() throws Exception {
        XfsTestImages.requireTools();
        Path bad = XfsTestImages.copy(XfsTestImages.empty(512, 4), "bad-agf-import.img");
        byte[] b = Files.readAllBytes(bad);
        b[512 + 8] ^= 0x40; // AG 0's AGF (sector 1): its length field, CRC now wrong
        Files.write(bad, b);
        assertThatThrownBy(() -> read(bad, KernelProfile.DEFAULT)).isInstanceOf(ImageException.class)
                .hasMessageContaining("AG 0 AGF");
    }
}
