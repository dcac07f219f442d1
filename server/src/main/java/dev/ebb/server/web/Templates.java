package dev.ebb.server.web;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's Mustache templates, read from {@code web/templates/} on the class path. Every value is inserted with
 * {@code {{ }}}, which mustache.java HTML-escapes; the templates use no triple braces, so a key or a vendor's reason
 * such as {@code <script>} is shown as text. Thread-safe: templates are compiled once and shared.
 */
final class Templates {
    private final MustacheFactory factory = new DefaultMustacheFactory("web/templates");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    /** The page {@code name} ({@code web/templates/NAME.mustache}) rendered over {@code scope}. */
    String render(String name, Map<String, ?> scope) {
        Mustache mustache = compiled.computeIfAbsent(name, n -> factory.compile(n + ".mustache"));
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }
}
