package dev.hansa.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's templates show no literal text (every word comes from the message bundle, so the console can be
 * translated and wording lives in one place), every message key they use exists, every key in the bundle is used,
 * and every translation of the bundle has the same keys.
 */
class TemplateTextTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates/console");
    private static final Path BUNDLES = Path.of("src/main/resources/console");
    /** Thymeleaf comments, HTML comments, and script and style bodies hold no visible text. */
    private static final Pattern INVISIBLE = Pattern.compile(
            "<!--.*?-->|<script\\b[^>]*>.*?</script>|<style\\b[^>]*>.*?</style>", Pattern.DOTALL);
    private static final Pattern TEXT = Pattern.compile(">([^<]+)<");
    /** Character references ({@code &times;}) are symbols, not words. */
    private static final Pattern ENTITY = Pattern.compile("&[a-zA-Z]+;|&#[0-9]+;");
    /** Attributes a person reads (or a screen reader speaks) must come from th: attributes with messages. */
    private static final Pattern READABLE_ATTRIBUTE = Pattern.compile(
            "\\s(title|alt|placeholder|aria-label|label)=\"([^\"]*)\"");
    private static final Pattern KEY = Pattern.compile("#\\{([a-zA-Z0-9.]+)");
    /** A key built at render time ({@code #{'federation.tab.' + ${t}}}): every key under its prefix counts as used. */
    private static final Pattern DYNAMIC_KEY = Pattern.compile("#\\{'([a-zA-Z0-9.]+)' \\+");
    /** A form field rendered through fragments/field.html, whose label and help are form.<name>(.help). */
    private static final Pattern FIELD = Pattern.compile(
            "fragments/field :: (?:textField|choiceField|jsonField|flagField)\\('(\\w+)'");

    private static List<Path> templates() {
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties bundle(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Words in {@code html} outside any markup: letters, where only spaces, digits and punctuation may stand. */
    static List<String> literalText(String html) {
        String visible = INVISIBLE.matcher(html).replaceAll("");
        List<String> found = new ArrayList<>();
        Matcher text = TEXT.matcher(visible);
        while (text.find()) {
            if (ENTITY.matcher(text.group(1)).replaceAll("").codePoints().anyMatch(Character::isLetter)) {
                found.add(text.group(1).strip());
            }
        }
        Matcher attribute = READABLE_ATTRIBUTE.matcher(visible);
        while (attribute.find()) {
            if (attribute.group(2).codePoints().anyMatch(Character::isLetter)) {
                found.add(attribute.group(1) + "=\"" + attribute.group(2) + "\"");
            }
        }
        return found;
    }

    @Test
    void theCheckFindsTextAndAccessibleLabelsButNotExpressionsOrScripts() {
        assertEquals(List.of("Save", "aria-label=\"Close\""), literalText(
                "<p th:text=\"#{a.b}\"></p><button>Save</button><!-- a comment --><script>var x = 'hi';</script>"
                        + "<a aria-label=\"Close\" th:title=\"#{c}\">&times; 12 / 3</a>"));
    }

    @Test
    void templatesHoldNoLiteralText() {
        assertFalse(templates().isEmpty(), "no templates found under " + TEMPLATES.toAbsolutePath());
        Map<String, List<String>> offenders = new TreeMap<>();
        for (Path template : templates()) {
            List<String> literal = literalText(read(template));
            if (!literal.isEmpty()) {
                offenders.put(TEMPLATES.relativize(template).toString(), literal);
            }
        }
        assertEquals(Map.of(), offenders, "put the text in console/messages.properties and use #{...}");
    }

    @Test
    void everyKeyIsDefinedAndEveryDefinedKeyIsUsed() {
        Set<String> used = new TreeSet<>();
        for (Path template : templates()) {
            Matcher key = KEY.matcher(read(template));
            while (key.find()) {
                used.add(key.group(1));
            }
            Matcher field = FIELD.matcher(read(template));
            while (field.find()) {
                used.add("form." + field.group(1));
                used.add("form." + field.group(1) + ".help");
            }
        }
        Set<String> defined = new TreeSet<>(bundle(BUNDLES.resolve("messages.properties")).stringPropertyNames());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(defined);
        assertEquals(Set.of(), missing, "keys used in templates but not in messages.properties");
        Set<String> prefixes = new TreeSet<>();
        for (Path template : templates()) {
            Matcher dynamic = DYNAMIC_KEY.matcher(read(template));
            while (dynamic.find()) {
                prefixes.add(dynamic.group(1));
            }
        }
        Set<String> unused = new TreeSet<>(defined);
        unused.removeAll(used);
        unused.removeIf(key -> prefixes.stream().anyMatch(key::startsWith));
        assertEquals(Set.of(), unused, "keys in messages.properties that no template uses");
    }

    @Test
    void everyTranslationHasTheSameKeys() throws IOException {
        Set<String> reference = bundle(BUNDLES.resolve("messages.properties")).stringPropertyNames();
        try (Stream<Path> files = Files.list(BUNDLES)) {
            List<Path> translations = files.filter(p -> p.getFileName().toString().matches("messages_.+\\.properties"))
                    .toList();
            for (Path translation : translations) {
                assertEquals(new TreeSet<>(reference), new TreeSet<>(bundle(translation).stringPropertyNames()),
                        translation.getFileName().toString());
            }
            assertTrue(Files.exists(BUNDLES.resolve("messages.properties")));
        }
    }
}
