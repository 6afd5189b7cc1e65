// The phone's outbox: what a consultant types or photographs is kept in this browser (IndexedDB)
// first, then sent to the portal's sync endpoints when there is a connection. It survives reloads,
// closing the browser and days without signal. Every record carries an id made here (client_id),
// so the server makes it once however many times it is sent.
//
// Loaded on every page of a logged-in user (base.html): it registers the service worker, tells it
// which pages to keep, and sends what waits whenever the connection returns, on any page.
//
// Record states: "pending" (waiting to send), "sent" (the server has this revision), "conflict"
// (the server's visit was locked meanwhile: the local text is kept), "invalid" (the server refused
// it, with the form's errors), "refused" (no access any more).
(function () {
  "use strict";
  var script = document.currentScript;
  var DB_NAME = "score-outbox";
  var STORE = "records";
  var SEND_TIMEOUT_MS = 30000;
  var dbPromise = null;

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "client_id" });
        store.createIndex("state", "state");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function get(clientId) { return run("readonly", function (store) { return store.get(clientId); }); }
  // Only this user's records: a phone shared by two consultants keeps each one's apart.
  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (records) {
      return records.filter(function (r) { return !r.user || r.user === user; });
    });
  }
  function remove(clientId) { return run("readwrite", function (store) { store.delete(clientId); }).then(changed); }

  var user = script && script.dataset.user ? script.dataset.user : "";

  // Keep a record: a new revision of it waits to be sent.
  function keep(record) {
    record.user = record.user || user;
    record.rev = (record.rev || 0) + 1;
    record.state = "pending";
    record.updated_at = new Date().toISOString();
    return run("readwrite", function (store) { store.put(record); }).then(function () {
      changed();
      return record;
    });
  }

  // Write back what the server answered, unless the record was changed (typed into) meanwhile.
  function settle(sentRev, clientId, update) {
    return run("readwrite", function (store) {
      var request = store.get(clientId);
      request.onsuccess = function () {
        var record = request.result;
        if (!record) return;
        Object.keys(update).forEach(function (key) { record[key] = update[key]; });
        if (record.rev !== sentRev && update.state === "sent") record.state = "pending";
        if (record.kind === "photo" && record.state === "sent") {
          // The server holds the photos now: free the phone's space, keep the small preview.
          delete record.before;
          delete record.after;
        }
        store.put(record);
      };
    }).then(changed);
  }

  function counts() {
    return all().then(function (records) {
      var result = { pending: 0, problems: 0, records: records };
      records.forEach(function (r) {
        if (r.state === "pending") result.pending += 1;
        else if (r.state !== "sent") result.problems += 1;
      });
      return result;
    });
  }

  function changed() {
    return counts().then(function (c) {
      document.dispatchEvent(new CustomEvent("outbox:change", { detail: c }));
      return c;
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, body, json) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    var headers = { "X-CSRFToken": csrfToken(), "X-Requested-With": "outbox" };
    if (json) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: "POST", body: body, headers: headers, credentials: "same-origin",
      signal: controller.signal, redirect: "manual",
    }).finally(function () { clearTimeout(timer); });
  }

  function bodyOf(record) {
    if (record.kind === "form") {
      // A page's form as it would have been posted (the monthly figures): [name, value] pairs.
      return new URLSearchParams(record.pairs);
    }
    if (record.kind === "photo") {
      var data = new FormData();
      data.append("client_id", record.client_id);
      data.append("area", record.area || "");
      data.append("caption", record.caption || "");
      data.append("before", record.before, "before.jpg");
      if (record.before_taken_on) data.append("before_taken_on", record.before_taken_on);
      if (record.after) data.append("after", record.after, "after.jpg");
      if (record.after_taken_on) data.append("after_taken_on", record.after_taken_on);
      return data;
    }
    return JSON.stringify({
      client_id: record.client_id, visit: record.visit, enterprise: record.enterprise,
      submit: !!record.submit, fields: record.fields, actions: record.actions,
    });
  }

  // Send one record. Resolves with what happened; a lost connection leaves it waiting.
  function send(record) {
    var rev = record.rev;
    return post(record.sync_url, bodyOf(record), record.kind === "visit").then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var answer = type.indexOf("json") >= 0 ? response.json() : Promise.resolve({});
      return answer.then(function (data) {
        var update;
        if (response.ok) {
          update = { state: "sent", sent_at: new Date().toISOString(), errors: null, message: "" };
          if (data.visit) { update.visit = data.visit; update.url = data.url; update.server_status = data.status; }
        } else if (response.status === 409) {
          update = { state: "conflict", message: data.message, server: data.server || {}, url: data.url, edit_url: data.edit_url };
        } else if (response.status === 400) {
          update = { state: "invalid", errors: data.errors || {}, message: "" };
          if (data.visit) update.visit = data.visit;
        } else if (response.status === 403 || response.status === 404) {
          // 403 also when the session or the CSRF cookie ended: waiting until the next log-in.
          if (response.status === 403 && !data.outcome) return { outcome: "login", record: record };
          update = { state: "refused", message: "" };
        } else {
          // Redirected to the log-in page (type "opaqueredirect"), or a server error: try again later.
          return { outcome: response.type === "opaqueredirect" ? "login" : "retry", record: record };
        }
        return settle(rev, record.client_id, update).then(function () {
          return { outcome: update.state, data: data, record: record };
        });
      });
    }, function () {
      return { outcome: "offline", record: record };
    });
  }

  var flushing = null;
  var lastProblem = "";
  // Send everything that waits, oldest first. One flush at a time in this page; the server's ids
  // make a second tab sending the same record harmless. Asked while one runs (a draft was being
  // sent when "Submit" was pressed), it runs again once that one ends: the running one read the
  // records before the newer version was kept, and would leave it waiting for the next timer.
  function flush() {
    if (flushing) return flushing.then(function () { return flush(); });
    if (!navigator.onLine) return Promise.resolve([]);
    flushing = all().then(function (records) {
      var waiting = records.filter(function (r) { return r.state === "pending" && r.sync_url; });
      waiting.sort(function (a, b) { return (a.updated_at || "").localeCompare(b.updated_at || ""); });
      var results = [];
      return waiting.reduce(function (chain, record) {
        return chain.then(function () {
          return send(record).then(function (result) { results.push(result); });
        });
      }, Promise.resolve()).then(function () {
        var stuck = results.filter(function (r) { return r.outcome === "login" || r.outcome === "offline" || r.outcome === "retry"; });
        lastProblem = stuck.length ? stuck[0].outcome : "";
        return results;
      });
    }).finally(function () {
      flushing = null;
      changed();
    });
    return flushing;
  }

  // ------------------------------------------------ the service worker and the pages it keeps
  function registerWorker() {
    if (!("serviceWorker" in navigator) || !script || !script.dataset.workerUrl) return;
    navigator.serviceWorker.register(script.dataset.workerUrl, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!navigator.onLine || !script.dataset.pagesUrl) return;
      var assets = [];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
        assets.push(el.href || el.src);
      });
      fetch(script.dataset.pagesUrl, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.json() : { pages: [] };
      }).then(function (data) {
        var worker = registration.active || navigator.serviceWorker.controller;
        if (worker) worker.postMessage({ type: "keep", pages: data.pages || [], assets: assets });
      }).catch(function () {});
    }).catch(function () {});
  }

  window.ScoreOutbox = {
    get: get, all: all, keep: keep, remove: remove, flush: flush, counts: counts, changed: changed,
    lastProblem: function () { return lastProblem; },
    newId: function () {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
      var bytes = crypto.getRandomValues(new Uint8Array(16));
      bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
      var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
      return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
    },
  };

  // Logging out: the pages kept for this user go (the next person on this phone must not read them
  // offline); what waits in the outbox stays, for this user's next log-in, after a warning.
  document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.dataset.checked) return;
      event.preventDefault();
      counts().then(function (c) {
        if (c.pending > 0 && !window.confirm(script.dataset.logoutWarning)) return;
        var forget = window.caches ? caches.delete("score-pages-v1") : Promise.resolve();
        return forget.catch(function () {}).then(function () {
          logout.dataset.checked = "1";
          logout.submit();
        });
      });
    });
  });

  window.addEventListener("online", function () { flush(); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  // A phone's "online" event is not always to be trusted: look again now and then.
  setInterval(function () { flush(); }, 30000);
  registerWorker();
  flush();
})();
