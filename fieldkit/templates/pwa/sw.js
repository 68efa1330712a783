// fieldkit's service worker, rendered by fieldkit/pwa/views.py with the version and the precache list made from
// the static files' hashes when the app started.
//
// Pages: network first (a kept copy after a few seconds on a weak connection), the officer's pages kept for offline
// use; the officer's recent and returned entries (their pages, edit pages and thumbnails) kept too, refreshed when a
// page asks for the status, served when the network fails. Versioned static files: cache first. API requests and every write go straight to the network, never cached.
// Updates: a new version precaches everything and refetches the officer's pages, then takes over at once
// (skipWaiting): it never touches the outbox, which lives in IndexedDB with its own schema version, and a sync cut
// off by the swap is simply run again (every request is idempotent). The previous version's files are kept one
// generation, so a page kept under it still finds them.
"use strict";
var VERSION = {{ version|tojson }};
var STATIC = "fieldkit-static-" + VERSION;
var PAGES = "fieldkit-pages-" + VERSION;
var PRECACHE = {{ precache|tojson }};
var OFFICER_PAGES = {{ pages|tojson }};
var OFFLINE = {{ offline|tojson }};
var STATUS = {{ status|tojson }};
var ENTRIES = {{ entries|tojson }};
var KEPT_ENTRIES = "/__fieldkit/kept-entries"; // in the pages cache: what is kept of each entry, and its stamp
var NETWORK_WAIT_MS = 4000;

importScripts.apply(self, {{ scripts|tojson }});

function isPage(response) {
  return response && response.ok && !response.redirected && response.type === "basic" &&
    /text\/html/.test(response.headers.get("Content-Type") || "");
}

// Fetch the officer's pages into the pages cache; a page that cannot be fetched now keeps its older copy.
function keepPages(refresh) {
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(OFFICER_PAGES.map(function (path) {
      return cache.match(path).then(function (have) {
        if (have && !refresh) return true;
        return fetch(path, {credentials: "same-origin", cache: "no-store"}).then(function (response) {
          if (isPage(response)) return cache.put(path, response).then(function () { return true; });
          throw new Error("not kept");
        }).catch(function () {
          return have ? true : caches.match(path, {ignoreSearch: true}).then(function (older) {
            return older ? cache.put(path, older).then(function () { return true; }) : false;
          });
        });
      });
    }));
  }).then(function (kept) {
    return kept.every(Boolean);
  });
}

self.addEventListener("install", function (event) {
  // Where the browser can route without waking the worker, API calls never reach it at all.
  try {
    if (event.addRoutes) {
      event.waitUntil(event.addRoutes([
        {condition: {urlPattern: "/api/*"}, source: "network"},
        {condition: {urlPattern: "/csrf-token"}, source: "network"},
      ]).catch(function () { /* the fetch handler lets them through */ }));
    }
  } catch (error) { /* an older form of the routing API: the fetch handler lets them through */ }
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(PRECACHE);
  }).then(function () {
    return keepPages(true);
  }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    var statics = keys.filter(function (k) { return k.indexOf("fieldkit-static-") === 0 && k !== STATIC; });
    var previous = statics[statics.length - 1];
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("fieldkit-") === 0 && k !== STATIC && k !== PAGES && k !== previous;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () {
    return self.clients.claim();
  }));
});

// The officer's recent and returned entries, kept for use offline: their pages, edit pages and thumbnails, as
// fieldkit/pwa/kept.py lists them with a stamp that changes whenever their pages would. Fetch only what changed
// (a few at a time), drop what left the list; an entry that cannot be fetched now keeps its older copy.
var keeping = null;

