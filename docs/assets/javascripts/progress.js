/* The reader's progress, kept in this browser only: each question may be
 * marked "practiced" or "review" (review again). localStorage holds, under
 * "handbook.progress", the same document that Export writes and Import
 * reads (and replaces whole, after checking all of it):
 *   {"format": "stream-processing-handbook-progress", "version": 1,
 *    "questions": {"<question-id>": "practiced" | "review"}}
 * Question pages ([data-question]) get two toggle buttons; index rows get
 * data-progress (the Progress filter of question-index.js reads it) and
 * the index an Export/Import panel; [data-progress-questions] elements on
 * topic pages and the home page get "N of M practiced, K to review again".
 * Runs on every page (document$). */
(function () {
  "use strict";

  var KEY = "handbook.progress";
  var FORMAT = "stream-processing-handbook-progress";
  var LABELS = { practiced: "Practiced", review: "Review again" };
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  /* The marks of a progress document, or an Error saying what is wrong. */
  function check(doc) {
    var isObject = function (x) {
      return Boolean(x) && typeof x === "object" && !Array.isArray(x);
    };
    if (!isObject(doc) || doc.format !== FORMAT) {
      throw new Error("it is not a progress file of this handbook");
    }
    if (doc.version !== 1) {
      throw new Error("its version " + doc.version + " is not supported");
    }
    if (!isObject(doc.questions)) throw new Error('"questions" is missing');
    Object.keys(doc.questions).forEach(function (id) {
      if (!ID.test(id)) {
        throw new Error(JSON.stringify(id) + " is not a question id");
      }
      if (!LABELS.hasOwnProperty(doc.questions[id])) {
        throw new Error("the mark of " + JSON.stringify(id) +
          ' must be "practiced" or "review"');
      }
    });
    return doc.questions;
  }

  function read() {
    try {
      return check(JSON.parse(localStorage.getItem(KEY)));
    } catch (error) {
      return {};
    }
  }

  function write(marks) {
    var doc = { format: FORMAT, version: 1, questions: marks };
    localStorage.setItem(KEY, JSON.stringify(doc)); /* may throw */
    return doc;
  }

  function render() {
    var marks = read();
    document.querySelectorAll("#progress-mark button").forEach(function (b) {
      var pressed = marks[b.parentNode.dataset.question] === b.value;
      b.setAttribute("aria-pressed", String(pressed));
      b.classList.toggle("md-button--primary", pressed);
    });
    var rows = document.querySelectorAll("#question-index tr[data-id]");
    rows.forEach(function (row) {
      if (marks[row.dataset.id]) row.dataset.progress = marks[row.dataset.id];
      else delete row.dataset.progress;
    });
    if (rows.length && window.handbookIndex) window.handbookIndex.update();
    var summaries = document.querySelectorAll("[data-progress-questions]");
    summaries.forEach(function (el) {
      var ids = el.dataset.progressQuestions.split(" ");
      var count = function (mark) {
        return ids.filter(function (id) {
          return marks[id] === mark;
        }).length;
      };
      var text = count("practiced") + " of " + ids.length + " practiced, " +
        count("review") + " to review again";
      el.textContent = el.tagName !== "P" ? text :
        "Your progress on these questions, kept in this browser: " + text + ".";
      el.hidden = false;
    });
    document.querySelectorAll("[data-progress-block]").forEach(function (el) {
      el.hidden = false;
    });
  }

  function element(tag, props, children) {
    var el = Object.assign(document.createElement(tag), props);
    el.append.apply(el, children || []);
    return el;
  }

  function markBar(id) {
    var note = element("span", {
      className: "hb-progress-note",
      textContent: "Kept in this browser only.",
    });
    var buttons = Object.keys(LABELS).map(function (mark) {
      var button = element("button", {
        type: "button", className: "md-button", value: mark,
        textContent: LABELS[mark],
      });
      button.addEventListener("click", function () {
        var marks = read();
        if (marks[id] === mark) delete marks[id];
        else marks[id] = mark;
        try {
          write(marks);
        } catch (error) {
          note.textContent = "Not saved: this browser refuses storage.";
        }
        render();
      });
      return button;
    });
    var bar = element("div", {
      id: "progress-mark", className: "hb-progress-bar",
    }, ["Mark this question:"].concat(buttons, note));
    bar.dataset.question = id;
    bar.setAttribute("role", "group");
    return bar;
  }

  function panel() {
    var status = element("p", { id: "progress-status" });
    status.setAttribute("role", "status");
    var say = function (text, error) {
      status.textContent = text;
      status.classList.toggle("hb-progress-status--error", Boolean(error));
    };
    var exporter = element("button", {
      type: "button", id: "progress-export", className: "md-button",
      textContent: "Export progress",
    });
    exporter.addEventListener("click", function () {
      var doc = { format: FORMAT, version: 1, questions: read() };
      var blob = new Blob([JSON.stringify(doc, null, 2)], {
        type: "application/json",
      });
      var link = element("a", {
        download: "handbook-progress.json", href: URL.createObjectURL(blob),
      });
      link.click();
      setTimeout(function () {
        URL.revokeObjectURL(link.href);
      }, 10000);
      say("Exported " + Object.keys(doc.questions).length +
        " mark(s) to handbook-progress.json.");
    });
    var input = element("input", {
      type: "file", id: "progress-import", accept: ".json,application/json",
    });
    input.addEventListener("change", function () {
      var file = input.files[0];
      input.value = "";
      var refuse = function (reason) {
        say("Not imported: " + reason + ". Your progress is unchanged.", true);
      };
      if (!file) return;
      if (file.size > 1e6) return refuse(file.name + " is larger than 1 MB");
      file.text().then(function (text) {
        var doc;
        try {
          doc = write(check(JSON.parse(text)));
        } catch (error) {
          return refuse(error instanceof SyntaxError
            ? file.name + " is not valid JSON" : error.message);
        }
        render();
        say("Imported " + Object.keys(doc.questions).length +
          " mark(s) from " + file.name + ".");
      });
    });
    return element("div", {
      id: "progress-panel", className: "hb-progress-panel",
    }, [
      element("p", { textContent:
        "Your progress (Practiced, Review again) lives in this browser only," +
        " in its local storage: it is never sent anywhere, and another" +
        " browser or device does not see it. Export it to a file to keep a" +
        " copy or to move it; importing a file replaces the marks kept here.",
      }),
      exporter, " ",
      element("label", { className: "md-button hb-progress-import" },
        ["Import progress", input]),
      status,
    ]);
  }

  function setup() {
    var marker = document.querySelector("article [data-question]");
    if (marker && !document.querySelector("[data-print-bank]")) {
      var bar = markBar(marker.dataset.question);
      var first = document.getElementById("short-answer");
      if (first) first.before(bar);
      else marker.after(bar);
    }
    var none = document.getElementById("question-none");
    if (none && document.getElementById("question-index")) none.after(panel());
    render();
  }

  window.addEventListener("storage", function (event) {
    if (event.key === KEY) render();
  });
  if (window.document$) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
