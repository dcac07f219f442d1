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
 * Writes a small project for {@code ebb init} that runs as it is against a local HubSpot sandbox
 * ({@link #SANDBOX_COMMAND}): three customers in a CSV file, a DuckDB source reading it, a HubSpot destination on
 * the sandbox's URL and token, one model and one sync; its README says how to point it at a real portal. Never
 * overwrites a file. Stateless and thread-safe.
 */
public final class ProjectScaffold {
    private static final Map<Path, String> FILES = new LinkedHashMap<>();

    /** What a local HubSpot sandbox needs to take the scaffold's sync: the two contact properties it writes. */
    public static final String SANDBOX_COMMAND =
            "ebb sandbox hubspot --port 8089 -o properties=contacts.churn_risk_score:number,contacts.ltv:number";

    static {
        FILES.put(Path.of("ebb.yaml"), """
                # The project: its sources (where models run) and destinations (where syncs write).
                # Reference: docs/config.md in the Ebb repository. Check it with `ebb validate`.
                #
                # As written it runs against a local HubSpot sandbox (see README.md):
                #   %s
                #   ebb run churn_to_hubspot
                name: my-project
                state: { store: embedded }          # snapshots and the run log, in .ebb/

                sources:
                  lakehouse:
                    type: duckdb                    # no path: models read files (data/customers.csv) with DuckDB

                destinations:
                  hubspot:
                    type: hubspot
                    # The sandbox. For your HubSpot portal delete this line (the default is https://api.hubapi.com).
                    base_url: http://127.0.0.1:8089
                    # The sandbox's token, read at run time. For your portal: a private app token, e.g.
                    # token: "${env:HUBSPOT_TOKEN}"
                    token: "${file:.secrets/hubspot-token}"
                """.formatted(SANDBOX_COMMAND));
        FILES.put(Path.of(".secrets", "hubspot-token"), "sandbox-token\n");
        FILES.put(Path.of("data", "customers.csv"), """
                email,churn_risk_score,lifetime_value
                ada@example.com,0.12,4200.50
                grace@example.com,0.87,180.00
                alan@example.com,0.45,990.25
                """);
        FILES.put(Path.of("models", "customer_health.sql"), """
                -- One row per customer: what the sync sends to HubSpot. Point it at your own table or files.
                SELECT
                    email            AS customer_email,
                    churn_risk_score,
                    lifetime_value
                FROM read_csv_auto('data/customers.csv')
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
        FILES.put(Path.of("README.md"), """
                # my-project

                An Ebb project: `models/customer_health.sql` (three customers in `data/customers.csv`) synced to
                HubSpot contacts by `syncs/churn_to_hubspot.yaml`.

                ## Try it against a local sandbox

                It runs as it is against Ebb's HubSpot sandbox, which keeps records in memory while it runs:

                ```sh
                %s   # leave it running
                ebb run churn_to_hubspot          # in another terminal, in this folder
                ebb runs
                ```

                ## Point it at your HubSpot portal

                1. In `ebb.yaml`, delete the `base_url` line (the default is https://api.hubapi.com).
                2. Create a private app in HubSpot with the `crm.objects.contacts.write` and
                   `crm.schemas.contacts.read` scopes, and give Ebb its token: `token: "${env:HUBSPOT_TOKEN}"`
                   with the token in that variable (or write it to `.secrets/hubspot-token`, never committed).
                3. Create the contact properties `churn_risk_score` and `ltv` (type number) in HubSpot.
                4. `ebb validate` checks the project against the portal, `ebb plan churn_to_hubspot` shows what a
                   run would send, and `ebb run churn_to_hubspot` sends it.
                """.formatted(SANDBOX_COMMAND));
        FILES.put(Path.of(".gitignore"), """
                # Ebb's state (snapshots, run log) belongs to this machine, and secrets never go to version control.
                .ebb/
                .secrets/
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
