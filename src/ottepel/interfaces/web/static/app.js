// ottepel dashboard: plain JavaScript over the JSON API (see docs/web.md).
"use strict";

const S = {
  scenarios: [], national: [], regional: [], limits: {}, jobs: [], job: null,
  mine: new Set(), seenDone: new Set(), tab: "ensembles", game: null, gameId: null,
  choices: [], playTrack: [],
};

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return e;
}

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new Error((data && data.detail) || `${r.status} ${r.statusText}`);
  // 429 bodies carry the limit and retry_after (also in the Retry-After header).
  return data;
}

function say(text, isError = false) {
  const m = $("#message");
  m.textContent = text;
  m.className = isError ? "error" : "";
  m.hidden = !text;
}

const fmt = (x, d = 3) => {
  if (x === null || x === undefined || Number.isNaN(x)) return "";
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return Number(x.toPrecision(d)).toString();
};

function fillSelect(sel, items, value) {
  sel.replaceChildren(...items.map((it) => {
    const [v, label] = Array.isArray(it) ? it : [it, it];
    return el("option", { value: v, text: label });
  }));
  if (value !== undefined && items.some((it) => (Array.isArray(it) ? it[0] : it) === value)) {
    sel.value = value;
  }
}

// ---------------------------------------------------------------- tabs
function showTab(name) {
  S.tab = name;
  document.querySelectorAll("#tabs button").forEach((b) =>
    b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll("section.tab").forEach((s) => { s.hidden = s.id !== `tab-${name}`; });
  refreshTab().then(resizeCharts).catch((e) => say(e.message, true));
}

async function refreshTab() {
  if (S.tab === "charts") return drawSeries();
  if (S.tab === "regions") return drawRegions();
  if (S.tab === "timeline") return drawTimeline();
  if (S.tab === "compare") return drawCompare();
  if (S.tab === "play") return drawPlayChart();
}

// ---------------------------------------------------------------- jobs
async function startJob(body) {
  try {
    const job = await api("POST", "/api/jobs", body);
    S.mine.add(job.id);
    say(`Job ${job.id.slice(0, 8)} started: ${job.scenarios.join(" vs ")}, ${job.runs} runs.`);
    await pollJobs();
  } catch (e) { say(e.message, true); }
}

async function pollJobs() {
  if (S.polling) return;
  S.polling = true;
  try { await pollOnce(); } finally { S.polling = false; }
}

async function pollOnce() {
  try { S.jobs = await api("GET", "/api/jobs"); } catch (e) { return; }
  renderJobs();
  for (const j of S.jobs) {
    if (j.mine) S.mine.add(j.id);
    if (S.mine.has(j.id) && j.status === "done" && !S.seenDone.has(j.id)) {
      S.seenDone.add(j.id);
      say(`Job ${j.id.slice(0, 8)} finished.`);
      await selectJob(j.id);
    } else if (S.mine.has(j.id) && ["failed", "cancelled"].includes(j.status)
               && !S.seenDone.has(j.id)) {
      S.seenDone.add(j.id);
      say(`Job ${j.id.slice(0, 8)} ${j.status}${j.error ? ": " + j.error : ""}`, true);
    }
  }
}

function renderJobs() {
  const rows = S.jobs.slice().reverse().map((j) => {
    const tr = el("tr", { class: "clickable" + (S.job && S.job.id === j.id ? " selected" : ""),
                          "data-job": j.id, "data-status": j.status });
    tr.addEventListener("click", () => { if (j.status === "done") selectJob(j.id); });
    const cancel = j.mine && ["queued", "running"].includes(j.status)
      ? el("button", { type: "button", text: "cancel",
                       onclick: (ev) => { ev.stopPropagation(); api("DELETE", `/api/jobs/${j.id}`).then(pollJobs); } })
      : "";
    tr.append(el("td", { text: j.id.slice(0, 8) }), el("td", { text: j.scenarios.join(" vs ") }),
      el("td", { class: "num", text: j.runs }), el("td", { class: "num", text: j.seed }),
      el("td", { class: "status", text: j.status }),
      el("td", {}, el("progress", { max: j.total_runs, value: j.done_runs }),
         ` ${j.done_runs}/${j.total_runs}`),
      el("td", {}, cancel));
    return tr;
  });
  $("#jobs tbody").replaceChildren(...rows);
}

async function selectJob(id) {
  S.job = S.jobs.find((j) => j.id === id) || (await api("GET", `/api/jobs/${id}`));
  const j = S.job;
  $("#current-job").textContent = `Viewing job ${j.id.slice(0, 8)}: ${j.scenarios.join(" vs ")}, `
    + `${j.runs} runs, seed ${j.seed}` + (j.scenarios.length === 2 ? " (paired comparison)" : "");
  const opts = j.scenarios.map((s, i) => [String(i), s]);
  document.querySelectorAll(".which-select").forEach((sel) => {
    fillSelect(sel, opts, "0");
    sel.parentElement.hidden = j.scenarios.length < 2;
  });
  $("#timeline-run").max = j.runs - 1;
  renderJobs();
  await refreshTab();
}

const jobPath = (suffix) => `/api/jobs/${S.job.id}/${suffix}`;

// ---------------------------------------------------------------- charts
function fanTraces(s) {
  return [
    { x: s.years, y: s.q95, mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
    { x: s.years, y: s.q05, mode: "lines", fill: "tonexty", line: { width: 0 },
      fillcolor: "rgba(178,34,34,0.2)", name: "model 90% band" },
    { x: s.years, y: s.median, mode: "lines+markers", line: { color: "firebrick" },
      name: "model median" },
  ].concat(s.history.some((h) => h !== null) ? [
    { x: s.years, y: s.history, mode: "markers", name: "historical record",
      marker: { color: "black", size: 8, symbol: "diamond" } }] : []);
}

function fanLayout(title) {
  return { title: { text: title, font: { size: 13 } }, margin: { l: 50, r: 10, t: 40, b: 30 },
           legend: { orientation: "h" }, xaxis: { dtick: 1 } };
}

async function drawSeries() {
  if (!S.job) return;
  const v = $("#chart-var").value;
  const d = await api("GET", jobPath(`series?var=${encodeURIComponent(v)}&which=${$("#chart-which").value || 0}`));
  $("#chart-description").textContent = `${d.true.description} (${d.true.unit}); `
    + `${d.scenario}, ${d.runs} runs: median, 90% band and the historical record.`;
  $("#fan-reported-box").hidden = !d.reported;  // before drawing: it sets the widths
  $("#fan-true-title").textContent = d.reported ? "True (the model's reality)" : "Model ensemble";
  await Plotly.react("fan-true", fanTraces(d.true), fanLayout(`${v} (${d.true.unit})`),
                     { responsive: true, displaylogo: false });
  if (d.reported) {
    await Plotly.react("fan-reported", fanTraces(d.reported),
                       fanLayout(`${d.reported.var} (${d.reported.unit})`), { responsive: true, displaylogo: false });
  }
  resizeCharts();
}

function resizeCharts() {
  document.querySelectorAll("section.tab:not([hidden]) .js-plotly-plot").forEach((gd) => {
    if (gd.offsetParent !== null) Plotly.Plots.resize(gd);
  });
}

// ---------------------------------------------------------------- regions
async function drawRegions() {
  if (!S.job) return;
  const v = $("#region-var").value;
  const yearSel = $("#region-year");
  const q = `regions?var=${encodeURIComponent(v)}&which=${$("#region-which").value || 0}`
    + (yearSel.value ? `&year=${yearSel.value}` : "");
  const d = await api("GET", jobPath(q));
  fillSelect(yearSel, d.years.map(String), String(d.year));
  const r = d.regions;
  await Plotly.react("region-map", [{
    x: r.map((x) => x.lon), y: r.map((x) => x.lat), mode: "markers", type: "scatter",
    text: r.map((x) => `${x.name} (${x.code}, ${x.republic}): ${fmt(x.value)} ${d.unit}`),
    hoverinfo: "text",
    marker: { size: 11, color: r.map((x) => x.value), colorscale: "Viridis", showscale: true,
              colorbar: { title: { text: d.unit } }, line: { width: 0.5, color: "#333" } },
  }], { title: { text: `${v}, December ${d.year} (median over runs)`, font: { size: 13 } },
        margin: { l: 40, r: 10, t: 40, b: 30 }, xaxis: { title: { text: "longitude" } },
        yaxis: { title: { text: "latitude" }, scaleanchor: "x", scaleratio: 1.6 } },
  { responsive: true, displaylogo: false });
  const byRep = {};
  for (const x of r) (byRep[x.republic] ||= []).push(x);
  const blocks = Object.keys(byRep).sort().map((rep) => {
    const rows = byRep[rep];
    // Stocks and flows (million t, ha, persons) add up over regions; ratios do not.
    const additive = d.unit.startsWith("million");
    const sum = rows.reduce((a, x) => a + (x.value || 0), 0);
    const agg = additive ? `sum ${fmt(sum)}` : `mean ${fmt(sum / rows.length)}`;
    const tbody = el("tbody", {}, ...rows.map((x) => el("tr", {}, el("td", { text: x.code }),
      el("td", { text: x.name }), el("td", { class: "num", text: fmt(x.value) }))));
    return el("details", {}, el("summary", { text: `${rep}: ${rows.length} region${rows.length === 1 ? "" : "s"}, ${agg} ${d.unit}` }),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "code" }), el("th", { text: "region" }),
        el("th", { text: d.unit }))), tbody));
  });
  $("#region-table").replaceChildren(...blocks);
}

