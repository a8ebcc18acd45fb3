// bigmath corpus browser: render the math of every .tex element with the
// vendored KaTeX. Nothing else runs on the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof renderMathInElement !== "function") {
    return; // KaTeX did not load: the source text stays readable
  }
  var options = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$", right: "$", display: false }
    ],
    ignoredClasses: ["nomath"],
    throwOnError: false,
    strict: "ignore",
    // A formula KaTeX cannot parse stays as written, marked, without an
    // error on the console.
    errorCallback: function () {}
  };
  document.querySelectorAll(".tex").forEach(function (el) {
    renderMathInElement(el, options);
  });
  document.documentElement.setAttribute("data-math", "rendered");
});
