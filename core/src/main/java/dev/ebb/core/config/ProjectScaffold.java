package dev.ebb.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small, valid project for {@code ebb init}: a DuckDB source, a HubSpot destination whose token comes
 * from the environment, one model and one sync. Never overwrites a file. Stateless and thread-safe.
 */
public final class ProjectScaffold {
    private static final Map<Path, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put(Path.of("ebb.yaml"), """
                # The project: its sources (where models run) and destinations (where syncs write).
                # Reference: docs/config.md in the Ebb repository. Check it with `ebb validate`.
                name: my-project
                state: { store: embedded }          # snapshots and the run log, in .ebb/

                sources:
                  lakehouse:
                    type: duckdb
                    path: data/lakehouse.duckdb     # relative to this folder; opened read-only

                destinations:
                  hubspot:
                    type: hubspot
                    token: "${env:HUBSPOT_TOKEN}"   # a private app token, read from the environment at run time
                """);
        FILES.put(Path.of("models", "customer_health.sql"), """
                -- One row per customer: what the sync sends to HubSpot.
                SELECT
                    email            AS customer_email,
                    churn_risk_score,
                    lifetime_value
                FROM customers
                WHERE email IS NOT NULL
                """);
        FILES.put(Path.of("models", "customer_health.yaml"), """
                description: Churn risk and lifetime value per customer.
                key: customer_email
                """);
        FILES.put(Path.of("syncs", "churn_to_hubspot.yaml"), """
                # Pushes churn risk to HubSpot contacts, matched by email. Try it with `ebb plan churn_to_hubspot`.
                model: customer_health
                destination: hubspot
                object: contacts
                mode: upsert
                match: { column: customer_email, field: email }
                fields:
                  - { column: churn_risk_score, field: churn_risk_score }
                  - { column: lifetime_value,   field: ltv }
                schedule: manual
                """);
        FILES.put(Path.of(".gitignore"), """
                # Ebb's state (snapshots, run log) belongs to this machine, not to version control.
                .ebb/
                """);
    }

    private ProjectScaffold() {
    }

    /**
     * Creates the project's files in {@code root} (created if missing). Files that already exist, other than
     * {@code ebb.yaml}, are left as they are.
     *
     * @return the files written, relative to {@code root}, in the order written
     * @throws FileAlreadyExistsException when {@code root} already holds an {@code ebb.yaml}: a project is never
     *                                    overwritten
     * @throws IOException                when a file cannot be written
     */
    public static List<Path> write(Path root) throws IOException {
        Path projectFile = root.resolve("ebb.yaml");
        if (Files.exists(projectFile)) {
            throw new FileAlreadyExistsException(projectFile.toString(), null,
                    "a project already exists here; ebb init never overwrites one (choose an empty folder)");
        }
        Files.createDirectories(root);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Path, String> file : FILES.entrySet()) {
            Path target = root.resolve(file.getKey());
            if (Files.exists(target)) {
                continue;
            }
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            try {
                // CREATE_NEW: a file that appeared since the check above is still never overwritten.
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                written.add(file.getKey());
            } catch (FileAlreadyExistsException raced) {
                if (file.getKey().equals(Path.of("ebb.yaml"))) {
                    throw raced;
                }
            }
        }
        return List.copyOf(written);
    }
}