// ---------------------------------------------------------------- timeline
async function drawTimeline() {
  if (!S.job) return;
  const run = Math.max(0, parseInt($("#timeline-run").value || "0", 10));
  const d = await api("GET", jobPath(`events?run=${run}&which=${$("#timeline-which").value || 0}`));
  const rows = d.events.map((e) => ({ month: e.month, type: "model event", what: e.kind,
    who: e.actors, size: fmt(e.magnitude), causes: e.causes, source: e.source || "model" }));
  if ($("#timeline-decisions").checked) {
    rows.push(...d.decisions.map((x) => ({ month: x.month, type: "decision",
      what: `${x.id}: ${x.lever}`, who: x.sponsor, size: fmt(x.value), causes: "", source: x.source })));
  }
  if ($("#timeline-record").checked) {
    rows.push(...d.record.map((x) => ({ month: x.date.slice(0, 7), type: "historical record",
      what: x.event, who: x.actors, size: "", causes: "", source: x.source })));
  }
  rows.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  $("#timeline tbody").replaceChildren(...rows.map((x) => el("tr", { class: x.type.replace(/ /g, "-") },
    el("td", { text: x.month }), el("td", { text: x.type }), el("td", { text: x.what }),
    el("td", { text: x.who }), el("td", { class: "num", text: x.size }),
    el("td", { text: x.causes }), el("td", { text: x.source }))));
}

