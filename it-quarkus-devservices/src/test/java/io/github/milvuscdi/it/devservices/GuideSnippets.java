package io.github.milvuscdi.it.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fenced blocks of a Markdown page, as a reader copies them. */
final class GuideSnippets {

    private static final Pattern DEPENDENCY = Pattern.compile("(?s)<dependency>.*?</dependency>");
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");
    private static final Pattern TYPE_NAME = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)");

    /** One fenced block: its info string ({@code java}, {@code xml}, {@code java quarkus-test}) and text. */
    record Snippet(String info, String text) {

        /** The {@code <dependency>} elements of an XML snippet. */
        List<String> dependencies() {
            List<String> found = new ArrayList<>();
            Matcher dependency = DEPENDENCY.matcher(text);
            while (dependency.find()) {
                found.add(dependency.group());
            }
            return found;
        }

        /** The name of the class a Java snippet declares, or {@code null} for a fragment. */
        String className() {
            Matcher name = TYPE_NAME.matcher(text);
            return name.find() ? name.group(1) : null;
        }
    }

    private GuideSnippets() {}

    /** The blocks of {@code page} in order, those without an info string included. */
    static List<Snippet> of(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String info = lines.get(i).substring(3).trim();
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            snippets.add(new Snippet(info, String.join("\n", lines.subList(i + 1, end)) + "\n"));
            i = end;
        }
        return snippets;
    }

    /** The artifactId of a {@code <dependency>} element. */
    static String artifactId(String dependency) {
        Matcher id = ARTIFACT_ID.matcher(dependency);
        if (!id.find()) {
            throw new AssertionError("a <dependency> without an artifactId: " + dependency);
        }
        return id.group(1);
    }
}
