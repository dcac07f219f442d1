// Ebb's UI: a little vanilla JavaScript, no build step. It only reads JSON and sets text, never HTML.
"use strict";

// The run page: while the run goes, poll its progress and update the counts; reload once it has ended, so the
// rows and their outcomes show.
function followRun(el) {
  const url = el.dataset.progress;
  const tick = async () => {
    try {
      const answer = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (!answer.ok) return;
      const run = await answer.json();
      for (const cell of document.querySelectorAll("[data-count]")) {
        const value = run[cell.dataset.count];
        if (value !== undefined) cell.textContent = String(value);
      }
      document.getElementById("run-status").textContent = run.status;
      document.getElementById("run-duration").textContent = run.duration;
      document.getElementById("run-message").textContent = run.message;
      const bar = document.getElementById("run-bar");
      bar.value = run.percent;
      bar.textContent = run.percent + "%";
      if (!run.live) {
        window.location.reload();
        return;
      }
    } catch (e) {
      // The server is restarting or the network blinked: try again at the next tick.
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}

// The sync page after "Run now" queued a run: open the run's page as soon as it has started.
function awaitRun(el, after) {
  const tick = async () => {
    try {
      const answer = await fetch(el.dataset.latest, { credentials: "same-origin" });
      if (answer.ok) {
        const latest = await answer.json();
        if (latest.runId !== undefined && latest.runId > after) {
          window.location.assign(el.dataset.runs + latest.runId);
          return;
        }
      }
    } catch (e) {
      // try again
    }
    setTimeout(tick, 500);
  };
  tick();
}

document.addEventListener("DOMContentLoaded", () => {
  const run = document.getElementById("run");
  if (run && run.dataset.live === "true") followRun(run);
  const waiting = document.getElementById("waiting");
  const after = new URLSearchParams(window.location.search).get("after");
  if (waiting && after !== null && /^[0-9]+$/.test(after)) awaitRun(waiting, Number(after));
});
