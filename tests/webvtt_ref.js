// Node side of the WebVTT conformance tests (tests/test_vtt_spec.py). Reads one JSON request on
// stdin, writes one JSON answer on stdout.
//
// {"mode": "check", "cases": [{"script": path, "cues": [...]}]}
//   runs each web-platform-tests assertion script against the cues given (ours), with
//   `assert_equals` recording, for every assertion on cues.length or on a cue's id, text,
//   startTime or endTime, the value found and the value expected. Assertions on anything else
//   (settings, regions, style sheets) are counted as not checked.
// {"mode": "parse", "parser": path, "entities": path, "texts": [...]}
//   parses each text with the W3C reference parser; gives each cue's id, times, raw text and the
//   text and voices of its cue-text tree.
"use strict";

const fs = require("fs");

const CHECKED = new Set(["length", "id", "text", "startTime", "endTime"]);

function check(request) {
  return request.cases.map(function (item) {
    let last = null;
    const hole = new Proxy(function () {}, {
      get: function (target, prop) {
        if (typeof prop === "string") last = "other";
        return hole;
      },
      apply: function () { return hole; },
    });
    const cues = new Proxy(item.cues.map(function (cue, index) {
      return new Proxy(cue, {
        get: function (target, prop) {
          if (typeof prop !== "string") return target[prop];
          last = CHECKED.has(prop) ? prop : "other";
          return prop in target ? target[prop] : hole;
        },
      });
    }), {
      get: function (target, prop) {
        if (prop === "length") last = "length";
        return target[prop];
      },
    });
    const results = [];
    let skipped = 0;
    function assert_equals(actual, expected, message) {
      const prop = last;
      last = null;
      if (prop === null || prop === "other") {
        skipped += 1;
        return;
      }
      results.push({prop: prop, actual: actual, expected: expected,
                    ok: Object.is(actual, expected), message: String(message || "")});
    }
    function ignore() { skipped += 1; }
    let error = null;
    try {
      const run = new Function("cues", "assert_equals", "assert_true", "assert_false",
                               "assert_not_equals", "document", "CSSRule", fs.readFileSync(item.script, "utf8"));
      run(cues, assert_equals, ignore, ignore, ignore, hole, hole);
    } catch (exc) {
      error = String(exc);
    }
    return {script: item.script, results: results, skipped: skipped, error: error};
  });
}

function flatten(node, voice, out) {
  for (const child of node.children || []) {
    if (child.type === "text") {
      out.push({voice: voice, text: child.value});
    } else if (child.type === "object") {
      flatten(child, child.name === "v" ? child.value : voice, out);
    }
  }
  return out;
}

function parse(request) {
  const {WebVTTParser} = require(request.parser);
  const entities = JSON.parse(fs.readFileSync(request.entities, "utf8"));
  const parser = new WebVTTParser(entities);
  return request.texts.map(function (text) {
    const result = parser.parse(text, "metadata");
    return result.cues.map(function (cue) {
      return {id: cue.id, startTime: cue.startTime, endTime: cue.endTime, text: cue.text,
              pieces: flatten(cue.tree, null, [])};
    });
  });
}

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const answer = request.mode === "check" ? check(request) : parse(request);
process.stdout.write(JSON.stringify(answer));
