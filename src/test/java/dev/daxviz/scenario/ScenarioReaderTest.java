package dev.daxviz.scenario;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioReaderTest {
    private static BuiltScenario build(String yaml) {
        return ScenarioBuilder.build(ScenarioReader.read("t.yaml", yaml), null);
    }

    @Test
    void sizesAcceptBytesHexAndBinarySuffixes() {
        Scenario s = ScenarioReader.read("t.yaml", """
                format: 1
                device: {size: "1GiB", physAddr: 0x100000000, dataOffset: 4096}
                filesystem: {type: xfs}
                files:
                  - {path: /a, size: 4KiB}
                  - {path: /b, size: 0x2000}
                  - {path: /c, size: 12288}
                  - {path: /d, size: 2MiB}
                """);
        assertThat(s.device().size()).isEqualTo(Units.GiB);
        assertThat(s.device().physAddr()).isEqualTo(0x100000000L);
        assertThat(s.files()).extracting(Scenario.FileDef::size).containsExactly(4096L, 8192L, 12288L, 2 * Units.MiB);
    }

    @Test
    void defaultsFollowTheSpec() {
        BuiltScenario b = build("""
                format: 1
                device: {size: 256MiB, physAddr: 0x100000000}
                filesystem: {type: xfs, log: external, realtime: true, reflink: false, rmapbt: false}
                """);
        World w = b.world();
        assertThat(b.scenario().title()).isEqualTo("t.yaml");
        assertThat(b.profile()).isEqualTo(KernelProfile.V6_1);
        assertThat(w.device().name()).isEqualTo("pmem0");
        assertThat(w.device().dataOffset()).isEqualTo(PmemDevice.defaultReserve(256 * Units.MiB));
        assertThat(w.fs().geometry().agcount()).isEqualTo(4);
        PmemDevice log = w.logDevice().orElseThrow();
        PmemDevice rt = w.rtDevice().orElseThrow();
        assertThat(log.name()).isEqualTo("pmem1");
        assertThat(log.size()).isEqualTo(128 * Units.MiB);
        assertThat(log.physAddr()).isEqualTo(Units.alignUp(0x100000000L + w.device().dataOffset() + 256 * Units.MiB,
                2 * Units.MiB));
        assertThat(log.dataOffset()).isEqualTo(PmemDevice.defaultReserve(128 * Units.MiB));
        assertThat(rt.name()).isEqualTo("pmem2");
        assertThat(rt.physAddr()).isEqualTo(log.physAddr() + log.dataOffset() + log.size());
        assertThat(b.setupLog()).contains("XFS (pmem0): Mounting V5 Filesystem");
    }

    @Test
    void aKernelOverrideIsValidatedAndNamed() {
        assertThatThrownBy(() -> Scenarios.build("builtin:default", KernelProfile.V5_17))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("DAX and reflink cannot be used together!")
                .hasMessageContaining("--kernel");
        assertThat(Scenarios.build("builtin:default", KernelProfile.V6_12).profile()).isEqualTo(KernelProfile.V6_12);
    }

    @Test
    void poisonAddressFormsResolveToTheSamePage() {
        String head = """
                format: 1
                device: {size: 256MiB, physAddr: 0x100000000}
                filesystem: {type: xfs}
                files:
                  - {path: /data/a.bin, size: 16KiB}
                events:
                """;
        String[] forms = {"{path: /data/a.bin, offset: 4KiB}", "{pfn: 0x100819}", "{physAddr: 0x100819000}",
                "{deviceOffset: 0x19000}", "{daddr: 200}", "{agno: 0, agbno: 25}"};
        StringBuilder y = new StringBuilder(head);
        for (String f : forms) {
            y.append("  - poison: {at: ").append(f).append("}\n");
        }
        BuiltScenario b = build(y.toString());
        assertThat(b.steps()).hasSize(forms.length).allSatisfy(s -> assertThat(
                ((dev.daxviz.engine.FailureEvent.Poison) ((BuiltScenario.FailureStep) s).event()).pfn())
                .isEqualTo(0x100819L));
    }

    @Test
    void metadataTargetsUseTheGeometry() {
        BuiltScenario b = build("""
                format: 1
                device: {size: 256MiB, physAddr: 0x100000000}
                filesystem: {type: xfs}
                events:
                  - poison: {at: {metadata: refcountbt, agno: 1}}
                  - poison: {at: {metadata: inodes, agno: 0}}
                  - poison: {at: {metadata: log}}
                """);
        long base = b.world().device().dataStartPfn();
        long agblocks = b.world().fs().geometry().agblocks();
        assertThat(b.steps()).extracting(s -> ((dev.daxviz.engine.FailureEvent.Poison) ((BuiltScenario.FailureStep) s)
                .event()).pfn()).containsExactly(base + agblocks + 9, base + 16, base + 2 * agblocks + 10);
    }

    @Test
    void jsonIsAcceptedAsYamlsSubset() {
        BuiltScenario b = build("{\"format\": 1, \"device\": {\"size\": \"256MiB\", \"physAddr\": \"0x100000000\"},"
                + " \"filesystem\": {\"type\": \"xfs\"}, \"files\": [{\"path\": \"/a\", \"size\": 4096}]}");
        assertThat(b.world().fs().byPath("/a")).isNotNull();
    }
}
