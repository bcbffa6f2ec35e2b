package dev.daxviz.realkernel;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.ScenarioRunner;
import dev.daxviz.scenario.Scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real-kernel fixtures of src/test/resources/realkernel (see its README). */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/realkernel/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path scenario(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/realkernel/scenarios/" + name + ".yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A captured verify run of a scenario on a kernel, parsed. */
    static RealRun run(String kernel, String scenario) {
        String dir = "runs/" + kernel + "-" + scenario + "/";
        return ProtocolParser.parse(text(dir + "proto.log").lines().toList(), text(dir + "console.log"));
    }

    /** The simulation of a fixture scenario under a kernel. */
    static RunResult simulate(String scenario, String kernel) {
        return ScenarioRunner.run(Scenarios.build(scenario(scenario).toString(), KernelProfile.byId(kernel).orElseThrow()));
    }

    /**
     * The kernel lines a prototype reference run printed for its injection: the dmesg lines after its DAXVIZ-MARK,
     * without the "K " prefix.
     */
    static List<String> referenceEventLines(String name) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : text("reference/" + name + ".proto.log").lines().toList()) {
            if (l.startsWith("K ") && l.contains("DAXVIZ-MARK")) {
                on = true;
                continue;
            }
            if (on && l.startsWith("K ")) {
                out.add(ProtocolParser.untimed(l.substring(2)));
            }
        }
        return out;
    }
}
