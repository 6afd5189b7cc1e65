// The portal's service worker, served from /service-worker.js (training/offline_urls.py) so that it
// looks after every page. It keeps the app shell (stylesheets, scripts) and the pages a consultant
// needs on a factory floor without signal: the training home, open actions, each assigned
// enterprise's page and a new visit log (the list comes from /training/offline/pages/, asked for
// by outbox.js). What is typed offline does not go through here: outbox.js keeps it in IndexedDB
// and sends it when the connection returns.
//
// Pages: network first (always the newest when there is signal), the kept copy without signal.
// Static files: the kept copy at once, refreshed in the background (names are hashed in production).
"use strict";

var PAGES = "score-pages-v1";
var ASSETS = "score-assets-v1";
var LOGIN_PATH = "/accounts/login/";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("score-") === 0 && name !== PAGES && name !== ASSETS;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keepPage(request, response) {
  // Only a real page of this user: not a redirect to the log-in page, not an error.
  if (!response || !response.ok || response.redirected || response.type !== "basic") return;
  var copy = response.clone();
  caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
}

function forgetPages() {
  // Logged out (or the session ended): the kept pages were someone's; the outbox is kept apart.
  return caches.delete(PAGES);
}

function offlinePage() {
  return new Response(
    "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
      "<title>Offline</title><p>No connection, and this page was not kept on this phone. " +
      "Go back; what you typed is kept.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

function fromNetworkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.redirected && new URL(response.url).pathname.indexOf(LOGIN_PATH) === 0) {
      forgetPages();
    } else {
      keepPage(request, response);
    }
    return response;
  }, function () {
    return caches.open(PAGES).then(function (cache) {
      // ignoreVary: the page was kept from a request of the worker's own, whose headers differ from a
      // navigation's (the portal's pages vary on Cookie and Accept-Language).
      return cache.match(request, { ignoreVary: true }).then(function (hit) {
        // A new visit log opened with ?local=<id> is the same page as without.
        return hit || cache.match(request, { ignoreSearch: true, ignoreVary: true });
      });
    }).then(function (hit) { return hit || offlinePage(); });
  });
}

function fromCacheThenRefresh(event) {
  var request = event.request;
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var refresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (hit) {
        event.waitUntil(refresh.catch(function () {}));
        return hit;
      }
      return refresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromCacheThenRefresh(event));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request));
  }
});

// outbox.js: "keep these pages and these files" (the user's offline pages, the page's own assets).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep") return;
  var pages = (data.pages || []).map(function (page) {
    return fetch(page, { credentials: "same-origin" }).then(function (response) {
      if (response.redirected && new URL(response.url).pathname.indexOf(LOGIN_PATH) === 0) return forgetPages();
      return keepPage(new Request(page), response);
    }).catch(function () {});
  });
  var assets = caches.open(ASSETS).then(function (cache) {
    return Promise.all((data.assets || []).map(function (asset) {
      return cache.match(asset).then(function (hit) {
        return hit || cache.add(asset).catch(function () {});
      });
    }));
  });
  event.waitUntil(Promise.all(pages.concat([assets])));
});