// ---------------------------------------------------------------- compare
async function drawCompare() {
  const note = $("#compare-note");
  if (!S.job || S.job.scenarios.length !== 2) {
    note.textContent = "Select a comparison job (started from \"Ensembles\").";
    return;
  }
  const v = $("#cmp-var").value;
  const d = await api("GET", jobPath(`compare?var=${encodeURIComponent(v)}`));
  note.textContent = `${d.b} minus ${d.a}, ${d.runs} paired runs: median difference and `
    + "90% interval of the per-run differences.";
  await Plotly.react("compare-chart", [
    { x: d.years, y: d.q95, mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
    { x: d.years, y: d.q05, mode: "lines", fill: "tonexty", line: { width: 0 },
      fillcolor: "rgba(31,119,180,0.25)", name: "90% interval" },
    { x: d.years, y: d.median, mode: "lines+markers", name: `median ${d.b} - ${d.a}` },
  ], { title: { text: `${v}: ${d.b} - ${d.a} (${d.unit})`, font: { size: 13 } },
       margin: { l: 50, r: 10, t: 40, b: 30 }, legend: { orientation: "h" }, xaxis: { dtick: 1 },
       shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0, y1: 0, line: { color: "#999", dash: "dot" } }] },
  { responsive: true, displaylogo: false });
  $("#compare-table tbody").replaceChildren(...d.years.map((y, i) => el("tr", {},
    el("td", { text: y }), el("td", { class: "num", text: fmt(d.median_a[i]) }),
    el("td", { class: "num", text: fmt(d.median_b[i]) }), el("td", { class: "num", text: fmt(d.median[i]) }),
    el("td", { class: "num", text: fmt(d.q05[i]) }), el("td", { class: "num", text: fmt(d.q95[i]) }))));
}

