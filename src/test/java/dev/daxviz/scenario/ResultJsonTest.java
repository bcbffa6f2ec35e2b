package dev.daxviz.scenario;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultJsonTest {
    @Test
    void theSameScenarioGivesByteIdenticalJson() {
        for (String name : List.of("default", "removal-6.12", "reflink-no-rmapbt-6.12", "range-two-ags")) {
            String a = ResultJson.write(Scenarios.run("builtin:" + name, null));
            String b = ResultJson.write(Scenarios.run("builtin:" + name, null));
            assertThat(a).as(name).isEqualTo(b);
        }
    }

    @Test
    void fieldsComeInTheSpecsOrder() {
        Map<String, Object> t = ResultJson.tree(Scenarios.run("builtin:default", null));
        assertThat(t.keySet()).containsExactly("format", "scenario", "kernel", "setupLog", "events", "final");
        @SuppressWarnings("unchecked")
        Map<String, Object> ev = (Map<String, Object>) ((List<?>) t.get("events")).get(0);
        assertThat(ev.keySet()).containsExactly("index", "kind", "address", "path", "owners", "page", "signals", "oops",
                "shutdown", "returnCode", "result", "log", "steps");
        @SuppressWarnings("unchecked")
        Map<String, Object> addr = (Map<String, Object>) ev.get("address");
        assertThat(addr.keySet()).containsExactly("pfn", "physAddr", "deviceOffset", "daddr", "agno", "agbno", "length");
        assertThat(addr.get("pfn")).isEqualTo("0x100819");
        assertThat(addr.get("physAddr")).isEqualTo("0x100819000");
        assertThat(addr.get("deviceOffset")).isEqualTo("0x19000");
        assertThat(addr.get("daddr")).isEqualTo(200L);
        @SuppressWarnings("unchecked")
        Map<String, Object> sig = (Map<String, Object>) ((List<?>) ev.get("signals")).get(0);
        assertThat(sig.keySet()).containsExactly("pid", "comm", "signal", "code", "addr", "addrLsb", "cause");
        assertThat(sig.get("addr")).isEqualTo("0x7f0000001000");
        @SuppressWarnings("unchecked")
        Map<String, Object> fin = (Map<String, Object>) t.get("final");
        assertThat(fin.keySet()).containsExactly("shutdown", "processes", "hwpoisonPfns");
        assertThat(fin.get("hwpoisonPfns")).isEqualTo(List.of("0x100819"));
    }

    @Test
    void modelEventsCarryOnlyTheirLogAndAnOopsStopsTheScript() {
        Map<String, Object> t = ResultJson.tree(Scenarios.run("builtin:cow-before-poison", null));
        @SuppressWarnings("unchecked")
        Map<String, Object> write = (Map<String, Object>) ((List<?>) t.get("events")).get(0);
        assertThat(write.keySet()).containsExactly("index", "kind", "log");
        Map<String, Object> oops = ResultJson.tree(Scenarios.run("builtin:reflink-no-rmapbt-6.12", null));
        assertThat((List<?>) oops.get("events")).hasSize(1);
        assertThat(oops.get("eventsNotRun")).isEqualTo(List.of(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> ev = (Map<String, Object>) ((List<?>) oops.get("events")).get(0);
        assertThat(ev.get("oops")).isNotNull();
        assertThat(ev.get("returnCode")).isNull();
    }

    @Test
    void theJsonPrinterIsPlainAndStable() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("s", "q\"\\\n\u0001é");
        m.put("e", List.of());
        m.put("o", new LinkedHashMap<>());
        m.put("n", null);
        m.put("l", List.of(true, 2L));
        assertThat(Json.write(m)).isEqualTo("{\n  \"a\": 1,\n  \"s\": \"q\\\"\\\\\\n\\u0001é\",\n  \"e\": [],\n"
                + "  \"o\": {},\n  \"n\": null,\n  \"l\": [\n    true,\n    2\n  ]\n}\n");
    }
}
