// Watch the overlay page in headless Chromium: node overlay_cdp.js URL CHROMIUM FLAGS...
//
// Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
// messages ended by NUL on file descriptors 3 and 4), so no WebSocket library is needed. The
// script prints one JSON line {"lines": [...], "pending": [...], "state": ...} each time what
// the page shows changes, and stops when its standard input closes.
"use strict";
const { spawn } = require("child_process");

const [url, chromium, ...flags] = process.argv.slice(2);
const browser = spawn(
  chromium,
  [...flags, "--remote-debugging-pipe", "about:blank"],
  { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
);
const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 1;
const waiting = new Map();
let buffered = "";

fromBrowser.on("data", (chunk) => {
  buffered += chunk.toString("utf8");
  let end;
  while ((end = buffered.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    const answer = waiting.get(message.id);
    if (answer) {
      waiting.delete(message.id);
      if (message.error) answer.reject(new Error(JSON.stringify(message.error)));
      else answer.resolve(message.result);
    }
  }
});

function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  toBrowser.write(JSON.stringify(message) + "\0");
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

const READ = `JSON.stringify({
  lines: Array.from(document.querySelectorAll("#captions .line"), (e) => e.textContent),
  pending: Array.from(document.querySelectorAll("#captions .pending"), (e) => e.textContent),
  markup: document.querySelectorAll("#captions b, #captions script").length,
  state: document.body ? (document.body.dataset.state || "") : "",
})`;

async function main() {
  const { targetId } = await send("Target.createTarget", { url });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  let last = "";
  for (;;) {
    const { result } = await send(
      "Runtime.evaluate",
      { expression: READ, returnByValue: true },
      sessionId,
    );
    if (result.value && result.value !== last) {
      last = result.value;
      process.stdout.write(last + "\n");
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

function stop(code) {
  browser.kill("SIGKILL");
  process.exit(code);
}

process.stdin.on("end", () => stop(0));
process.stdin.resume();
browser.on("exit", () => process.exit(3));
main().catch((error) => {
  process.stderr.write(String(error.stack || error) + "\n");
  stop(2);
});
