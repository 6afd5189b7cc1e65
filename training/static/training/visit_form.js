// The visit log. "Add an action" copies the empty action form. A new log or a draft is kept on this
// phone as it is typed (outbox.js, IndexedDB) and sent to the sync endpoint when there is signal;
// "Submit the visit" goes the same way, so a log finished on a factory floor without signal is
// submitted once the phone is back online. The bar at the bottom says where the text is.
// An amendment of a submitted visit is not kept offline: htmx saves its draft on the server, and
// the status line says when that failed.
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) return;
  var total = form.querySelector("[name=actions-TOTAL_FORMS]");

  function addAction() {
    var html = document.getElementById("action-template").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("actions").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  }
  document.getElementById("add-action").addEventListener("click", function () {
    addAction();
    if (outboxMode) remember();
  });

  var outboxMode = form.hasAttribute("data-outbox") && window.ScoreOutbox && window.indexedDB;
  if (!outboxMode) {
    var autosave = document.getElementById("autosave-status");
    if (!autosave) return;
    var offline = function () {
      autosave.textContent = autosave.dataset.offlineMessage;
      autosave.classList.add("text-danger");
    };
    form.addEventListener("htmx:sendError", offline);
    form.addEventListener("htmx:responseError", offline);
    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) autosave.classList.remove("text-danger");
    });
    keptAfterConflict();
    return;
  }

  // The amendment page of a visit this phone could not send (a conflict): its text is offered here.
  function keptAfterConflict() {
    var kept = document.getElementById("sync-kept");
    if (!kept || !kept.dataset.clientId || !window.ScoreOutbox) return;
    window.ScoreOutbox.get(kept.dataset.clientId).then(function (saved) {
      if (!saved || saved.state !== "conflict") return;
      Object.keys(saved.fields || {}).forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input && saved.fields[name]) input.value = saved.fields[name];
      });
      kept.classList.remove("d-none");
      // Once amended, the phone's copy has served its purpose.
      form.addEventListener("submit", function () { window.ScoreOutbox.remove(saved.client_id); });
    });
  }

  var outbox = window.ScoreOutbox;
  var msg = form.dataset;
  var bar = document.getElementById("save-status");
  var barText = document.getElementById("save-status-text");
  var problem = document.getElementById("sync-problem");
  var clientId = form.dataset.clientId;
  var serverVisit = form.dataset.visit ? parseInt(form.dataset.visit, 10) : null;
  var enterprise = parseInt(form.dataset.enterprise, 10);
  var record = null;
  var leaving = false;

  // ------------------------------------------------ the form as a record, and back
  function fields() {
    var out = {};
    ["date", "start_time", "end_time", "purpose", "module", "people_met", "topics", "findings", "next_visit_on"]
      .forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input) out[name] = input.value;
      });
    return out;
  }

  function actionRows() { return Array.prototype.slice.call(document.querySelectorAll("#actions .action-form")); }

  function actions() {
    return actionRows().map(function (row) {
      var idField = row.querySelector("[data-action-client-id]");
      if (!idField) {
        idField = document.createElement("input");
        idField.type = "hidden";
        idField.setAttribute("data-action-client-id", "");
        idField.value = outbox.newId();
        row.appendChild(idField);
      }
      var value = function (suffix) {
        var input = row.querySelector("[name$='-" + suffix + "']");
        return input ? input.value : "";
      };
      return { client_id: idField.value, what: value("what"), owner: value("owner"), due_on: value("due_on"), status: value("status") };
    });
  }

  function fill(saved) {
    Object.keys(saved.fields || {}).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input) input.value = saved.fields[name];
    });
    var wanted = (saved.actions || []).length;
    while (actionRows().length < wanted) addAction();
    actionRows().forEach(function (row, index) {
      var action = (saved.actions || [])[index];
      if (!action) return;
      ["what", "owner", "due_on", "status"].forEach(function (suffix) {
        var input = row.querySelector("[name$='-" + suffix + "']");
        if (input) input.value = action[suffix] || "";
      });
      var idField = document.createElement("input");
      idField.type = "hidden";
      idField.setAttribute("data-action-client-id", "");
      idField.value = action.client_id;
      row.appendChild(idField);
    });
  }

  function snapshot(submit) {
    return {
      client_id: clientId, kind: "visit", visit: serverVisit, enterprise: enterprise,
      sync_url: form.dataset.syncUrl, page: location.pathname + location.search,
      fields: fields(), actions: actions(), submit: !!submit,
      rev: record ? record.rev : 0,
    };
  }

  // ------------------------------------------------ the status bar and the problem box
  function setBar(state, text) {
    bar.dataset.state = state;
    barText.textContent = text;
  }

  function clearErrors() {
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    form.querySelectorAll(".outbox-error").forEach(function (el) { el.remove(); });
  }

  function showProblem(title, items, conflict) {
    document.getElementById("sync-problem-title").textContent = title;
    var list = document.getElementById("sync-problem-list");
    list.textContent = "";
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    var server = document.getElementById("sync-conflict-server");
    server.classList.toggle("d-none", !conflict);
    if (conflict) {
      document.getElementById("sync-conflict-findings").textContent = (conflict.server || {}).findings || "";
      document.getElementById("sync-conflict-link").href = conflict.edit_url || conflict.url || "#";
    }
    problem.classList.remove("d-none");
  }

  function hideProblem() { problem.classList.add("d-none"); }

  function showErrors(errors) {
    clearErrors();
    var items = [];
    Object.keys(errors || {}).forEach(function (name) {
      var messages = errors[name] || [];
      var input = name === "__all__" ? null : form.querySelector("[name='" + name + "']");
      var label = input && input.labels && input.labels[0] ? input.labels[0].textContent.replace("*", "").trim() : "";
      messages.forEach(function (text) { items.push(label ? label + ": " + text : text); });
      if (input) {
        input.classList.add("is-invalid");
        var note = document.createElement("div");
        note.className = "invalid-feedback outbox-error";
        note.textContent = messages.join(" ");
        input.insertAdjacentElement("afterend", note);
      }
    });
    showProblem(msg.msgInvalid, items, null);
    problem.focus();
  }

  function describe(counts) {
    var mine = null;
    counts.records.forEach(function (r) { if (r.client_id === clientId) mine = r; });
    if (!mine) return;
    record = mine;
    if (mine.state === "pending") {
      var waiting = mine.submit ? msg.msgSubmitWaiting : msg.msgPhone;
      var login = outbox.lastProblem() === "login" ? " · " + msg.msgLogin : "";
      setBar(login ? "problem" : "phone", waiting + " (" + counts.pending + ")" + login);
    } else if (mine.state === "sent" && mine.server_status === "submitted" && mine.url) {
      // Done, whichever page sent it: the server holds the submitted visit; show it.
      setBar("server", msg.msgSubmitted);
      if (!leaving) { leaving = true; location.assign(mine.url); }
    } else if (mine.state === "sent") {
      var time = new Date(mine.sent_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      setBar("server", msg.msgServer + " · " + time);
      hideProblem();
      clearErrors();
    } else if (mine.state === "conflict") {
      setBar("problem", msg.msgProblem + ": " + msg.msgConflict);
      showProblem(msg.msgConflict, [mine.message || ""], mine);
    } else if (mine.state === "invalid") {
      setBar("problem", msg.msgProblem + ": " + msg.msgInvalid);
      showErrors(mine.errors);
    } else if (mine.state === "refused") {
      setBar("problem", msg.msgProblem + ": " + msg.msgRefused);
    }
  }

  document.addEventListener("outbox:change", function (event) { describe(event.detail); });

  // ------------------------------------------------ keeping and sending
  var keepTimer = null;
  var dirty = false;
  var sendTimer = null;
  // Which record this page is comes from IndexedDB a moment after load; typing before that must
  // not keep a record without its id (the server refuses it, and the text would sit apart).
  var started;
  var ready = new Promise(function (resolve) { started = resolve; });
  function remember(submit) {
    clearTimeout(keepTimer);
    return ready.then(function () { return keepNow(submit); });
  }

  function keepNow(submit) {
    dirty = false;
    var next = snapshot(submit);
    // A draft typed into after "Submit" stays a submission: the consultant asked for it.
    if (!submit && record && record.submit && record.state === "pending") next.submit = true;
    return outbox.keep(next).then(function (kept) {
      record = kept;
      clearTimeout(sendTimer);
      sendTimer = setTimeout(sendNow, 1500);
      return kept;
    });
  }

  function sendNow() {
    clearTimeout(sendTimer);
    if (!navigator.onLine) return outbox.changed();
    setBar("phone", msg.msgSending);
    return outbox.flush();
  }

  form.addEventListener("input", function () {
    dirty = true;
    clearTimeout(keepTimer);
    keepTimer = setTimeout(function () { remember(false); }, 400);
  });
  form.addEventListener("change", function () { remember(false); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember(true).then(sendNow);
  });
  // Closing or leaving the page right after typing: keep the last letters too.
  window.addEventListener("pagehide", function () { if (dirty && !leaving) remember(false); });

  // ------------------------------------------------ start: which record this page is
  function start(saved) {
    if (saved && saved.state === "sent" && saved.server_status === "submitted" && saved.url) {
      location.replace(saved.url);
      return;
    }
    if (saved && saved.state !== "sent") fill(saved);
    record = saved || null;
    if (serverVisit === null) {
      var url = new URL(location.href);
      if (url.searchParams.get("local") !== clientId) {
        url.searchParams.set("local", clientId);
        history.replaceState(null, "", url.toString());
      }
    }
    started();
    outbox.changed();
    if (saved && saved.state === "pending") sendNow();
  }

  if (clientId) {
    outbox.get(clientId).then(start);
  } else {
    // A new log: the one named in the address (a reload), else this enterprise's unfinished log
    // on this phone, else a new one.
    var named = new URL(location.href).searchParams.get("local");
    outbox.all().then(function (records) {
      var found = null;
      records.forEach(function (r) {
        if (r.kind !== "visit") return;
        if (named && r.client_id === named) found = r;
        else if (!named && !found && r.enterprise === enterprise && !r.visit && !(r.submit && r.state === "sent")) found = r;
      });
      clientId = found ? found.client_id : (named || outbox.newId());
      start(found);
    });
  }

  // ------------------------------------------------ 5S photos: made smaller here, kept, sent
  var photoForm = document.getElementById("photo-form");
  if (!photoForm) return;
  var queue = document.getElementById("photo-queue");
  var maxSide = parseInt(photoForm.dataset.maxSide, 10) || 1600;

  function smaller(file) {
    if (!file) return Promise.resolve(null);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    });
  }

  function preview(blob) {
    // A small data: picture (the policy allows data: images, not blob: ones).
    return createImageBitmap(blob).then(function (bitmap) {
      var canvas = document.createElement("canvas");
      var scale = 96 / Math.max(bitmap.width, bitmap.height);
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL("image/jpeg", 0.7);
    });
  }

  function showPhotos(counts) {
    queue.textContent = "";
    counts.records.filter(function (r) { return r.kind === "photo" && r.enterprise === enterprise; }).forEach(function (r) {
      var li = document.createElement("li");
      li.className = "d-flex align-items-center gap-2 mb-2 photo-queued";
      li.dataset.state = r.state;
      if (r.preview) {
        var img = document.createElement("img");
        img.src = r.preview;
        img.alt = r.area;
        img.className = "rounded photo-queue-thumb";
        li.appendChild(img);
      }
      var text = document.createElement("span");
      var state = r.state === "sent" ? queue.dataset.msgSent : r.state === "pending" ? queue.dataset.msgWaiting : queue.dataset.msgProblem;
      text.textContent = r.area + " · " + state;
      li.appendChild(text);
      queue.appendChild(li);
    });
  }
  document.addEventListener("outbox:change", function (event) { showPhotos(event.detail); });

  photoForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = document.getElementById("photo-error");
    var area = photoForm.elements.namedItem("area").value.trim();
    var beforeFile = photoForm.elements.namedItem("before").files[0];
    var afterFile = photoForm.elements.namedItem("after").files[0];
    if (!area || !beforeFile) {
      error.textContent = photoForm.dataset.msgMissing;
      error.classList.remove("d-none");
      return;
    }
    error.classList.add("d-none");
    Promise.all([smaller(beforeFile), smaller(afterFile)]).then(function (blobs) {
      return preview(blobs[0]).then(function (thumb) {
        var today = new Date().toISOString().slice(0, 10);
        return outbox.keep({
          client_id: outbox.newId(), kind: "photo", enterprise: enterprise, sync_url: photoForm.dataset.syncUrl,
          area: area, caption: photoForm.elements.namedItem("caption").value,
          before: blobs[0], before_taken_on: today, after: blobs[1], after_taken_on: blobs[1] ? today : "",
          preview: thumb,
        });
      });
    }).then(function () {
      photoForm.reset();
      sendNow();
    }, function () {
      error.textContent = photoForm.dataset.msgMissing;
      error.classList.remove("d-none");
    });
  });
})();
