/* Lazy mermaid: a small stand-in for the real bundle.
 *
 * Material renders diagrams through the global `mermaid` object and would load
 * it from a CDN when none exists. This stand-in defines `mermaid` with the two
 * calls Material makes, initialize() and render(), and fetches the bundle
 * served by this site only when a diagram is about to be seen: when one comes
 * within a screen of the viewport, when the page is printed, or at once on the
 * printable question bank. Pages without a diagram never download it, and a
 * reader who never scrolls to a diagram does not pay for it. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var bundle = new URL("../vendor/mermaid.min.js", here || location.href).href;
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
        { rootMargin: "100% 0px" }
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
