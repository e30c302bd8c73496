// Node side of tests/test_karaoke.py: parses each text with the W3C reference WebVTT parser in
// "subtitles" mode and answers, per text, the parser's errors and, per cue, its times and the
// text and timestamp nodes of its cue-text tree in document order.
"use strict";

const fs = require("fs");

function walk(node, out) {
  for (const child of node.children || []) {
    if (child.type === "text") out.push(["text", child.value]);
    else if (child.type === "timestamp") out.push(["timestamp", child.value]);
    else walk(child, out);
  }
  return out;
}

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const {WebVTTParser} = require(request.parser);
const parser = new WebVTTParser(JSON.parse(fs.readFileSync(request.entities, "utf8")));
const answer = request.texts.map(function (text) {
  const result = parser.parse(text, "subtitles");
  return {
    errors: result.errors.map(e => ({message: e.message, line: e.line, col: e.col})),
    cues: result.cues.map(cue => ({start: cue.startTime, end: cue.endTime, nodes: walk(cue.tree, [])})),
  };
});
process.stdout.write(JSON.stringify(answer));
