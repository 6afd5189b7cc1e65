// The monthly figures on a phone: "not tracked" switches the box off, a total is added up from women
// and men (until the consultant types a total of their own), and the form is kept on this phone as it
// is typed (localStorage), so that a reload or a lost connection loses nothing before "Save".
(function () {
  "use strict";
  var form = document.getElementById("month-form");
  if (!form) return;
  var status = document.getElementById("month-draft-status");
  var key = form.dataset.draftKey;
  var errors = document.getElementById("month-errors");
  if (errors) errors.focus();

  function box(name) { return form.elements.namedItem(name); }

  // ------------------------------------------------ not tracked: a real toggle
  function applySwitch(toggle) {
    var input = box(toggle.dataset.notTracked);
    if (!input) return;
    input.disabled = toggle.checked;
    if (toggle.checked) input.value = "";
  }
  form.querySelectorAll("[data-not-tracked]").forEach(function (toggle) {
    toggle.addEventListener("change", function () { applySwitch(toggle); });
  });

  // ------------------------------------------------ totals from women + men
  function addUp(group) {
    var code = group.dataset.input;
    var total = box(code), women = box(code + "_women"), men = box(code + "_men");
    if (!total || !women || !men || total.disabled) return;
    if (total.dataset.typed === "1") return;
    if (women.value === "" || men.value === "") return;
    var sum = parseFloat(women.value) + parseFloat(men.value);
    if (!isNaN(sum)) {
      total.value = String(Math.round(sum * 100) / 100);
      total.dataset.computed = "1";
    }
  }
  form.querySelectorAll(".month-group").forEach(function (group) {
    var code = group.dataset.input;
    var total = box(code);
    if (total) total.addEventListener("input", function () { total.dataset.typed = total.value === "" ? "" : "1"; });
    group.addEventListener("input", function (event) {
      if (event.target.name !== code) addUp(group);
    });
  });

  // ------------------------------------------------ a draft on this phone
  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "month") return;
      data[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return data;
  }
  var timer = null;
  function keepDraft() {
    clearTimeout(timer);
    timer = null;
    try {
      localStorage.setItem(key, JSON.stringify({ saved: new Date().toISOString(), data: snapshot() }));
      // A month waiting in the outbox says so itself (below); the draft's line is for the others.
      if (!recordId) status.textContent = status.dataset.saved;
    } catch (e) { /* private mode or full: the form still works */ }
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(keepDraft, 300);
  });
  // A switch or a box left: kept at once. Leaving the page: the last letters too.
  form.addEventListener("change", keepDraft);
  window.addEventListener("pagehide", function () { if (timer) keepDraft(); });
  // A page answered with errors shows what was posted: the draft stays until the save succeeds.
  // Saved without signal: the month goes into the phone's outbox (training/outbox.js) under one id
  // per round and month, and is sent as the form would have posted it when the phone is online.
  var outbox = window.ScoreOutbox;
  var recordId = null;
  function queue() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, value]);
    });
    return outbox.all().then(function (records) {
      var earlier = records.filter(function (r) { return r.kind === "form" && r.draft_key === key; })[0];
      recordId = earlier ? earlier.client_id : outbox.newId();
      return outbox.keep({
        client_id: recordId, kind: "form", draft_key: key, sync_url: form.dataset.syncUrl,
        enterprise: parseInt(form.dataset.enterprise, 10), pairs: pairs, rev: earlier ? earlier.rev : 0,
      });
    });
  }
  if (outbox) {
    document.addEventListener("outbox:change", function (event) {
      var mine = event.detail.records.filter(function (r) { return r.kind === "form" && r.draft_key === key; })[0];
      if (!mine) return;
      recordId = mine.client_id;
      status.classList.remove("text-danger");
      if (mine.state === "pending") {
        status.textContent = form.dataset.msgWaiting + " (" + event.detail.pending + "). " + status.dataset.offline;
      } else if (mine.state === "sent") {
        // The server has it: the phone's draft and record have done their work.
        status.textContent = form.dataset.msgSent;
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        outbox.remove(mine.client_id);
      } else {
        status.textContent = form.dataset.msgInvalid;
        status.classList.add("text-danger");
      }
    });
  }
  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      if (!outbox) {
        // Without the outbox the page would be lost: keep the draft and say so.
        status.textContent = status.dataset.offline;
        status.classList.add("text-danger");
        return;
      }
      queue();
      return;
    }
    try { sessionStorage.setItem("score-month-sent", key); } catch (e) { /* ignore */ }
  });
  try {
    // Sent from this tab before: came back with errors (keep the draft) or saved (drop it).
    var sent = sessionStorage.getItem("score-month-sent");
    if (sent) {
      if (!(sent === key && errors)) localStorage.removeItem(sent);
      sessionStorage.removeItem("score-month-sent");
    }
    var kept = !errors && JSON.parse(localStorage.getItem(key) || "null");
    if (kept && kept.data) {
      Object.keys(kept.data).forEach(function (name) {
        var el = box(name);
        if (!el || el.type === "hidden") return;
        if (el.type === "checkbox") el.checked = !!kept.data[name];
        else if (kept.data[name] !== "") el.value = kept.data[name];
      });
      status.textContent = status.dataset.restored;
      var more = document.getElementById("month-more");
      if (more && more.querySelector("input[type=number]:not([value=''])")) more.open = true;
    }
  } catch (e) { /* ignore a broken draft */ }
  form.querySelectorAll("[data-not-tracked]").forEach(applySwitch);
  if (outbox) outbox.changed();
})();
