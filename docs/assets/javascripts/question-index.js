/* Filters of the question index (docs/questions/index.md, generated).
 *
 * The page lists every question in a table whose rows carry
 * data-difficulty, data-type and data-topics. This script shows the filter
 * bar (hidden without JavaScript, when the full table is the page), hides
 * the rows that do not match every filter (difficulty AND type AND topic AND
 * all words of the text), keeps the count "N of M questions" current, and
 * mirrors the filters in the address (?difficulty=&type=&topic=&q=) with
 * history.replaceState, so a filtered view can be shared or bookmarked.
 *
 * It runs on every page load and, with Material's instant navigation, on
 * every page switch (document$). window.handbookIndex.visibleRows() returns
 * the rows currently shown; handbookIndex.update() filters again after
 * another script changed the rows (progress.js sets data-progress, the
 * reader's mark, which the Progress filter reads: "none" when unmarked).
 * The Random question button opens one of the rows shown. */
(function () {
  "use strict";

  /* URL parameter -> id of its control. */
  var CONTROLS = {
    difficulty: "filter-difficulty",
    type: "filter-type",
    topic: "filter-topic",
    progress: "filter-progress",
    q: "filter-text",
  };
  var current = null;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matches(row, filter) {
    var data = row.dataset;
    if (filter.difficulty && data.difficulty !== filter.difficulty) return false;
    if (filter.type && data.type !== filter.type) return false;
    if (filter.topic && words(data.topics || "").indexOf(filter.topic) < 0) {
      return false;
    }
    if (filter.progress && (data.progress || "none") !== filter.progress) {
      return false;
    }
    var text = row.textContent.toLowerCase();
    return filter.words.every(function (word) {
      return text.indexOf(word) >= 0;
    });
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  function writeAddress(filter) {
    var params = new URLSearchParams(location.search);
    Object.keys(CONTROLS).forEach(function (key) {
      var value = key === "q" ? filter.text : filter[key];
      if (value) params.set(key, value);
      else params.delete(key);
    });
    var query = params.toString();
    try {
      history.replaceState(
        history.state,
        "",
        location.pathname + (query ? "?" + query : "") + location.hash
      );
    } catch (error) {
      /* Some browsers refuse to rewrite file:// addresses; filters still work. */
    }
  }

  function setup() {
    var table = document.getElementById("question-index");
    var bar = document.getElementById("question-filters");
    if (!table || !bar || !table.tBodies.length) {
      current = null;
      return;
    }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var controls = {};
    Object.keys(CONTROLS).forEach(function (key) {
      controls[key] = document.getElementById(CONTROLS[key]);
    });
    var count = document.getElementById("question-count");
    var random = document.getElementById("random-question");
    var none = document.getElementById("question-none");

    function read() {
      var filter = { text: controls.q ? controls.q.value.trim() : "" };
      ["difficulty", "type", "topic", "progress"].forEach(function (key) {
        filter[key] = controls[key] ? controls[key].value : "";
      });
      filter.words = words(filter.text);
      return filter;
    }

    function apply(write) {
      var filter = read();
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !matches(row, filter);
        if (!row.hidden) shown += 1;
      });
      if (none) none.hidden = shown > 0;
      if (random) random.disabled = shown === 0;
      if (count) {
        count.textContent =
          shown + " of " + rows.length + " question" +
          (rows.length === 1 ? "" : "s");
      }
      if (write) writeAddress(filter);
    }

    var params = new URLSearchParams(location.search);
    Object.keys(CONTROLS).forEach(function (key) {
      var control = controls[key];
      var value = params.get(key);
      if (!control || value === null) return;
      if (control.tagName === "SELECT" && !hasOption(control, value)) return;
      control.value = value;
    });

    Object.keys(CONTROLS).forEach(function (key) {
      var control = controls[key];
      if (!control) return;
      control.addEventListener(key === "q" ? "input" : "change", function () {
        apply(true);
      });
    });
    var reset = document.getElementById("filter-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        Object.keys(controls).forEach(function (key) {
          if (controls[key]) controls[key].value = "";
        });
        apply(true);
      });
    }

    if (random) {
      random.addEventListener("click", function () {
        var shown = window.handbookIndex.visibleRows();
        var pick = shown[Math.floor(Math.random() * shown.length)];
        var link = pick && pick.querySelector("a");
        if (link) link.click(); /* instant navigation follows the click */
      });
    }

    bar.hidden = false;
    current = { rows: rows, apply: apply };
    apply(false);
  }

  window.handbookIndex = {
    /* The rows of the question index shown now ([] on other pages). */
    visibleRows: function () {
      if (!current || !current.rows[0] || !current.rows[0].isConnected) {
        return [];
      }
      return current.rows.filter(function (row) {
        return !row.hidden;
      });
    },
    /* Filter again, keeping the address, after the rows changed. */
    update: function () {
      if (current) current.apply(false);
    },
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
