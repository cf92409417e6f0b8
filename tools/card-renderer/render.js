// Renders Teams alert cards with the official Adaptive Cards JavaScript renderer, as Teams clients do.
// Usage: node render.js [--html OUT.html] FILE... (each file: the Workflows envelope {"type":"message","attachments":[...]}).
// Prints one JSON line per file: {file, ok, problems, elements, text, html}. Exit code 1 if any card has a problem.
// --html also writes every rendered card into one page to open in a browser (what a channel would show).
"use strict";
const fs = require("fs");
const { JSDOM } = require("jsdom");

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
// The renderer expects a browser: expose the DOM's globals (HTMLElement, HTMLButtonElement, Node, ...).
global.window = dom.window;
global.document = dom.window.document;
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (/^(HTML|SVG|Node|Element|Event|Document|Text|Keyboard|Mouse|CSS)/.test(name) && !(name in global)) {
    global[name] = dom.window[name];
  }
}
// jsdom has no innerText (layout-dependent in browsers); the renderer sets text through it.
Object.defineProperty(dom.window.HTMLElement.prototype, "innerText", {
  get() { return this.textContent; },
  set(value) { this.textContent = value; },
});
const AdaptiveCards = require("adaptivecards/dist/adaptivecards.js");

// Markdown in TextBlocks and FactSets: the renderer's own path, markdown-it (CommonMark: bold, italics, links, lists,
// headings, code; raw HTML escaped), a superset of what Teams applies. Cards must show register text literally even
// under it, so the tests render with the most a host could do.
window.markdownit = require("markdown-it");

let failed = false;
const args = process.argv.slice(2);
let htmlOut = null;
if (args[0] === "--html") {
  htmlOut = args[1];
  args.splice(0, 2);
}
const pages = [];
for (const file of args) {
  const message = JSON.parse(fs.readFileSync(file, "utf8"));
  const card = new AdaptiveCards.AdaptiveCard();
  // Teams renders 1.4 cards on mobile; refuse anything newer.
  card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: "Segoe UI" });
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
  const problems = [];
  const attachments = message.attachments || [];
  if (message.type !== "message" || attachments.length !== 1) problems.push("not a Workflows envelope with one attachment");
  const content = attachments.length ? attachments[0].content : {};
  card.parse(content, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${event.message}`);
  }
  const validation = card.validateProperties();
  for (let i = 0; i < validation.eventCount; i++) {
    problems.push(`validate: ${validation.getEventAt(i).message}`);
  }
  const rendered = card.render();
  if (!rendered) problems.push("render: nothing rendered");
  const elements = rendered ? rendered.querySelectorAll("*").length : 0;
  const text = rendered ? rendered.textContent : "";
  if (problems.length) failed = true;
  if (rendered) pages.push(`<section><h2>${require("path").basename(file)}</h2><div class="card">${rendered.outerHTML}</div></section>`);
  const html = rendered ? rendered.outerHTML : "";
  console.log(JSON.stringify({ file, ok: problems.length === 0, problems, elements, text, html }));
}
if (htmlOut) {
  const css = fs.readFileSync(require.resolve("adaptivecards/dist/adaptivecards.css"), "utf8");
  fs.writeFileSync(htmlOut, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Alert cards</title><style>${css}
body{font-family:"Segoe UI",sans-serif;background:#f5f5f5;margin:2em}.card{background:#fff;max-width:720px;padding:12px;border-radius:4px;box-shadow:0 1px 3px #0003}h2{font-size:14px;color:#555}</style></head><body>${pages.join("\n")}</body></html>`);
}
// exitCode, not exit(): exit() would cut off output still being written to a pipe.
process.exitCode = failed ? 1 : 0;
