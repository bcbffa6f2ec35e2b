package dev.daxviz.cli;

import dev.daxviz.importer.ImageImporter;
import dev.daxviz.importer.ImportSummary;
import dev.daxviz.importer.disk.Fsmap;
import dev.daxviz.importer.disk.ImageException;
import dev.daxviz.importer.disk.XfsImage;
import dev.daxviz.model.Units;
import dev.daxviz.scenario.ImportedScenario;
import dev.daxviz.scenario.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code daxviz import IMAGE [--fsmap] [--out SCENARIO] [--json]}: a real XFS image into a world. */
@Command(name = "import", mixinStandardHelpOptions = true, description = {"Read an unmounted XFS image (a file or a "
        + "block device, read-only) into a DaxViz world: every block's owner, read from the disk itself.",
        "With no option: a summary of what it holds."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE", description = "An XFS v5 image file or block device (read only).")
    Path image;

    @Option(names = "--fsmap", description = "Print every reverse-mapping record as 'xfs_db -r -c fsmap IMAGE' does, "
            + "one line each, in the same order.")
    boolean fsmap;

    @Option(names = "--out", paramLabel = "SCENARIO", description = "Write the world as a scenario file (format 1) "
            + "that run, validate and the app accept.")
    Path out;

    @Option(names = "--json", description = "Print a machine-readable summary (JSON) and nothing else.")
    boolean json;

    @Option(names = "--kernel", paramLabel = "ID", description = "The kernel profile of the world (5.17, 6.1, 6.12; "
            + "default 6.1).")
    String kernel;

    @Option(names = "--phys-addr", paramLabel = "ADDR", description = "Where the namespace starts in physical memory "
            + "(default 0x40000000, as memmap=…!1G).")
    String physAddr;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        if (!Files.exists(image)) {
            e.println(image + ": no such file — give the path of an XFS image or block device");
            return DaxvizCli.INVALID;
        }
        try {
            if (fsmap) {
                try (XfsImage img = XfsImage.open(image)) {
                    for (String l : Fsmap.lines(img)) {
                        o.println(l);
                    }
                }
                if (out == null && !json) {
                    return DaxvizCli.OK;
                }
            }
            ImageImporter.Options opts = new ImageImporter.Options(
                    kernel == null ? dev.daxviz.model.KernelProfile.DEFAULT : Kernels.parse(kernel), phys(),
                    "pmem0");
            ImageImporter.Imported imp = ImageImporter.read(image, opts, () -> false, ImageImporter.Progress.NONE);
            if (out != null) {
                String yaml = ImportedScenario.yaml(image.getFileName().toString(), imp.world(), imp.notes());
                Files.writeString(out, yaml, StandardCharsets.UTF_8);
                if (!json) {
                    o.println("wrote " + out + ": " + line(imp));
                }
            }
            if (json) {
                o.print(Json.write(ImportSummary.of(image.toString(), imp)));
            } else if (out == null) {
                o.print(human(image, imp));
            }
            o.flush();
            return DaxvizCli.OK;
        } catch (ImageException x) {
            e.println(image + ": " + x.getMessage());
            return DaxvizCli.INVALID;
        } catch (IOException x) {
            e.println(image + ": " + x.getMessage() + " — check that the file can be read (and " + out
                    + " written)");
            return DaxvizCli.INVALID;
        }
    }

    private long phys() {
        if (physAddr == null) {
            return ImageImporter.DEFAULT_PHYS;
        }
        try {
            String t = physAddr.trim().toLowerCase(java.util.Locale.ROOT);
            long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 || v % Units.PAGE_SIZE != 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException x) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--phys-addr '" + physAddr
                    + "' is not a page-aligned address (e.g. 0x40000000)");
        }
    }

    private static String line(ImageImporter.Imported imp) {
        var fs = imp.world().fs();
        long files = fs.inodes().values().stream().filter(i -> i.isRegular()).count();
        return Units.human(fs.geometry().dblocks() * Units.PAGE_SIZE) + ", " + fs.geometry().agcount() + " AGs, "
                + files + " files, " + fs.inodes().size() + " inodes";
    }

    @SuppressWarnings("unchecked")
    static String human(Path image, ImageImporter.Imported imp) {
        Map<String, Object> s = ImportSummary.of(image.toString(), imp);
        StringBuilder b = new StringBuilder();
        b.append(image).append(": XFS ").append(line(imp)).append('\n');
        Map<String, Object> log = (Map<String, Object>) s.get("log");
        b.append("  blocks of ").append(s.get("blockSize")).append(" bytes, sectors of ").append(s.get("sectorSize"))
                .append(", inodes of ").append(s.get("inodeSize")).append("; ").append(s.get("agCount"))
                .append(" AGs of ").append(s.get("agBlocks")).append(" blocks; log ")
                .append(Boolean.TRUE.equals(log.get("internal")) ? "internal (AG " + log.get("agno") + " block "
                        + log.get("agbno") + ", " + log.get("blocks") + " blocks)" : "external").append('\n');
        StringBuilder feats = new StringBuilder();
        ((Map<String, Object>) s.get("features")).forEach((k, v) -> {
            if (Boolean.TRUE.equals(v)) {
                feats.append(feats.length() == 0 ? "" : ", ").append(k);
            }
        });
        b.append("  features: ").append(feats.length() == 0 ? "none" : feats).append('\n');
        for (Object a : (List<Object>) s.get("ags")) {
            Map<String, Object> ag = (Map<String, Object>) a;
            b.append("  AG ").append(ag.get("agno")).append(": ").append(ag.get("length")).append(" blocks, ")
                    .append(ag.get("freeBlocks")).append(" free, ").append(ag.get("metadataBlocks"))
                    .append(" metadata, ").append(ag.get("sharedBlocks")).append(" shared, ")
                    .append(ag.get("rmapRecords")).append(" rmap records, ").append(ag.get("inodeChunks"))
                    .append(" inode chunks\n");
        }
        Map<String, Object> in = (Map<String, Object>) s.get("inodes");
        b.append("  inodes: ").append(in.get("files")).append(" files (").append(in.get("reflinked"))
                .append(" reflinked), ").append(in.get("directories")).append(" directories, ")
                .append(in.get("symlinks")).append(" symlinks, ").append(in.get("other")).append(" other\n");
        for (String n : imp.notes()) {
            b.append("  note: ").append(n).append('\n');
        }
        return b.toString();
    }
}