function sameOrigin(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function keepEntries() {
  if (keeping) return keeping;
  var options = {credentials: "same-origin", cache: "no-store"};
  keeping = fetch(ENTRIES, Object.assign({headers: {Accept: "application/json"}}, options)).then(function (response) {
    if (!sameOrigin(response) || !/json/.test(response.headers.get("Content-Type") || "")) return null;
    return response.json();
  }).then(function (listing) {
    if (!listing) return null;
    return caches.open(PAGES).then(function (cache) {
      return cache.match(KEPT_ENTRIES).then(function (hit) { return hit ? hit.json() : {}; }).then(function (kept) {
        var next = {}, wanted = {}, todo = listing.entries.slice();
        listing.entries.forEach(function (entry) { wanted[entry.uuid] = entry; });
        var drops = Object.keys(kept).filter(function (uuid) { return !wanted[uuid]; }).map(function (uuid) {
          return Promise.all(kept[uuid].urls.map(function (u) { return cache.delete(u); }));
        });
        function keepOne(entry) {
          var had = kept[entry.uuid];
          if (had && had.stamp === entry.stamp) { next[entry.uuid] = had; return Promise.resolve(); }
          return Promise.all(entry.urls.map(function (u) {
            return fetch(u, options).then(function (response) {
              if (!sameOrigin(response)) throw new Error("not kept");
              return cache.put(u, response);
            });
          })).then(function () {
            next[entry.uuid] = {stamp: entry.stamp, urls: entry.urls};
            var gone = had ? had.urls.filter(function (u) { return entry.urls.indexOf(u) < 0; }) : [];
            return Promise.all(gone.map(function (u) { return cache.delete(u); }));
          }, function () {
            if (had) next[entry.uuid] = had;
          });
        }
        function worker() {
          var entry = todo.shift();
          return entry ? keepOne(entry).then(worker) : Promise.resolve();
        }
        return Promise.all(drops.concat([worker(), worker(), worker()])).then(function () {
          var body = JSON.stringify(next);
          return cache.put(KEPT_ENTRIES, new Response(body, {headers: {"Content-Type": "application/json"}}));
        });
      });
    });
  }).catch(function () { /* offline, or logged out: what is kept stays */ }).then(function () {
    keeping = null;
  });
  return keeping;
}

function isThumbnail(url) {
  return /^\/activities\/[^/]+\/photos\/\d+\.thumb\.jpg$/.test(url.pathname);
}

function thumbnail(request) {
  return fetch(request).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(new URL(request.url).pathname);
    }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function keptPage(url) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(url.pathname, {ignoreSearch: true});
  }).then(function (hit) {
    return hit || caches.match(url.pathname, {ignoreSearch: true});
  });
}

function offlinePage(url) {
  return keptPage(url).then(function (hit) {
    return hit || caches.match(OFFLINE);
  }).then(function (hit) {
    return hit || Response.error();
  });
}

function page(event) {
  var url = new URL(event.request.url);
  var keep = OFFICER_PAGES.indexOf(url.pathname) >= 0;
  var network = fetch(event.request).then(function (response) {
    if (keep && isPage(response)) {
      var copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) { return cache.put(url.pathname, copy); }));
    }
    if (response.status >= 500) {
      return keptPage(url).then(function (hit) { return hit || response; });
    }
    return response;
  });
  if (!keep) return network.catch(function () { return offlinePage(url); });
  return new Promise(function (resolve) {
    var done = false;
    function answer(response) { if (!done && response) { done = true; resolve(response); } }
    var wait = setTimeout(function () { keptPage(url).then(answer); }, NETWORK_WAIT_MS);
    network.then(function (response) {
      clearTimeout(wait);
      answer(response);
    }, function () {
      clearTimeout(wait);
      offlinePage(url).then(answer);
    });
  });
}

function asset(request) {
  var versioned = new URL(request.url).searchParams.has("v");
  return caches.open(STATIC).then(function (cache) {
    return (versioned ? caches.match(request) : Promise.resolve(null)).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (versioned && response.ok) cache.put(request, response.clone());
        return response;
      }).catch(function () {
        return cache.match(request, {ignoreSearch: true}).then(function (same) {
          return same || caches.match(request, {ignoreSearch: true});
        }).then(function (any) {
          return any || Response.error();
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/api/") === 0 || url.pathname === "/csrf-token") return;
  if (url.pathname === STATUS) {
    event.respondWith(status());
    event.waitUntil(keepEntries());
  } else if (isThumbnail(url)) {
    event.respondWith(thumbnail(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest") {
    event.respondWith(asset(request));
  }
});

// The page asks through a request this worker answers itself, and only once no new version waits (outbox.js):
// in Chromium, work sent to an old worker while a new one takes over can hold the new one back for minutes.
// Keep what is missing, then say whether all is kept, and the version.
function status() {
  return keepPages(false).then(function (ready) {
    return caches.open(STATIC).then(function (cache) { return cache.match(OFFLINE); }).then(function (offline) {
      var body = JSON.stringify({ready: ready && !!offline, version: VERSION});
      return new Response(body, {headers: {"Content-Type": "application/json", "Cache-Control": "no-store"}});
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "logout") {
    event.waitUntil(caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("fieldkit-pages-") === 0; }).map(function (k) {
        return caches.delete(k);
      }));
    }));
  } else if (data.type === "skip-waiting") {
    self.skipWaiting();
  }
});

// Background Sync: send the outbox when the browser sees a connection, even with no page open.
self.addEventListener("sync", function (event) {
  if (event.tag !== "fieldkit-outbox") return;
  event.waitUntil(self.FK.sync.run().then(function (result) {
    if (result && result.retry && !result.auth) throw new Error("fieldkit outbox: some entries wait; try later");
  }));
});
