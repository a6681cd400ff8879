/* Lazy mermaid: a small stand-in for the real bundle.
 *
 * Material renders diagrams through the global `mermaid` object and would load
 * it from a CDN when none exists. This stand-in defines `mermaid` with the two
 * calls Material makes, initialize() and render(), and fetches the bundle
 * served by this site only when a diagram is about to be seen: when one comes
 * within a quarter of a screen of the viewport (NEAR), when the page is
 * printed, or at once on the printable question bank. Pages without a diagram
 * never download it, and a reader who never scrolls to a diagram does not pay
 * for it: on a phone the 3.6 MB bundle and its long task stay out of the
 * page load unless a diagram is on the first screen (a wider margin, such as
 * a whole screen, catches the first diagram of most pages at load).
 * The second part of this file keeps code blocks that are not drawn yet
 * (extra.css) reachable by keyboard. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var bundle = new URL("../vendor/mermaid.min.js", here || location.href).href;
  var NEAR = "25% 0px";
  var settings = {};
  var loading = null;

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = function () {
          window.mermaid.initialize(settings);
          resolve(window.mermaid);
        };
        script.onerror = function () {
          loading = null;
          reject(new Error("could not load " + bundle));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  /* Resolves once a diagram still to draw is near the viewport (or the page
   * is printed, or observing is impossible). */
  function needed() {
    var pending = document.querySelectorAll("pre.mermaid");
    if (
      loading ||
      !pending.length ||
      !("IntersectionObserver" in window) ||
      document.querySelector("[data-print-bank]")
    ) {
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      var observer = new IntersectionObserver(
        function (entries) {
          if (entries.some(function (entry) { return entry.isIntersecting; })) {
            done();
          }
        },
        { rootMargin: NEAR }
      );
      function done() {
        observer.disconnect();
        window.removeEventListener("beforeprint", done);
        resolve();
      }
      pending.forEach(function (element) { observer.observe(element); });
      window.addEventListener("beforeprint", done);
    });
  }

  window.mermaid = {
    initialize: function (options) {
      settings = options || {};
    },
    render: function (id, text) {
      return needed()
        .then(load)
        .then(function (real) {
          return real.render(id, text);
        });
    },
  };
})();

/* Code skipped while off screen stays reachable by keyboard. Material makes
 * a code block focusable (tabindex, on devices that hover) when it measures
 * its code wider than the block, so a keyboard can scroll it; code that
 * extra.css lets the browser skip while off screen (content-visibility)
 * measures as not wider until it is drawn. Blocks Material left without a
 * tabindex get one here when their longest line, in characters of the
 * code's monospace font, is wider than the block: read from the text,
 * nothing is drawn. Material measures again once a block is drawn. */
(function () {
  "use strict";

  function focusable() {
    var blocks = document.querySelectorAll(
      ".highlight>pre>code:not([tabindex])"
    );
    if (!blocks[0] || !matchMedia("(hover)").matches) return;
    var style = getComputedStyle(blocks[0]);
    var context = document.createElement("canvas").getContext("2d");
    context.font = style.fontSize + " " + style.fontFamily;
    var unit = context.measureText("0").width;
    var padding = parseFloat(style.paddingLeft) * 2;
    var wide = []; /* all measured first, then all marked: one layout */
    blocks.forEach(function (code) {
      var longest = 0;
      code.textContent.split("\n").forEach(function (line) {
        longest = Math.max(longest, line.length);
      });
      if (Math.round(longest * unit + padding) > code.clientWidth) {
        wide.push(code);
      }
    });
    wide.forEach(function (code) {
      code.tabIndex = 0;
    });
  }

  /* Without Material's script, no block has a tabindex to keep either. */
  if (window.document$) window.document$.subscribe(focusable);
})();
