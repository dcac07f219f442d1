package dev.ebb.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.StateStore;
import dev.ebb.server.auth.Tokens;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.SyncScheduler;
import java.time.Clock;
import java.util.Map;

/**
 * What every route group works with: the project, the engine, its state store, the run queue and the scheduler, the
 * tokens, and the redaction every text a route returns goes through. One per server; thread-safe.
 *
 * @param project   the loaded project
 * @param engine    the engine that plans and runs its syncs
 * @param state     the state store the engine writes (also the audit log and the tokens)
 * @param runs      where runs are queued, started, cancelled
 * @param scheduler when runs are started by themselves
 * @param tokens    the API tokens
 * @param redaction takes the project's resolved secrets out of any text before it is returned or logged
 * @param json      the API's JSON mapper (snake_case)
 * @param clock     the server's clock
 * @param budgets   every destination account's rate budget in this process (for metrics)
 * @param env       the environment secret references are resolved from (alert URLs); never shown
 */
public record ServerContext(ProjectConfig project, SyncEngine engine, StateStore state, RunQueue runs,
                            SyncScheduler scheduler, Tokens tokens, Redaction redaction, ObjectMapper json,
                            Clock clock, RateBudgets budgets, Map<String, String> env) {
    @Override
    public String toString() {
        return "ServerContext[" + project.name() + "]";
    }
}
