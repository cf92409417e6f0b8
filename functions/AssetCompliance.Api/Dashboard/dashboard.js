// The compliance dashboard (docs/dashboard.md). It reads the compliance API with the caller's own sign-in and shows
// what the API answers, nothing else: a figure whose route is not there (404 without a problem body) or whose member
// is absent is "not available", never a zero. Register text reaches the page only as text nodes (textContent), never
// as markup. Views are chosen by the address's fragment: #/estate, #/departments/HO, #/departments/HO/assets/ID.
"use strict";
(() => {
  const API = "/api/";
  const NOT_AVAILABLE = "not available";
  const OPEN_ITEMS_PAGE = 50;
  const NO_PLAN = "https://asset-compliance/problems/remediation-not-found";
  const view = document.getElementById("view");
  const title = document.getElementById("title");
  const announce = document.getElementById("announce");
  let session = null;
  let generation = 0; // a view started later wins over one still loading

  // --- building the page: elements and text only ---------------------------------------------------------------------

  /** An element with attributes (never event-handler or style attributes) and children (strings become text nodes). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : String(value));
    }
    append(node, children);
    return node;
  }

  // Invisible format characters (bidirectional overrides and isolates, zero-width spaces, the byte order mark, soft
  // hyphens, tag characters) and the line and paragraph separators, but not the zero-width joiner and non-joiner that
  // scripts and emoji need: as in the cards (CardText) and the report (ReportHtml), each is shown as its code point, so
  // register text cannot reverse what follows it ("\u202Egnp.exe" reading as "exe.png") or make two values look alike.
  const INVISIBLE = /(?![\u200C\u200D])[\p{Cf}\u2028\u2029]/gu;
  const visible = (text) => text.replace(INVISIBLE, (c) => "[U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "]");

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(visible(String(child))) : child);
    }
    return node;
  }

  const number = (value) => (typeof value === "number" ? value.toLocaleString("en-GB") : null);

  /** A figure the tests compare with the API: data-figure names it; a missing value says "not available". */
  function figure(name, value) {
    const shown = typeof value === "number" ? number(value) : typeof value === "string" && value.length > 0 ? value : null;
    return shown === null
      ? el("span", { "data-figure": name, class: "na" }, NOT_AVAILABLE)
      : el("span", { "data-figure": name }, shown);
  }

  function card(label, name, value, tone) {
    const kind = typeof value === "string" ? " text" : "";
    return el("div", { class: "card" + kind + (tone ? " " + tone : "") }, el("dt", {}, label), el("dd", {}, figure(name, value)));
  }

  function cards(label, entries) {
    return el("dl", { class: "cards", "aria-label": label }, entries);
  }

  function table(caption, headings, rows, attributes) {
    return el("table", attributes || {},
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col", class: h.num ? "num" : null }, h.text || h)))),
      el("tbody", {}, rows));
  }

  const cell = (content, numeric) => el("td", { class: numeric ? "num" : null }, content);
  const date = (instant) => (typeof instant === "string" ? instant.slice(0, 10) : "");
  const status = (value) => el("span", { class: "status " + String(value) }, String(value));
  const deptLink = (d) => el("a", { href: "#/departments/" + encodeURIComponent(d) }, d);
  const assetLink = (d, id) => el("a", { href: "#/departments/" + encodeURIComponent(d) + "/assets/" + encodeURIComponent(id), class: "id" }, id);

  function notice(text, denied) {
    return el("p", { class: "notice" + (denied ? " denied" : ""), role: denied ? "alert" : null }, text);
  }

  // --- the API ---------------------------------------------------------------------------------------------------------

  /**
   * GET one route. ok: the body; otherwise the status and, when the route answered a problem, its title. missing is
   * true when no route answered at all (404 without a problem body): a figure that part of the API does not have yet.
   */
  async function get(path) {
    let response;
    try {
      response = await fetch(API + path, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
    } catch (e) {
      return { ok: false, status: 0, missing: false, problem: { title: "The API did not answer." } };
    }
    const type = response.headers.get("content-type") || "";
    if (response.ok && type.includes("json")) return { ok: true, status: response.status, body: await response.json() };
    const problem = type.includes("problem+json") ? await response.json() : null;
    return { ok: false, status: response.status, missing: response.status === 404 && problem === null, problem };
  }

  const value = (result, read) => {
    if (!result || !result.ok) return null;
    try {
      const v = read(result.body);
      return v === undefined ? null : v;
    } catch (e) {
      return null;
    }
  };

  function refusal(result, what) {
    if (result.status === 403) return notice(`You do not have access to ${what}. Your roles decide what the API shows you; nothing of it is shown here.`, true);
    if (result.status === 401) return notice("You are not signed in, or your sign-in has expired. Sign in again and reload the page.", true);
    if (result.missing) return notice(`${what}: not available.`, true);
    return notice(`${what} could not be read (${result.status}${result.problem && result.problem.title ? ": " + result.problem.title : ""}).`, true);
  }

  // --- the trend chart -------------------------------------------------------------------------------------------------

  const SERIES = [
    { key: "prcOnSensitiveSites", label: "PRC-made on sensitive sites", stroke: "#a4131b", dash: null },
    { key: "prcOnCoreNetworks", label: "PRC-made on core networks", stroke: "#1d4f91", dash: [8, 4] },
    { key: "openItems", label: "Open items (NonCompliant)", stroke: "#505a5f", dash: [2, 3] },
  ];

  /** The trend since 2022-11 as a chart (uPlot; drawn, so hidden from screen readers) and as a table (read). */
  function trend(name, points, caption) {
    const section = el("section", { "aria-labelledby": name + "-trend" }, el("h3", { id: name + "-trend" }, caption));
    if (!Array.isArray(points) || points.length === 0) {
      section.appendChild(el("p", {}, figure(name + ".trend", null)));
      return section;
    }
    const chart = el("div", { class: "chart", "aria-hidden": "true", "data-chart": name });
    section.appendChild(chart);
    const rows = points.map((p) => el("tr", {}, el("th", { scope: "row" }, p.month), SERIES.map((s) => cell(figure(`${name}.trend.${p.month}.${s.key}`, p[s.key]), true))));
    section.appendChild(el("details", { class: "trend-table" }, el("summary", {}, "The trend as a table"),
      table(caption + ", by month (value at the month's end)", [{ text: "Month" }, ...SERIES.map((s) => ({ text: s.label, num: true }))], rows)));
    requestAnimationFrame(() => draw(chart, points));
    return section;
  }

  function draw(container, points) {
    if (typeof window.uPlot !== "function" || !container.isConnected) return;
    const xs = points.map((p) => Date.UTC(Number(p.month.slice(0, 4)), Number(p.month.slice(5, 7)) - 1, 1) / 1000);
    const width = Math.max(320, Math.min(container.clientWidth || 720, 1100));
    const options = {
      width, height: 260, scales: { x: { time: true } }, cursor: { show: false }, legend: { show: true, live: false },
      series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, dash: s.dash || undefined, points: { show: false } }))],
      axes: [{ stroke: "#0b0c0c" }, { stroke: "#0b0c0c" }],
    };
    new window.uPlot(options, [xs, ...SERIES.map((s) => points.map((p) => (typeof p[s.key] === "number" ? p[s.key] : null)))], container);
  }

  // --- views -----------------------------------------------------------------------------------------------------------

  function show(heading, children) {
    title.textContent = visible(heading);
    document.title = visible(heading) + " — asset compliance";
    view.replaceChildren(...children.flat(Infinity).filter(Boolean));
    title.focus();
    announce.textContent = visible(heading) + " loaded.";
    // For the tests and the benchmark: which view is on the page, once it is whole (after the charts queued before
    // this frame are drawn).
    const shown = location.hash || "#/";
    requestAnimationFrame(() => {
      document.body.setAttribute("data-view", shown);
      performance.mark("dashboard-view-rendered");
    });
  }

  /** When the figures were read, for the print view and anyone comparing a screenshot with the API later. */
  function readAt(progress) {
    const now = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
    return el("p", { class: "read-at" }, `Read from the API at ${now}` + (progress && progress.asOf ? `; progress figures as of ${progress.asOf}.` : "."));
  }

  const STATUS_TONES = { NonCompliant: "bad", NeedsReview: "warn", Advisory: "warn", Compliant: "good", Exempt: "good" };

  function countCards(prefix, counts) {
    const entries = [card("Devices", prefix + ".total", counts && counts.total)];
    for (const [s, n] of Object.entries((counts && counts.byStatus) || {})) entries.push(card(s, `${prefix}.byStatus.${s}`, n, STATUS_TONES[s]));
    for (const [s, n] of Object.entries((counts && counts.nonCompliantBySeverity) || {})) entries.push(card(`NonCompliant, ${s}`, `${prefix}.severity.${s}`, n, "bad"));
    return cards("Device counts", entries);
  }

  /** A group of cards of one object's members: [label, figure name after the prefix, member, tone]. */
  function group(label, prefix, source, entries) {
    return cards(label, entries.map(([text, name, member, tone]) => card(text, prefix + name, source && source[member], tone)));
  }

  function progressCards(prefix, progress, summary) {
    const current = progress && progress.current;
    return [
      el("h2", {}, "Since the direction of 24 November 2022"),
      group("Progress", prefix, current, [
        ["PRC-made devices", ".prcMade", "prcMade", "bad"],
        ["PRC-made on sensitive sites", ".prcOnSensitiveSites", "prcOnSensitiveSites", "bad"],
        ["PRC-made on core networks", ".prcOnCoreNetworks", "prcOnCoreNetworks", "bad"],
        ["Open items", ".openItems", "openItems", "bad"],
      ]),
      el("h3", {}, "Open items by age"),
      group("Open items by age", prefix, progress && progress.openItemsByAge, [
        ["Under 30 days", ".age.under30Days", "under30Days"],
        ["30 to 90 days", ".age.from30To90Days", "from30To90Days"],
        ["90 to 365 days", ".age.from90To365Days", "from90To365Days", "warn"],
        ["Over a year", ".age.over365Days", "over365Days", "bad"],
      ]),
      el("h3", {}, "Remediation plans"),
      // Plans are counted with the summary, in the same transaction as each change (part B's maintained counts).
      group("Remediation plans", prefix, summary && summary.plans, [
        ["Planned", ".plans.planned", "planned"],
        ["Ordered", ".plans.ordered", "ordered"],
        ["Done", ".plans.done", "done", "good"],
        ["Cancelled", ".plans.cancelled", "cancelled"],
      ]).appendChild(card("Overdue", prefix + ".overduePlans", summary && summary.overduePlans, "bad")).parentNode,
    ];
  }

  /** The change in open items over the last month of a trend, or null without two points. */
  function lastChange(points) {
    if (!Array.isArray(points) || points.length < 2) return null;
    const [before, now] = points.slice(-2);
    return typeof before.openItems === "number" && typeof now.openItems === "number" ? now.openItems - before.openItems : null;
  }

  function changeText(change) {
    return change === null ? null : change === 0 ? "no change" : change > 0 ? `up ${number(change)}` : `down ${number(-change)}`;
  }

  async function estate(run) {
    const [summary, progress] = await Promise.all([get("summary"), get("progress")]);
    if (run !== generation) return;
    if (!summary.ok) return show("Estate overview", [refusal(summary, "the estate overview")]);
    const s = summary.body;
    const byDepartment = new Map(((progress.ok && progress.body.departments) || []).map((d) => [d.department, d]));
    const rows = s.departments.map((d) => {
      const p = byDepartment.get(d.department);
      const name = "departments." + d.department;
      return el("tr", {},
        el("th", { scope: "row" }, deptLink(d.department)),
        cell(figure(name + ".total", d.counts.total), true),
        cell(figure(name + ".NonCompliant", d.counts.byStatus.NonCompliant), true),
        cell(figure(name + ".NeedsReview", d.counts.byStatus.NeedsReview), true),
        cell(figure(name + ".prcOnSensitiveSites", p && p.current && p.current.prcOnSensitiveSites), true),
        cell(figure(name + ".prcOnCoreNetworks", p && p.current && p.current.prcOnCoreNetworks), true),
        cell(figure(name + ".change", changeText(lastChange(p && p.trend))), false),
        cell(figure(name + ".overduePlans", d.overduePlans), true),
        cell(d.oldestOpenNonCompliant ? [assetLink(d.department, d.oldestOpenNonCompliant.assetId), " since ", date(d.oldestOpenNonCompliant.since)] : "none", false));
    });
    const oldest = s.departments.map((d) => d.oldestOpenNonCompliant).filter(Boolean).sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
    show("Estate overview", [
      readAt(progress.ok ? progress.body : null),
      el("h2", {}, "Every department"),
      countCards("estate", s.total),
      progressCards("estate", progress.ok ? progress.body.estate : null, s),
      trend("estate", progress.ok && progress.body.estate ? progress.body.estate.trend : null, "The estate's trend"),
      el("h2", {}, "Departments"),
      table("Departments: devices, open items, the trend and the oldest open item",
        [{ text: "Department" }, { text: "Devices", num: true }, { text: "NonCompliant", num: true }, { text: "NeedsReview", num: true },
          { text: "PRC-made on sensitive sites", num: true }, { text: "PRC-made on core networks", num: true }, { text: "Open items, last month" },
          { text: "Overdue plans", num: true }, { text: "Oldest open item" }], rows, { "data-table": "departments" }),
      el("h2", {}, "Oldest open items"),
      oldest.length === 0 ? el("p", {}, "No device is open (NonCompliant) in any department.")
        : table("The oldest open NonCompliant device of each department, oldest first", ["Device", "Department", "Severity", "Open since"],
          oldest.map((o) => el("tr", { "data-oldest": o.department + "/" + o.assetId }, cell(assetLink(o.department, o.assetId)), cell(o.department), cell(o.severity || ""), cell(date(o.since)))),
          { "data-table": "oldest" }),
    ]);
  }

  async function department(run, code) {
    const path = "departments/" + encodeURIComponent(code);
    const [summary, progress, open] = await Promise.all([get(path + "/summary"), get(path + "/progress"), get(path + `/assets?status=NonCompliant&top=${OPEN_ITEMS_PAGE}`)]);
    if (run !== generation) return;
    const heading = "Department " + code;
    if (!summary.ok) return show(heading, [refusal(summary, "department " + code)]);
    const s = summary.body;
    const p = progress.ok ? progress.body : null;
    const body = el("tbody", {});
    const more = el("button", { type: "button", class: "no-print" }, "Show more open items");
    let token = open.ok ? open.body.continuationToken : null;
    const addRows = (items) => append(body, items.map((i) => el("tr", { "data-open-item": i.assetId },
      el("th", { scope: "row" }, assetLink(code, i.assetId)), cell(i.severity || ""), cell(i.rule), cell(i.siteId || ""), cell(i.vendor ? i.vendor.name : "unknown"), cell(date(i.statusSince)))));
    if (open.ok) addRows(open.body.items);
    more.hidden = !token;
    more.addEventListener("click", async () => {
      more.disabled = true;
      const next = await get(path + `/assets?status=NonCompliant&top=${OPEN_ITEMS_PAGE}&continuationToken=${encodeURIComponent(token)}`);
      more.disabled = false;
      if (!next.ok) return more.replaceWith(refusal(next, "the next page of open items"));
      addRows(next.body.items);
      token = next.body.continuationToken;
      more.hidden = !token;
      announce.textContent = `${next.body.count} more open items shown.`;
    });
    show(heading, [
      readAt(p),
      countCards("department", s.counts),
      el("p", {}, "Oldest open item: ", s.oldestOpenNonCompliant
        ? [assetLink(code, s.oldestOpenNonCompliant.assetId), ` (${s.oldestOpenNonCompliant.severity || "no severity"}), open since ${date(s.oldestOpenNonCompliant.since)}`] : "none."),
      progressCards("department", p, s),
      trend("department", p ? p.trend : null, "The department's trend"),
      el("h2", {}, "Open items"),
      open.ok
        ? [el("table", { "data-table": "open-items" },
          el("caption", {}, open.body.items.length === 0 ? "No NonCompliant device." : token ? `NonCompliant devices (the first ${number(open.body.items.length)}; more below)` : "NonCompliant devices"),
          el("thead", {}, el("tr", {}, ["Device", "Severity", "Rule", "Site", "Maker", "Open since"].map((h) => el("th", { scope: "col" }, h)))),
          body), more]
        : refusal(open, "the open items"),
    ]);
  }

  function fields(entries) {
    return el("dl", { class: "fields" }, entries.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [el("dt", {}, k), el("dd", {}, typeof v === "object" && v.nodeType ? v : String(v))]));
  }

  async function device(run, code, id) {
    const path = "departments/" + encodeURIComponent(code) + "/assets/" + encodeURIComponent(id);
    const [record, history, exemptions, plan] = await Promise.all([get(path), get(path + "/history"), get(path + "/exemptions"), get(path + "/remediation")]);
    if (run !== generation) return;
    const heading = "Device " + id;
    if (!record.ok) return show(heading, [refusal(record, `device ${id} of department ${code}`)]);
    const r = record.body;
    const d = r.device || {};
    const site = d.site || {};
    const ex = exemptions.ok ? exemptions.body : null;
    const planSection = plan.ok
      ? fields([["Action", figure("device.plan.action", plan.body.action)], ["Due", figure("device.plan.dueDate", plan.body.dueDate)], ["Owner", plan.body.owner],
        ["State", figure("device.plan.state", plan.body.state)], ["Overdue", figure("device.plan.overdue", plan.body.overdue === true ? "yes" : plan.body.overdue === false ? "no" : null)], ["Closed", plan.body.closed ? `yes, ${date(plan.body.closedAt)}: ${plan.body.closedBecause || ""}` : "no"],
        ["Notes", plan.body.notes], ["Last changed", `${date(plan.body.updatedAt)} by ${plan.body.updatedBy || "unknown"}`]])
      : plan.missing ? el("p", {}, figure("device.plan", null))
      // Only the route's own "no plan" problem says there is none; another 404 (the device gone meanwhile) is a plan not read.
      : plan.status === 404 && plan.problem && plan.problem.type === NO_PLAN ? el("p", { "data-figure": "device.plan" }, "No remediation plan is recorded.") : refusal(plan, "the remediation plan");
    show(heading, [
      el("p", {}, "Department ", deptLink(code), "."),
      cards("Verdict", [
        card("Status", "device.status", r.status, STATUS_TONES[r.status]),
        card("Severity", "device.severity", r.severity || "none"),
        card("Rule", "device.rule", r.rule),
        card("Revision", "device.revision", r.revision),
      ]),
      el("h2", {}, "Why"),
      el("ul", { class: "reasons", "data-list": "reasons" }, (r.reasons || []).map((reason) => el("li", {}, reason))),
      el("h2", {}, "What the register says"),
      fields([["Manufacturer", d.manufacturer], ["Model", d.model], ["Serial number", d.serialNumber], ["MAC address", d.macAddress], ["Device type", d.deviceType],
        ["Site", [site.id, site.name].filter(Boolean).join(": ")], ["Sensitive site", site.sensitive === undefined ? "not stated" : site.sensitive ? "yes" : "no"],
        ["Network segment", d.networkSegment || "not stated"], ["Installed on", d.installedOn], ["Not read", (r.unreadFields || d.unreadFields || []).join(", ")]]),
      el("h2", {}, "Who made it"),
      r.vendor ? fields([["Maker", r.vendor.name], ["Legal name", r.vendor.legalName], ["Jurisdiction", r.vendor.jurisdiction],
        ["Subject to the PRC National Intelligence Law", r.vendor.subjectToNationalIntelligenceLaw === true ? "yes" : r.vendor.subjectToNationalIntelligenceLaw === false ? "no" : "unknown"],
        ["Ownership", (r.vendor.ownershipChain || []).join(" → ")]]) : el("p", {}, "The maker was not identified."),
      table("Evidence", ["Kind", "Method", "Input", "Matched", "Vendor"],
        (r.evidence || []).map((e) => el("tr", {}, cell(e.kind), cell(e.method), cell(e.input || ""), cell(e.matched || ""), cell(e.vendor || ""))), { "data-table": "evidence" }),
      el("h2", {}, "Exemption"),
      ex ? [el("p", { "data-figure": "device.exemption" }, ex.current ? `Exempt until ${date(ex.current.expiresAt)}: ${ex.current.reason || ""}` : "No exemption is in force."),
        r.pendingExemption ? el("p", {}, `Requested, awaiting approval: ${r.pendingExemption.reason || ""}`) : null,
        ex.changes.length > 0 ? table("Exemption changes", ["Recorded", "Outcome", "By"], ex.changes.map((c) => el("tr", {}, cell(date(c.recordedAt)), cell(c.outcome), cell(c.by ? c.by.name || "" : "")))) : null]
        : refusal(exemptions, "the exemption"),
      el("h2", {}, "Remediation plan"),
      planSection,
      el("h2", {}, "History"),
      history.ok
        ? table("Every evaluation of the device, in order", ["Recorded", "Revision", "Outcome", "Status after", "Severity after", "Reasons"],
          history.body.entries.map((h) => el("tr", { "data-history": "" }, cell(date(h.recordedAt)), cell(h.revision === undefined ? "" : String(h.revision)), cell(h.outcome), cell(h.statusAfter ? status(h.statusAfter) : ""),
            cell(h.severityAfter || ""), cell((h.reasons || []).join(" ")))), { "data-table": "history" })
        : refusal(history, "the history"),
    ]);
  }

  function chooser() {
    const departments = session ? session.departments : [];
    if (departments.length === 0) return show("No department", [notice("Your sign-in has no role for any department, so there is nothing to show.", true)]);
    show("Your departments", [el("ul", {}, departments.map((d) => el("li", {}, deptLink(d))))]);
  }

  function navigation() {
    const items = [];
    if (session && session.readAll) items.push(el("li", {}, el("a", { href: "#/estate" }, "Estate overview")));
    for (const d of (session && session.departments) || []) items.push(el("li", {}, el("a", { href: "#/departments/" + encodeURIComponent(d) }, "Department " + d)));
    document.getElementById("nav").replaceChildren(el("ul", {}, items));
    document.getElementById("who").textContent = session ? visible("Signed in as " + session.name) : "";
  }

  async function route() {
    const run = ++generation;
    const parts = location.hash.replace(/^#\/?/, "").split("/").filter((p) => p.length > 0).map((p) => {
      try { return decodeURIComponent(p); } catch (e) { return p; }
    });
    try {
      if (parts[0] === "departments" && parts.length === 2) return await department(run, parts[1]);
      if (parts[0] === "departments" && parts[2] === "assets" && parts.length === 4) return await device(run, parts[1], parts[3]);
      if (parts[0] === "estate" || (parts.length === 0 && session && session.readAll)) return await estate(run);
      if (parts.length === 0 && session && session.departments.length === 1) return await department(run, session.departments[0]);
      if (parts.length === 0) return chooser();
      show("Not found", [notice("There is no such view.", true)]);
    } catch (e) {
      if (run === generation) show("Something went wrong", [notice("The view could not be shown: " + (e && e.message ? e.message : String(e)), true)]);
    }
  }

  async function start() {
    const me = await get("dashboard/session");
    session = me.ok ? me.body : null;
    navigation();
    if (!session) return show("Not signed in", [refusal(me, "the dashboard")]);
    window.addEventListener("hashchange", () => { if (location.hash === "" || location.hash.startsWith("#/")) route(); });
    // The skip link moves the focus without changing the address (its fragment would otherwise name a view).
    document.querySelector(".skip-link").addEventListener("click", (event) => {
      event.preventDefault();
      document.getElementById("main").focus();
    });
    window.addEventListener("beforeprint", () => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    await route();
    document.body.setAttribute("data-ready", "true");
  }

  start();
})();
