// Behaviours any page may use, switched on by data attributes: the Content-Security-Policy allows
// no inline event handlers (onchange=, onclick=). Listening on the document also covers content
// that htmx swaps in later.
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing an option sends its form (the language switcher).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-submit-on-change]");
    if (select && select.form) select.form.submit();
  });

  // <input data-select-on-click>: one tap selects the whole value, ready to copy (a feed address).
  document.addEventListener("click", function (event) {
    var input = event.target.closest("input[data-select-on-click]");
    if (input) input.select();
  });
})();

// The list of a form's mistakes ([data-error-summary]) takes the focus when the page opens, so that a
// screen reader reads it first; its links move the focus to the field itself, not only the view.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusSummary);
  else focusSummary();

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    var group = field.closest("fieldset") || field;
    group.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
