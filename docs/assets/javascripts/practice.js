/* Practice mode, remembered in localStorage ("handbook.practice"):
 * - fold: on a question page ([data-question], not the printable bank
 *   [data-print-bank]) the content of each answer section goes into a
 *   hidden box behind a Reveal button; an address pointing into a folded
 *   section opens it;
 * - hideDifficulty: <html class="hb-hide-difficulty"> (see practice.css).
 * The two checkboxes sit above the answer and under the index's filters.
 * Print CSS shows folded boxes. Runs on every page (document$). The
 * settings are also read before the page is drawn (overrides/main.html),
 * so that practice mode does not draw the answers before folding them. */
(function () {
  "use strict";

  var KEY = "handbook.practice";
  var SECTIONS = ["short-answer", "explanation", "solution", "complexity",
    "trade-offs", "pitfalls", "follow-up-questions", "further-reading"];

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  function save(settings) {
    try {
      localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (error) {
      /* storage refused: the setting lasts until the next page */
    }
  }

  function show(box, open) {
    box.hidden = !open;
    box.previousSibling.setAttribute("aria-expanded", String(open));
    box.previousSibling.textContent = open ? "Hide" : "Reveal";
  }

  function fold(article) {
    SECTIONS.forEach(function (id) {
      var heading = document.getElementById(id);
      if (!heading || heading.tagName !== "H2") return;
      var box = document.createElement("div");
      box.className = "hb-fold";
      box.id = id + "--folded";
      var next = heading.nextSibling;
      while (next && !/^(H1|H2|ASIDE|NAV|FORM)$/.test(next.tagName)) {
        box.appendChild(next);
        next = heading.nextSibling;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button hb-reveal";
      button.setAttribute("aria-controls", box.id);
      button.addEventListener("click", function () {
        show(box, box.hidden);
      });
      heading.after(button, box);
      show(box, false);
    });
    revealTarget();
  }

  function unfold(article) {
    article.querySelectorAll(".hb-fold").forEach(function (box) {
      box.previousSibling.remove();
      box.replaceWith.apply(box, Array.from(box.childNodes));
    });
  }

  function revealTarget() {
    var target = location.hash &&
      document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    var box = target.closest(".hb-fold");
    var next = target.nextElementSibling;
    if (!box && next && next.classList.contains("hb-reveal")) {
      box = next.nextElementSibling;
    }
    if (box) show(box, true);
  }

  function checkbox(id, label, checked, onChange) {
    var wrapper = document.createElement("label");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.id = id;
    input.checked = Boolean(checked);
    input.addEventListener("change", function () {
      onChange(input.checked);
    });
    wrapper.append(input, " " + label);
    return wrapper;
  }

  function setup() {
    var settings = load();
    var root = document.documentElement;
    var hide = Boolean(settings.hideDifficulty);
    root.classList.toggle("hb-hide-difficulty", hide);
    var marker = document.querySelector("article [data-question]");
    var article = marker && !document.querySelector("[data-print-bank]") &&
      marker.closest("article");
    var anchor = article ? document.getElementById(SECTIONS[0]) :
      document.getElementById("question-filters");
    if (!anchor) return;
    var bar = document.createElement("div");
    bar.className = "hb-practice";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Practice mode");
    bar.append(
      checkbox("practice-fold", "Practice mode: fold the answers",
        settings.fold, function (on) {
          settings.fold = on;
          save(settings);
          if (article) (on ? fold : unfold)(article);
        }),
      checkbox("practice-hide-difficulty", "Hide difficulty",
        settings.hideDifficulty, function (on) {
          settings.hideDifficulty = on;
          save(settings);
          root.classList.toggle("hb-hide-difficulty", on);
        })
    );
    if (article) {
      anchor.before(bar);
      if (settings.fold) fold(article);
    } else {
      anchor.after(bar);
    }
  }

  /* The answers are drawn once folded (practice.css, .hb-folding): after
   * this and every other script set the page up, before the next frame. */
  function start() {
    setup();
    requestAnimationFrame(function () {
      document.documentElement.classList.remove("hb-folding");
    });
  }

  window.addEventListener("hashchange", revealTarget);
  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
