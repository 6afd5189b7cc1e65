// The visit log: "Add an action" copies the empty action form, and the autosave status says so
// when a draft could not be saved (htmx posts the draft; see hx-post on the form).
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var total = form.querySelector("[name=actions-TOTAL_FORMS]");
  document.getElementById("add-action").addEventListener("click", function () {
    var html = document.getElementById("action-template").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("actions").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
  // The message comes translated from the page (data-offline-message on the status line).
  function offline() {
    status.textContent = status.dataset.offlineMessage;
    status.classList.add("text-danger");
  }
  form.addEventListener("htmx:sendError", offline);
  form.addEventListener("htmx:responseError", offline);
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) status.classList.remove("text-danger");
  });
})();
