// The expression of interest's steps in one page. The server puts every step's fields in the form and
// shows one; this script shows the others in turn, so that "Next" and "Back" ask nothing of the server,
// and the last step sends all the answers at once (to the review, or back to the first step with a
// mistake). A step that the browser sees a mistake in (an answer missing, a number that is not one) is
// sent with the steps before it, so that the server shows its messages, in the page's language.
// Without the script each step is sent on its own and the server keeps it.
// Answers typed but not yet sent are handed to the server when the visitor leaves the page (another
// tab, app or page), so that nothing typed is lost.
(function () {
  "use strict";
  var form = document.querySelector("form[data-eoi-steps]");
  if (!form) return;
  var sections = Array.prototype.slice.call(form.querySelectorAll("section[data-step]"));
  var stepInput = form.querySelector("input[name$='-current_step']");
  var next = form.querySelector("[data-eoi-next]");
  var back = form.querySelector("button[name='wizard_goto_step']");
  var title = document.getElementById("step-title");
  var count = document.getElementById("step-count");
  var progress = document.getElementById("step-progress");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-step-item]"));
  var summary = document.getElementById("error-summary");
  var reviewing = form.hasAttribute("data-reviewing");
  var opened = sections.findIndex(function (section) { return !section.hidden; });
  if (!stepInput || !next || !back || opened < 0) return;
  var current = opened;
  var titleTail = document.title.slice(sections[opened].getAttribute("data-title").length);
  var typed = false;

  // "Back" stays in the page; Enter in a field still means "Next".
  back.type = "button";
  var upto = document.createElement("input");
  upto.type = "hidden";
  upto.name = "upto";
  form.appendChild(upto);

  function show(index) {
    sections.forEach(function (section, i) { section.hidden = i !== index; });
    current = index;
    var name = sections[index].getAttribute("data-title");
    title.textContent = name;
    document.title = name + titleTail;
    count.textContent = count.getAttribute("data-template").replace("{step}", String(index + 1));
    progress.setAttribute("aria-valuenow", String(index + 1));
    var bar = progress.firstElementChild;
    bar.className = bar.className.replace(/\bw-pct-\d+\b/, "w-pct-" + Math.round((100 * (index + 1)) / sections.length));
    items.forEach(function (item, i) {
      item.classList.toggle("fw-semibold", i === index);
      item.classList.toggle("text-body-secondary", i !== index);
      if (i === index) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    });
    back.hidden = index === 0;
    if (!reviewing) {
      next.textContent = next.getAttribute(index === sections.length - 1 ? "data-label-review" : "data-label-next");
    }
    // The server's messages are about the step it was sent: they go when another step is shown.
    if (summary) summary.hidden = index !== opened;
    window.scrollTo(0, 0);
    title.focus();
  }

  // The browser's own checks (a required answer, a number, an e-mail address) say whether the step may
  // have a mistake; the server then says which, with its messages in the page's language.
  function mayHaveMistake(section) {
    var fields = section.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      // A field hidden inside the step (the nominee's, when the CEO attends) is not asked for.
      if (!fields[i].closest("[hidden]") && !fields[i].checkValidity()) return true;
    }
    return false;
  }

  // Send the steps up to the one on screen (all of them from the last one); the server keeps them.
  function sendUpTo(index) {
    stepInput.value = form.getAttribute("data-all-steps");
    upto.value = sections[index].getAttribute("data-step");
    typed = false;
  }

  back.addEventListener("click", function () {
    if (current > 0) show(current - 1);
  });

  form.addEventListener("submit", function (event) {
    if (!reviewing && current < sections.length - 1 && !mayHaveMistake(sections[current])) {
      event.preventDefault();
      show(current + 1);
      return;
    }
    sendUpTo(reviewing ? sections.length - 1 : current);
  });

  form.addEventListener("input", function () { typed = true; });
  form.addEventListener("change", function () { typed = true; });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden" || !typed) return;
    var data = new FormData(form);
    data.set(stepInput.name, "draft");
    data.set("upto", sections[current].getAttribute("data-step"));
    typed = false;
    // keepalive: the request outlives the page when the visitor is leaving it.
    fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
      .catch(function () { typed = true; });
  });
})();