// ---------------------------------------------------------------- play
function setGame(g, choices) {
  S.game = g;
  S.gameId = g.id;
  if (choices) S.choices = choices;
  $("#play-area").hidden = false;
  $("#save-game").disabled = false;
  $("#play-turn").textContent = g.turn;
  $("#play-date").textContent = g.date;
  $("#play-over").textContent = g.over ? `Game over: ${g.reason}.` : "";
  $("#play-over").className = g.over ? "over" : "";
  $("#advance").disabled = g.over;
  const p = g.politics;
  $("#play-politics").textContent = p
    ? `First Secretary: ${p.first_secretary ?? "?"}; your power: ${fmt(p.leader_power)}`
    : `You play ${g.role}; this model has no politics domain yet, so you cannot be removed.`;
  $("#play-indicators tbody").replaceChildren(...Object.entries(g.indicators).map(([k, x]) =>
    el("tr", {}, el("td", { title: x.label, text: k }), el("td", { class: "num", text: fmt(x.value) }),
      el("td", { class: "num", text: fmt(x.reported) }), el("td", { text: x.unit }),
      el("td", { text: x.as_of ?? "" }))));
  const keys = Object.keys(g.indicators);
  if (!$("#play-chart-var").options.length) fillSelect($("#play-chart-var"), keys, "state_grain_stock_mt");
  renderChoices();
}

function renderChoices() {
  const all = $("#play-all").checked;
  const rows = S.choices.filter((c) => all || c.main).map((c) => {
    const input = el("input", { type: "number", step: "any", min: c.lo, max: c.hi,
                                value: Number(c.value.toPrecision(6)), "data-lever": c.name,
                                "data-orig": Number(c.value.toPrecision(6)) });
    input.addEventListener("input", () => input.closest("tr").classList.toggle(
      "changed", input.value !== input.dataset.orig));
    return el("tr", { class: c.set_by_player ? "player" : "" },
      el("td", { title: c.description, text: c.name + (c.set_by_player ? " *" : "") }),
      el("td", {}, input), el("td", { class: "muted", text: `${fmt(c.lo)} to ${fmt(c.hi)}` }),
      el("td", { text: c.unit }), el("td", { class: "num", text: fmt(c.scheduled) }));
  });
  $("#play-choices tbody").replaceChildren(...rows);
}

function collectChoices() {
  const out = {};
  document.querySelectorAll("#play-choices input[data-lever]").forEach((i) => {
    if (i.value !== i.dataset.orig && i.value !== "") out[i.dataset.lever] = Number(i.value);
  });
  return out;
}

async function newGame(ev) {
  ev.preventDefault();
  try {
    const g = await api("POST", "/api/games", { scenario: $("#play-scenario").value,
      seed: Number($("#play-seed").value || 0), role: $("#play-role").value });
    S.playTrack = [];
    $("#play-log").replaceChildren();
    setGame(g, g.choices);
    say(`New game: ${g.scenario}, seed ${g.seed}. You are ${g.role}.`);
  } catch (e) { say(e.message, true); }
}

async function advance() {
  if (!S.gameId) return;
  const btn = $("#advance");
  btn.disabled = true;
  try {
    const d = await api("POST", `/api/games/${S.gameId}/advance`, { choices: collectChoices() });
    const r = d.report;
    S.playTrack.push({ turn: r.turn, to: r.to, ind: r.indicators });
    const events = r.events.length
      ? r.events.map((e) => `${e.month} ${e.kind} (${fmt(e.magnitude)}; ${e.causes})`).join("; ")
      : "no events";
    const choices = Object.entries(d.game.history[d.game.history.length - 1].choices)
      .map(([k, v]) => `${k}=${fmt(v)}`).join(", ");
    $("#play-log").prepend(el("li", { class: "turn-report" },
      el("b", { text: `Turn ${r.turn}, ${r.from} to ${r.to}: ` }),
      (choices ? `you decided ${choices}; ` : "") + events + (r.over ? `. ${r.reason}.` : "")));
    setGame(d.game, d.choices);
    await drawPlayChart();
  } catch (e) {
    say(e.message, true);
  } finally {
    btn.disabled = !!(S.game && S.game.over);
  }
}

async function drawPlayChart() {
  if (!S.playTrack.length) return;
  const v = $("#play-chart-var").value;
  await Plotly.react("play-chart", [{ x: S.playTrack.map((t) => t.to),
    y: S.playTrack.map((t) => (t.ind[v] ? t.ind[v].value : null)), mode: "lines+markers", name: v }],
  { title: { text: v, font: { size: 12 } }, margin: { l: 50, r: 10, t: 30, b: 30 } },
  { responsive: true, displaylogo: false });
}

