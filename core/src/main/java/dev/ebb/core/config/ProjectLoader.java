package dev.ebb.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads a project folder ({@code ebb.yaml}, {@code models/}, {@code syncs/}) and validates it as a whole: every
 * problem in every file is reported at once, each with its file (relative to the project root) and line, and what
 * to change. Nothing is opened or resolved: secret references are only checked for syntax, sources and destinations
 * are not contacted. Stateless and thread-safe (each call has its own state).
 *
 * <p>Warnings (a secret written in plain text, a policy that can never apply) do not stop a load; {@link
 * #loadWithWarnings} returns them, and a {@link ConfigException} carries them alongside the errors.
 */
public final class ProjectLoader {
    static final Path MODELS = Path.of("models");
    static final Path SYNCS = Path.of("syncs");

    private final Path root;
    private final ConnectorCatalog catalog;
    private final Problems problems = new Problems();

    private ProjectLoader(Path root, ConnectorCatalog catalog) {
        this.root = root.toAbsolutePath().normalize();
        this.catalog = catalog;
    }

    /**
     * Loads and validates the project in {@code root}.
     *
     * @param catalog the connector types the project may use, with their options
     * @throws ConfigException listing every problem found
     */
    public static ProjectConfig load(Path root, ConnectorCatalog catalog) throws ConfigException {
        return loadWithWarnings(root, catalog).project();
    }

    /** Like {@link #load}, and returns the warnings too. */
    public static LoadedProject loadWithWarnings(Path root, ConnectorCatalog catalog) throws ConfigException {
        return new ProjectLoader(root, catalog).load();
    }

    private LoadedProject load() throws ConfigException {
        Location projectFile = new Location(ProjectFileReader.FILE, 0);
        if (!Files.isDirectory(root)) {
            throw new ConfigException(projectFile, "the project folder " + root + " does not exist");
        }
        if (!Files.isRegularFile(root.resolve(ProjectFileReader.FILE))) {
            throw new ConfigException(projectFile, Files.exists(root.resolve("ebb.yml"))
                    ? "found ebb.yml; rename it to ebb.yaml"
                    : "no ebb.yaml in " + root + "; run Ebb in a project folder, or create one with ebb init");
        }
        ProjectFileReader.ProjectSection project = readYaml(ProjectFileReader.FILE)
                .map(node -> new ProjectFileReader(problems, catalog).read(node))
                .orElseGet(ProjectFileReader.ProjectSection::unreadable);
        Set<String> unknownKeys = new HashSet<>();
        Map<String, ModelConfig> models = models(project, unknownKeys);
        SyncReader syncReader = new SyncReader(problems, project, models, unknownKeys);
        Map<String, SyncConfig> syncs = new TreeMap<>();
        for (Path file : yamlFiles(SYNCS, "syncs")) {
            String name = stem(file);
            Path relative = SYNCS.resolve(file.getFileName());
            checkFileName(name, relative, "sync");
            readYaml(relative).flatMap(node -> syncReader.read(name, relative, node))
                    .ifPresent(sync -> syncs.put(name, sync));
        }
        checkAfter(syncs);
        if (problems.hasErrors()) {
            throw new ConfigException(problems.errors(), problems.warnings());
        }
        ProjectConfig config = new ProjectConfig(root, project.name(), project.state(), project.sources(),
                project.destinations(), Collections.unmodifiableMap(models), Collections.unmodifiableMap(syncs),
                project.alerts());
        return new LoadedProject(config, problems.warnings());
    }

    /** {@code schedule: { after: X }} names another sync of the project, and no chain of them comes round. */
    private void checkAfter(Map<String, SyncConfig> syncs) {
        for (SyncConfig sync : syncs.values()) {
            String after = sync.schedule().after();
            if (after == null) continue;
            if (!syncs.containsKey(after)) {
                problems.error(sync.location(), "schedule: { after: " + after + " } names no sync of the project"
                        + Suggestions.hint(after, syncs.keySet(), "syncs"));
                continue;
            }
            List<String> chain = new ArrayList<>(List.of(sync.name()));
            for (String next = after; next != null; next = syncs.containsKey(next)
                    ? syncs.get(next).schedule().after() : null) {
                chain.add(next);
                if (next.equals(sync.name())) {
                    problems.error(sync.location(), "schedule: after: goes round in a circle ("
                            + String.join(" after ", chain) + "), so none of them would ever run; start one of"
                            + " them with every:, cron: or manual");
                    break;
                }
                if (chain.size() > syncs.size() + 1) break;
            }
        }
    }

    private Map<String, ModelConfig> models(ProjectFileReader.ProjectSection project, Set<String> unknownKeys) {
        Map<String, Path> sqlFiles = new TreeMap<>();
        Map<String, Path> yamlFiles = new TreeMap<>();
        for (Path file : list(MODELS)) {
            String fileName = file.getFileName().toString();
            Path relative = MODELS.resolve(fileName);
            if (Files.isDirectory(file)) {
                problems.warning(new Location(relative, 0), "folder " + relative + " is not read: models live"
                        + " directly in models/ as NAME.sql");
            } else if (fileName.endsWith(".sql")) {
                sqlFiles.put(stem(file), relative);
            } else if (fileName.endsWith(".yaml")) {
                yamlFiles.put(stem(file), relative);
            } else if (fileName.endsWith(".yml")) {
                problems.error(new Location(relative, 0), "rename " + fileName + " to " + stem(file)
                        + ".yaml; Ebb reads .yaml files only");
            }
        }
        yamlFiles.forEach((name, relative) -> {
            if (!sqlFiles.containsKey(name)) {
                problems.error(new Location(relative, 1), relative + " describes model '" + name + "', but "
                        + MODELS.resolve(name + ".sql") + " does not exist; add the query or rename the file");
            }
        });
        Map<String, ModelConfig> models = new TreeMap<>();
        sqlFiles.forEach((name, relative) -> {
            checkFileName(name, relative, "model");
            String sql = readText(relative).map(ProjectLoader::withoutTrailingSemicolons).orElse(null);
            if (sql != null && sql.isBlank()) {
                problems.error(new Location(relative, 1), relative + " is empty; write the model's query"
                        + " (SELECT …)");
            }
            ModelFile described = ModelFile.NONE;
            if (yamlFiles.containsKey(name)) {
                described = readYaml(yamlFiles.get(name))
                        .map(node -> modelFile(yamlFiles.get(name), node, project))
                        .orElse(ModelFile.UNREADABLE);
            }
            if (!described.keyKnown()) {
                unknownKeys.add(name);
            }
            String source = described.source() != null || !described.sourceKnown() ? described.source()
                    : defaultSource(name, relative, project);
            models.put(name, new ModelConfig(name, sql == null ? "" : sql, source, described.key(),
                    new Location(relative, 0), described.keyLocation()));
        });
        return models;
    }

    /**
     * What {@code models/NAME.yaml} says. {@code sourceKnown} and {@code keyKnown} are false when the file or that
     * key could not be read, so that no second problem is raised about a missing source or key. Its {@code
     * description:} is checked but not kept: {@link ModelConfig} has no place for it yet.
     */
    private record ModelFile(String source, boolean sourceKnown, List<String> key, boolean keyKnown,
                             Location keyLocation) {
        static final ModelFile NONE = new ModelFile(null, true, List.of(), true, null);
        static final ModelFile UNREADABLE = new ModelFile(null, false, List.of(), false, null);
    }

    private ModelFile modelFile(Path relative, YamlNode root, ProjectFileReader.ProjectSection project) {
        NodeReader reader = new NodeReader(relative, problems);
        Optional<YamlNode.Mapping> top = reader.mapping(root, "a model's YAML", "key: customer_id");
        if (top.isEmpty()) {
            return ModelFile.UNREADABLE;
        }
        reader.allowOnly(top.get(), ConfigKeys.MODEL, "in a model's YAML");
        Optional<YamlNode.Entry> sourceEntry = top.get().entry("source");
        String source = sourceEntry.flatMap(entry -> {
            Optional<String> name = reader.string(entry);
            if (name.isPresent() && project.sourcesKnown() && !project.sources().containsKey(name.get())) {
                reader.error(entry.value().line(), "source '" + name.get() + "' is not defined in ebb.yaml"
                        + Suggestions.hint(name.get(), project.sources().keySet(), "sources"));
            }
            return name;
        }).orElse(null);
        boolean sourceKnown = sourceEntry.isEmpty() || source != null;
        boolean keyReadable = true;
        List<String> key = List.of();
        Optional<YamlNode.Entry> keyEntry = top.get().entry("key");
        if (keyEntry.isPresent()) {
            Optional<List<String>> columns = reader.columns(keyEntry.get());
            keyReadable = columns.isPresent();
            key = columns.orElse(List.of());
        }
        top.get().entry("description").ifPresent(reader::string);
        return new ModelFile(source, sourceKnown, key, keyReadable,
                keyEntry.map(entry -> reader.at(entry.line())).orElse(null));
    }

    private String defaultSource(String model, Path relative, ProjectFileReader.ProjectSection project) {
        if (project.defaultSource() != null) {
            return project.defaultSource();
        }
        if (project.sources().size() == 1) {
            return project.sources().keySet().iterator().next();
        }
        if (!project.sourcesKnown()) {
            return null;
        }
        Path yaml = MODELS.resolve(model + ".yaml");
        if (project.sources().isEmpty()) {
            problems.error(new Location(relative, 0), "model '" + model + "' has no source to run on; add one to"
                    + " ebb.yaml, e.g. sources: { lakehouse: { type: duckdb, path: data/lakehouse.duckdb } }");
        } else {
            problems.error(new Location(relative, 0), "model '" + model + "' does not say which of the "
                    + project.sources().size() + " sources (" + String.join(", ", project.sources().keySet())
                    + ") it runs on; set default_source: in ebb.yaml or source: in " + yaml);
        }
        return null;
    }

    private void checkFileName(String name, Path relative, String what) {
        if (!NodeReader.NAME.matcher(name).matches()) {
            problems.error(new Location(relative, 0), "a " + what + "'s file name is its name, and '" + name
                    + "' is not a valid name; rename the file using " + NodeReader.NAME_RULE);
        }
    }

    private List<Path> yamlFiles(Path folder, String what) {
        List<Path> yaml = new ArrayList<>();
        for (Path file : list(folder)) {
            String fileName = file.getFileName().toString();
            Path relative = folder.resolve(fileName);
            if (Files.isDirectory(file)) {
                problems.warning(new Location(relative, 0), "folder " + relative + " is not read: " + what
                        + " live directly in " + folder + "/");
            } else if (fileName.endsWith(".yaml")) {
                yaml.add(file);
            } else if (fileName.endsWith(".yml")) {
                problems.error(new Location(relative, 0), "rename " + fileName + " to " + stem(file)
                        + ".yaml; Ebb reads .yaml files only");
            }
        }
        return yaml;
    }

    private List<Path> list(Path folder) {
        Path directory = root.resolve(folder);
        if (!Files.exists(directory)) {
            return List.of();
        }
        if (!Files.isDirectory(directory)) {
            problems.error(new Location(folder, 0), folder + " is a file; it must be a folder");
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
        } catch (IOException e) {
            problems.error(new Location(folder, 0), "cannot list " + folder + " (" + e.getClass().getSimpleName()
                    + ")");
            return List.of();
        }
    }

    private Optional<YamlNode> readYaml(Path relative) {
        return readText(relative).flatMap(text -> YamlReader.read(text, relative, problems));
    }

    private Optional<String> readText(Path relative) {
        try {
            return Optional.of(Files.readString(root.resolve(relative), StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            problems.error(new Location(relative, 0), relative + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            problems.error(new Location(relative, 0), "cannot read " + relative + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return Optional.empty();
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The query as written, minus trailing blanks and semicolons: sources run it as one statement. */
    static String withoutTrailingSemicolons(String sql) {
        // Leading lines stay: the source's error messages count lines from the top of the file.
        String trimmed = sql.stripTrailing();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
        }
        return trimmed;
    }
}
