// The list pages: a header checkbox that selects every row of the page, and the bulk-action bar that
// shows the fields of the chosen action and how many rows are selected. Wired by data attributes,
// as the Content-Security-Policy wants (no inline handlers).
(function () {
  "use strict";

  function rowBoxes(name) {
    return document.querySelectorAll('input[type="checkbox"][name="' + name + '"]:not([data-select-all])');
  }

  function updateCount() {
    var counter = document.querySelector("[data-selected-count]");
    if (!counter) return;
    var n = 0;
    rowBoxes(counter.getAttribute("data-selected-count")).forEach(function (box) { if (box.checked) n += 1; });
    counter.textContent = String(n);
    document.querySelectorAll("[data-bulk-submit]").forEach(function (button) { button.disabled = n === 0; });
  }

  function showActionFields() {
    var select = document.querySelector("select[data-bulk-action]");
    if (!select) return;
    document.querySelectorAll("[data-bulk-for]").forEach(function (el) {
      var wanted = el.getAttribute("data-bulk-for").split(" ");
      el.hidden = wanted.indexOf(select.value) === -1;
    });
  }

  document.addEventListener("change", function (event) {
    var all = event.target.closest("input[data-select-all]");
    if (all) {
      rowBoxes(all.getAttribute("data-select-all")).forEach(function (box) { box.checked = all.checked; });
    }
    if (event.target.matches('input[type="checkbox"]')) updateCount();
    if (event.target.closest("select[data-bulk-action]")) showActionFields();
  });

  document.addEventListener("DOMContentLoaded", function () {
    showActionFields();
    updateCount();
  });
})();
