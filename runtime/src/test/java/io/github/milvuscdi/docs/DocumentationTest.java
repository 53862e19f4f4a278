package io.github.milvuscdi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.github.milvuscdi.internal.config.GlobalKey;
import io.github.milvuscdi.internal.config.KeyDeclaration;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation (README.md and docs/**&#47;*.md) cannot drift from the code: its links resolve,
 * its configuration snippets are read by the library's own reader, its Java snippets compile. The
 * conventions a snippet follows are written down in docs/README.md ("How these pages are kept
 * honest").
 */
class DocumentationTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK =
            Pattern.compile("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)\\)|!\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern ERROR_LINE = Pattern.compile("^#\\s*error:\\s*(.+)$");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{[^}]*}");
    private static final Pattern DECLARES_TYPE =
            Pattern.compile("(?m)^(public |final |abstract )*(class|interface|record|enum) ");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("(?m)^public (final |abstract )*(class|interface|record|enum) (\\w+)");

    /** A fenced block of a Markdown file. */
    record Block(Path file, int line, String language, String text) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    @Test
    void everyRelativeLinkNamesAnExistingFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles()) {
            List<String> lines = proseLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = LINK.matcher(INLINE_CODE.matcher(lines.get(i)).replaceAll(""));
                while (link.find()) {
                    String target = link.group(1) != null ? link.group(1) : link.group(2);
                    if (target.matches("^[a-zA-Z][a-zA-Z+.-]*:.*")) {
                        continue; // https:, mailto: – not ours to check offline
                    }
                    checked++;
                    String problem = resolve(file, target);
                    if (problem != null) {
                        broken.add(ROOT.relativize(file) + ":" + (i + 1) + " (" + target + "): " + problem);
                    }
                }
            }
        }
        assertThat(checked).as("links found").isGreaterThan(20);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theGlobalKeysTableListsExactlyTheGlobalKeysTheLibraryReads() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/configuration.md"));
        int start =
                lines.indexOf("<!-- global-keys: a test checks this table against the global keys the code reads -->");
        int end = lines.indexOf("<!-- /global-keys -->");
        assertThat(start)
                .as("docs/configuration.md marks the table of global keys")
                .isNotNegative();
        assertThat(end).isGreaterThan(start);
        Set<String> documented = new TreeSet<>();
        Pattern row = Pattern.compile("^\\| `(milvus\\.[a-z.-]+)` \\|");
        for (String line : lines.subList(start, end)) {
            Matcher key = row.matcher(line);
            if (key.find()) {
                documented.add(key.group(1));
            }
        }
        assertThat(documented).isEqualTo(globalKeys());
    }

    @Test
    void everyKeyNamedOutsideConfigurationSnippetsExists() throws IOException {
        Set<String> known =
                Arrays.stream(ConnectionKey.values()).map(ConnectionKey::key).collect(Collectors.toSet());
        Pattern named = Pattern.compile("milvus\\.connections\\.[A-Za-z0-9_<>-]+\\.([a-z][a-z.-]*[a-z])");
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles()) {
            List<String> lines = Files.readAllLines(file);
            boolean inProperties = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    inProperties = !inProperties && line.substring(3).trim().equals("properties");
                    continue;
                }
                if (inProperties) {
                    continue; // read by the library's reader in everyPropertiesSnippetIsReadAsItSays
                }
                Matcher key = named.matcher(line);
                while (key.find()) {
                    checked++;
                    if (!known.contains(key.group(1))) {
                        unknown.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + key.group());
                    }
                }
            }
        }
        assertThat(checked).as("keys named in prose, messages, commands").isGreaterThan(20);
        assertThat(unknown).as("keys the library does not know").isEmpty();
    }

    @Test
    void everyQuotedMissingLocationErrorIsWhatTheReaderSays() throws IOException {
        Pattern quote = Pattern.compile("alias '([a-z0-9_-]+)': no location is configured[^`…]*");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles()) {
            String prose = String.join(" ", proseLines(file)).replaceAll("\\s+", " ");
            Matcher quoted = quote.matcher(prose);
            while (quoted.find()) {
                checked++;
                String alias = quoted.group(1);
                String said = quoted.group().replaceAll("[ .]+$", "");
                List<String> problems = MilvusConfiguration.read(
                                null, Set.of(alias), new ConnectionSettingsReader(n -> null))
                        .problems();
                if (problems.size() != 1 || !problems.get(0).startsWith(said)) {
                    wrong.add(ROOT.relativize(file) + ": \"" + said + "\" but the reader says " + problems);
                }
            }
        }
        assertThat(checked).as("quoted missing-location errors").isGreaterThan(3);
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyPropertiesSnippetIsReadAsItSays(@TempDir Path tmp) throws IOException {
        Path readable = Files.writeString(tmp.resolve("file.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path[] stores = SnippetKeyStores.write(tmp); // the user's key stores, their password read as x
        Set<String> globalKeys = globalKeys();
        List<String> wrong = new ArrayList<>();
        int accepted = 0;
        int failing = 0;
        for (Block block : blocks("properties")) {
            List<String> expected = new ArrayList<>();
            for (String line : block.text().split("\n")) {
                Matcher error = ERROR_LINE.matcher(line.trim());
                if (error.matches()) {
                    expected.add(error.group(1).trim());
                }
            }
            Properties properties = new Properties();
            properties.load(new StringReader(block.text()));
            Map<String, String> keys = new LinkedHashMap<>();
            for (String name : new TreeSet<>(properties.stringPropertyNames())) {
                if (!name.startsWith("milvus.")) {
                    continue; // quarkus.*, the runtime's own keys
                }
                if (!name.startsWith("milvus.connections.") && !globalKeys.contains(name)) {
                    wrong.add(block.where() + ": " + name + " is not a key of the library; global keys: " + globalKeys);
                }
                String value = EXPRESSION.matcher(properties.getProperty(name)).replaceAll("x");
                if (expected.isEmpty() && (name.endsWith("-path") || name.endsWith("-file"))) {
                    value = readable.toString(); // the user's file
                } else if (expected.isEmpty() && (name.endsWith(".trust-store") || name.endsWith(".key-store"))) {
                    value = stores[name.endsWith(".trust-store") ? 0 : 1].toString();
                }
                keys.put(name, value);
            }
            if (keys.isEmpty()) {
                continue;
            }
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(keys, "snippet " + block.where(), 100))
                    .build();
            List<String> problems = new ArrayList<>(
                    MilvusConfiguration.read(config, Set.of(), new ConnectionSettingsReader(name -> null))
                            .problems());
            if (properties.stringPropertyNames().stream().anyMatch(name -> name.startsWith("quarkus.tls."))) {
                // a Quarkus snippet: its TLS registry is there, not on this class path
                problems.removeIf(problem -> problem.contains("which is not here (Quarkus only)"));
            }
            if (!matches(problems, expected)) {
                wrong.add(block.where() + ": the reader reports " + problems + " but the snippet says " + expected);
            }
            if (expected.isEmpty()) {
                accepted++;
            } else {
                failing++;
            }
        }
        assertThat(accepted).as("accepted snippets").isGreaterThan(5);
        assertThat(failing).as("snippets showing an error").isGreaterThan(3);
        assertThat(wrong).as("properties snippets the reader disagrees with").isEmpty();
    }

    @Test
    void everyJavaSnippetCompiles(@TempDir Path out) throws IOException {
        List<Block> blocks = blocks("java");
        assertThat(blocks).as("java snippets").hasSizeGreaterThan(5);
        List<JavaFileObject> sources = new ArrayList<>();
        Map<String, Block> origin = new LinkedHashMap<>();
        Map<String, Long> headerLines = new LinkedHashMap<>();
        Map<String, Long> importCounts = new LinkedHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            String pkg = "docs.snippet" + i;
            // the snippet's own imports head the compilation unit; none are added: a snippet shows what it needs
            List<String> lines = block.text().lines().toList();
            int importLines = 0;
            while (importLines < lines.size()
                    && (lines.get(importLines).startsWith("import ")
                            || lines.get(importLines).isBlank())) {
                importLines++;
            }
            String imports =
                    lines.subList(0, importLines).stream().map(l -> l + "\n").collect(Collectors.joining());
            String body = String.join("\n", lines.subList(importLines, lines.size()));
            String unit;
            int wrapperLines = 0;
            String typeName = "Snippet";
            if (DECLARES_TYPE.matcher(body).find()) {
                unit = body;
                Matcher named = PUBLIC_TYPE.matcher(body);
                if (named.find()) {
                    typeName = named.group(3);
                }
            } else if (body.strip().startsWith("@Inject")) {
                unit = "class Snippet {\n" + body + "\n}\n";
                wrapperLines = 1;
            } else {
                unit = "class Snippet {\nvoid snippet() throws Exception {\n" + body + "\n}\n}\n";
                wrapperLines = 2;
            }
            String source = "package " + pkg + ";\n" + imports + unit;
            URI uri = URI.create("string:///" + pkg.replace('.', '/') + "/" + typeName + ".java");
            sources.add(new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
            origin.put(uri.getPath(), block);
            importCounts.put(uri.getPath(), (long) importLines);
            headerLines.put(uri.getPath(), (long) wrapperLines);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean compiled = javac.getTask(
                        null,
                        null,
                        diagnostics,
                        List.of("-proc:none", "-classpath", classPath, "-d", out.toString(), "--release", "17"),
                        null,
                        sources)
                .call();
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> {
                    if (d.getSource() == null) {
                        return d.getMessage(Locale.ROOT);
                    }
                    Block block = origin.get(d.getSource().toUri().getPath());
                    String path = d.getSource().toUri().getPath();
                    // the package line, then the snippet's imports, then the wrapper's lines, then the rest
                    long line = d.getLineNumber() - 1;
                    if (line > importCounts.get(path)) {
                        line -= headerLines.get(path);
                    }
                    return block.where() + " (snippet line " + line + "): " + d.getMessage(Locale.ROOT);
                })
                .collect(Collectors.toList());
        assertThat(errors).as("compile errors of java snippets").isEmpty();
        assertThat(compiled).isTrue();
    }

    /** The problems, one per expected line; a line ending with '…' is the start of its problem. */
    private static boolean matches(List<String> problems, List<String> expected) {
        if (problems.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < problems.size(); i++) {
            String said = expected.get(i);
            boolean same = said.endsWith("…")
                    ? problems.get(i).startsWith(said.substring(0, said.length() - 1))
                    : problems.get(i).equals(said);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    // ---- Markdown ----

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The file's lines, with those inside fenced blocks blanked (links there are code). */
    private static List<String> proseLines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            boolean fence = lines.get(i).startsWith("```");
            if (fenced || fence) {
                lines.set(i, "");
            }
            if (fence) {
                fenced = !fenced;
            }
        }
        return lines;
    }

    private static List<Block> blocks(String language) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path file : markdownFiles()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("```") || lines.get(i).length() == 3) {
                    continue;
                }
                String info = lines.get(i).substring(3).trim();
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !lines.get(end).startsWith("```")) {
                    end++;
                }
                if (info.equals(language)) {
                    blocks.add(new Block(file, start + 1, info, String.join("\n", lines.subList(start, end))));
                }
                i = end;
            }
        }
        return blocks;
    }

    private static String resolve(Path from, String target) throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file " + ROOT.relativize(file);
        }
        if (anchor == null) {
            return null;
        }
        if (!file.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        Set<String> anchors = anchors(file);
        return anchors.contains(anchor)
                ? null
                : "no heading with anchor #" + anchor + " in " + ROOT.relativize(file) + "; anchors there: " + anchors;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new TreeSet<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String line : proseLinesOf(file)) {
            Matcher heading = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (!heading.matches()) {
                continue;
            }
            String slug = heading.group(1)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    private static List<String> proseLinesOf(Path file) throws IOException {
        return proseLines(file);
    }

    /** The global keys the library reads: the table {@link GlobalKey}. */
    private static Set<String> globalKeys() {
        return GlobalKey.values().stream().map(KeyDeclaration::key).collect(Collectors.toCollection(TreeSet::new));
    }
}
