/* Lazy mermaid: a small stand-in for the real bundle.
 *
 * Material renders diagrams through the global `mermaid` object and would load
 * it from a CDN when none exists. This stand-in defines `mermaid` with the two
 * calls Material makes, initialize() and render(), and fetches the bundle
 * served by this site only when the first diagram is rendered. Pages without a
 * diagram never download it. */
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

  window.mermaid = {
    initialize: function (options) {
      settings = options || {};
    },
    render: function (id, text) {
      return load().then(function (real) {
        return real.render(id, text);
      });
    },
  };
})();
