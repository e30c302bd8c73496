"""The overlay page the browser overlay serves: large captions on a transparent background, fed
by the server's event stream.

The text goes into the page with ``textContent`` only (never ``innerHTML``), so caption text
cannot become markup. EventSource reconnects by itself after a dropped connection (the server
sends ``retry:``); when the browser gives up (the port answered with something that is not the
stream, during a restart), the page opens a new EventSource itself, backing off to 10 s.
Restyle it with OBS's "Custom CSS" (the selectors are ``#captions``, ``.line``, ``.pending``).
"""

from __future__ import annotations

__all__ = ["PAGE"]

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>captionbridge overlay</title>
<style>
  html, body { margin: 0; height: 100%; background: transparent; overflow: hidden; }
  #captions {
    position: absolute; left: 5%; right: 5%; bottom: 6%;
    text-align: center; font: 600 52px/1.25 "Helvetica Neue", Arial, sans-serif;
    color: #fff; text-shadow: 0 0 4px #000, 0 0 4px #000, 2px 2px 2px #000;
  }
  .line { display: block; }
  .line > span { background: rgba(0, 0, 0, 0.55); padding: 0 0.25em; white-space: pre-wrap; }
  .pending { opacity: 0.8; font-style: italic; }
</style>
</head>
<body>
<div id="captions" aria-live="polite"></div>
<script>
"use strict";
const box = document.getElementById("captions");
let source = null;
let wait = 500;

function show(state) {
  const rows = state.lines.map((line) => {
    const row = document.createElement("div");
    const text = document.createElement("span");
    row.className = line.pending ? "line pending" : "line";
    text.textContent = line.text;
    row.appendChild(text);
    return row;
  });
  box.replaceChildren(...rows);
  document.body.dataset.state = state.done ? "done" : "live";
}

function connect() {
  if (source !== null) source.close();
  source = new EventSource("events");
  source.onopen = () => { wait = 500; };
  source.onmessage = (event) => show(JSON.parse(event.data));
  source.addEventListener("end", (event) => show(JSON.parse(event.data)));
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 10000);
    }
  };
}

connect();
</script>
</body>
</html>
"""
