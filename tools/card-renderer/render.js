// Renders Teams alert cards with the official Adaptive Cards JavaScript renderer, as Teams clients do.
// Usage: node render.js FILE... (each file: the Workflows envelope {"type":"message","attachments":[...]}).
// Prints one JSON line per file: {file, ok, warnings, errors, elements}. Exit code 1 if any card has a problem.
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
const AdaptiveCards = require("adaptivecards/dist/adaptivecards.js");

let failed = false;
for (const file of process.argv.slice(2)) {
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
  if (problems.length) failed = true;
  console.log(JSON.stringify({ file, ok: problems.length === 0, problems, elements }));
}
process.exit(failed ? 1 : 0);
