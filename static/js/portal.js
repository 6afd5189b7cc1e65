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

  // <span data-fetch-into="/url/">: replaced, once the page is shown, by the HTML that URL answers (the
  // unread count of the top bar, so that no page pays a query for it).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-fetch-into]").forEach(function (element) {
      fetch(element.getAttribute("data-fetch-into"), { credentials: "same-origin", redirect: "manual" })
        // Only the fragment itself: a page that sent us elsewhere (to log in again, to set up a second
        // factor) would otherwise be pasted whole into the top bar.
        .then(function (response) { return response.ok && response.type !== "opaqueredirect" ? response.text() : ""; })
        .then(function (html) { if (html.trim()) element.outerHTML = html; })
        .catch(function () { /* the count is a convenience: the Notifications link still works */ });
    });
  });

  // <form data-confirm="…">: an action that cannot be undone (letters sent in bulk) asks first.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
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