async function saveGame() {
  const data = await api("GET", `/api/games/${S.gameId}/save`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: "application/json" }));
  const a = el("a", { href: url, download: `ottepel-game-${S.gameId.slice(0, 8)}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

async function loadGame(ev) {
  const f = ev.target.files[0];
  if (!f) return;
  try {
    const g = await api("POST", "/api/games/load", JSON.parse(await f.text()));
    S.playTrack = [];
    $("#play-log").replaceChildren();
    setGame(g, g.choices);
    say(`Game loaded: turn ${g.turn}, ${g.date}.`);
  } catch (e) { say(`Cannot load the game: ${e.message}`, true); }
  ev.target.value = "";
}

// ---------------------------------------------------------------- start
async function init() {
  [S.scenarios, S.limits] = await Promise.all([api("GET", "/api/scenarios"), api("GET", "/api/limits")]);
  const vars = await api("GET", "/api/variables");
  S.national = vars.national.filter((v) => !v.is_reported);
  S.regional = vars.regional;
  const names = S.scenarios.map((s) => [s.name, s.name]);
  for (const id of ["#scenario", "#cmp-a", "#cmp-b", "#play-scenario"]) fillSelect($(id), names, "khrushchev-1953");
  if (S.scenarios.length > 1) $("#cmp-b").value = S.scenarios.find((s) => s.name !== "khrushchev-1953").name;
  const describe = () => {
    const s = S.scenarios.find((x) => x.name === $("#scenario").value);
    $("#scenario-description").textContent = s ? `${s.title}. ${s.description} (${s.start} to ${s.end})` : "";
  };
  describe();
  $("#scenario").addEventListener("change", describe);
  const nat = S.national.map((v) => [v.name, `${v.name} (${v.unit})`]);
  fillSelect($("#chart-var"), nat, "grain_harvest_mt");
  fillSelect($("#cmp-var"), nat, "grain_harvest_mt");
  fillSelect($("#region-var"), S.regional.map((v) => [v.name, `${v.name} (${v.unit})`]), "grain_harvest_mt");
  for (const id of ["#runs", "#cmp-runs"]) $(id).max = S.limits.max_runs;
  const L = S.limits;
  $("#limits").textContent = `Limits: ${L.max_runs} runs per job; ${L.jobs_per_client} jobs `
    + `at a time for you (${L.max_jobs} on the server); ${L.games_per_client} games for you, `
    + `each forgotten after ${L.game_idle_minutes} idle minutes.`;

  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
  $("#ensemble-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    startJob({ scenario: $("#scenario").value, runs: Number($("#runs").value), seed: Number($("#seed").value || 0) });
  });
  $("#compare-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    startJob({ scenario: $("#cmp-a").value, compare_with: $("#cmp-b").value,
               runs: Number($("#cmp-runs").value), seed: Number($("#cmp-seed").value || 0) });
  });
  const redraw = (f) => () => f().catch((e) => say(e.message, true));
  $("#chart-var").addEventListener("change", redraw(drawSeries));
  $("#chart-which").addEventListener("change", redraw(drawSeries));
  $("#region-var").addEventListener("change", redraw(drawRegions));
  $("#region-year").addEventListener("change", redraw(drawRegions));
  $("#region-which").addEventListener("change", redraw(drawRegions));
  for (const id of ["#timeline-run", "#timeline-which", "#timeline-decisions", "#timeline-record"]) {
    $(id).addEventListener("change", redraw(drawTimeline));
  }
  $("#cmp-var").addEventListener("change", redraw(drawCompare));
  $("#play-form").addEventListener("submit", newGame);
  $("#advance").addEventListener("click", advance);
  $("#save-game").addEventListener("click", () => saveGame().catch((e) => say(e.message, true)));
  $("#load-game").addEventListener("change", loadGame);
  $("#play-all").addEventListener("change", renderChoices);
  $("#play-chart-var").addEventListener("change", redraw(drawPlayChart));
  await pollJobs();
  setInterval(pollJobs, 800);
  document.body.dataset.ready = "1";
}

init().catch((e) => say(`The dashboard could not start: ${e.message}`, true));
