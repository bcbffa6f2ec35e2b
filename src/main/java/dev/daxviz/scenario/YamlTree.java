package dev.daxviz.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (or JSON, YAML's subset) into a {@link YNode} tree that remembers where every key and value
 * starts. Syntax errors, duplicate keys and non-text keys become {@link Problem}s with the parser's position.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Problems problems;
    private final JsonParser p;

    private YamlTree(Problems problems, JsonParser p) {
        this.problems = problems;
        this.p = p;
    }

    /** The document's root node, or null (with problems recorded) when it is not readable YAML. */
    static YNode parse(String text, Problems problems) {
        if (text.indexOf('\0') >= 0 || looksBinary(text)) {
            int[] lc = firstBadChar(text);
            problems.add(lc[0], lc[1], "", "this is not a text file (it holds binary data)",
                    "give a scenario written in YAML or JSON");
            return null;
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlTree t = new YamlTree(problems, parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                problems.add(1, 1, "", "the file is empty", "start with 'format: 1'");
                return null;
            }
            YNode root = t.value(first, "");
            JsonToken more = parser.nextToken();
            if (more != null) {
                JsonLocation l = parser.currentTokenLocation();
                problems.add(l.getLineNr(), l.getColumnNr(), "", "the file holds more than one YAML document",
                        "keep one scenario per file (remove the second '---' and what follows)");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            int line = l == null ? 1 : Math.max(1, l.getLineNr());
            int col = l == null ? 1 : Math.max(1, l.getColumnNr());
            problems.add(line, col, "", "not valid YAML: " + cleanMessage(e.getOriginalMessage()),
                    "check the indentation, quotes and brackets here (a truncated file ends like this too)");
            return null;
        } catch (IOException | RuntimeException e) {
            problems.add(1, 1, "", "not valid YAML: " + cleanMessage(e.getMessage()),
                    "check that this is a YAML or JSON scenario file");
            return null;
        }
    }

    private static boolean looksBinary(String text) {
        int bad = 0;
        int n = Math.min(text.length(), 4096);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == '\uFFFD') {
                bad++;
            }
        }
        return bad > 0;
    }

    private static int[] firstBadChar(String text) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == '\uFFFD') {
                return new int[] {line, col};
            }
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {1, 1};
    }

    static String cleanMessage(String m) {
        if (m == null) {
            return "unreadable input";
        }
        String s = m.replace('\n', ' ').replace('\r', ' ').replaceAll("\\s+", " ").trim();
        int at = s.indexOf(" at [Source");
        if (at > 0) {
            s = s.substring(0, at);
        }
        int in = s.indexOf(" in 'reader'");
        if (in > 0) {
            s = s.substring(0, in);
        }
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }

    private YNode value(JsonToken t, String path) throws IOException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int col = l.getColumnNr();
        switch (t) {
            case START_OBJECT: {
                Map<String, YNode.Entry> m = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) != JsonToken.END_OBJECT) {
                    if (k == null) {
                        throw new IOException("unexpected end of input in a mapping");
                    }
                    JsonLocation kl = p.currentTokenLocation();
                    String key = p.currentName();
                    String sub = path.isEmpty() ? key : path + "." + key;
                    YNode v = value(p.nextToken(), sub);
                    if (m.containsKey(key)) {
                        YNode.Entry first = m.get(key);
                        problems.add(kl.getLineNr(), kl.getColumnNr(), sub, "the key '" + key
                                + "' is given twice (first at line " + first.keyLine() + ")", "keep only one of them");
                        continue;
                    }
                    m.put(key, new YNode.Entry(key, kl.getLineNr(), kl.getColumnNr(), v));
                }
                return new YNode.YMap(line, col, m);
            }
            case START_ARRAY: {
                List<YNode> items = new ArrayList<>();
                JsonToken k;
                while ((k = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (k == null) {
                        throw new IOException("unexpected end of input in a list");
                    }
                    items.add(value(k, path + "[" + items.size() + "]"));
                }
                return new YNode.YList(line, col, items);
            }
            case VALUE_STRING:
                return new YNode.YScalar(line, col, YNode.YScalar.Type.STRING, p.getText());
            case VALUE_NUMBER_INT:
                return new YNode.YScalar(line, col, YNode.YScalar.Type.INT, p.getText());
            case VALUE_NUMBER_FLOAT:
                return new YNode.YScalar(line, col, YNode.YScalar.Type.FLOAT, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YNode.YScalar(line, col, YNode.YScalar.Type.BOOL, p.getText());
            case VALUE_NULL:
                return new YNode.YScalar(line, col, YNode.YScalar.Type.NULL, p.getText() == null ? "" : p.getText());
            case VALUE_EMBEDDED_OBJECT:
                return new YNode.YScalar(line, col, YNode.YScalar.Type.STRING, String.valueOf(p.getEmbeddedObject()));
            default:
                throw new IOException("unexpected " + t);
        }
    }
}
