// On every officer page: the service worker, the badge with the number of entries waiting, and the triggers that
// send the outbox — on load, when the phone comes online, on a timer with backoff while anything waits, when the
// page comes back into view, and Background Sync where the browser has it.
(function (root) {
  "use strict";
  var FK = root.FK, textNode = document.getElementById("outbox-text");
  if (!FK || !FK.store || !textNode) return;
  var text = JSON.parse(textNode.textContent);
  var officer = (document.querySelector("meta[name=fieldkit-officer]") || {}).content || "";
  var timer = null, failures = 0;

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] === undefined ? all : values[key];
    });
  }

  function megabytes(bytes) {
    return (bytes / 1048576).toLocaleString(document.documentElement.lang || "vi", {maximumFractionDigits: 1});
  }

  // The badge and the home page's summary: how many entries wait on this phone, and whether they can go.
  function refresh() {
    return Promise.all([FK.store.all(), FK.store.meta("auth")]).then(function (found) {
      var entries = found[0], waiting = entries.length;
      var attention = entries.filter(function (e) { return e.state === "attention"; }).length;
      var badge = document.getElementById("outbox-badge");
      if (badge) {
        badge.dataset.count = waiting;
        badge.querySelector(".count").textContent = waiting;
        badge.classList.toggle("has-waiting", waiting > 0);
        badge.classList.toggle("has-attention", attention > 0);
        badge.setAttribute("aria-label", format(text.badge, {n: waiting}));
      }
      var loggedOut = (found[1] === "logged_out" || !officer) && waiting > 0;
      document.querySelectorAll("[data-outbox-login]").forEach(function (node) { node.hidden = !loggedOut; });
      var summary = document.getElementById("outbox-summary");
      if (summary) {
        summary.hidden = waiting === 0;
        summary.querySelector("[data-waiting]").textContent = format(text.waiting, {n: waiting});
        var note = summary.querySelector("[data-attention]");
        note.hidden = attention === 0;
        note.textContent = format(text.attention_count, {n: attention});
      }
      return entries;
    }).catch(function () { /* no IndexedDB: nothing waits here */ });
  }

  function schedule(result) {
    clearTimeout(timer);
    timer = null;
    if (!result || !result.retry || result.auth || result.busy) { if (result && !result.retry) failures = 0; return; }
    if (!navigator.onLine) return; // the "online" event sends
    failures++;
    timer = setTimeout(sync, FK.sync.backoff(failures));
  }

  function sync() {
    return FK.sync.run().then(function (result) {
      schedule(result);
      if (result && result.retry) backgroundSync();
      return result;
    }).catch(function () { schedule({retry: true}); });
  }

  function backgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync && registration.sync.register("fieldkit-outbox");
    }).catch(function () { /* not offered: the timers and the online event send */ });
  }

  // Ask the browser not to clear the outbox when space runs low; answer what it says and the estimate.
  function storage(ask) {
    var s = navigator.storage;
    if (!s || !s.persisted) return Promise.resolve({persisted: false, supported: false});
    return (ask && s.persist ? s.persist() : s.persisted()).catch(function () { return false; })
      .then(function (persisted) {
        return (s.estimate ? s.estimate() : Promise.resolve({})).catch(function () { return {}; })
          .then(function (estimate) {
            return {persisted: persisted, supported: true, usage: estimate.usage, quota: estimate.quota};
          });
      });
  }

  function describeStorage(info) {
    var parts = [];
    if (info.usage !== undefined && info.quota) {
      parts.push(format(text.storage_estimate, {used: megabytes(info.usage), quota: megabytes(info.quota)}));
    }
    parts.push(info.persisted ? text.storage_persistent : text.storage_not_persistent);
    return parts.join(" ");
  }

  // Resolve once a worker controls the page and no new version is installing or waiting. Until then the page
  // sends the worker nothing: a request to the old worker while the browser swaps it can hold back the new one.
  function settled(registration) {
    return new Promise(function (resolve) {
      var done = false, timer = setTimeout(finish, 20000);
      function finish() {
        if (!done) { done = true; clearTimeout(timer); resolve(); }
      }
      function check() {
        if (navigator.serviceWorker.controller && !registration.installing && !registration.waiting) finish();
      }
      function watch(worker) {
        if (!worker) return;
        if (worker.state === "installed") worker.postMessage({type: "skip-waiting"});
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed") worker.postMessage({type: "skip-waiting"});
          check();
        });
      }
      watch(registration.installing || registration.waiting);
      registration.addEventListener("updatefound", function () { watch(registration.installing); });
      navigator.serviceWorker.addEventListener("controllerchange", check);
      check();
    });
  }

  // A new version takes over as soon as it has kept everything (the outbox does not depend on it); then the page
  // asks it, by a request it answers itself, to keep any officer page it lacks and whether all are kept.
  function showStorage() {
    var note = document.querySelector("[data-storage-note]");
    if (!note) return;
    storage(false).then(function (info) {
      note.hidden = !info.supported || info.persisted;
      note.textContent = text.storage_not_persistent;
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !root.isSecureContext) return;
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(function (registration) {
      var update = navigator.onLine ? registration.update() : Promise.resolve();
      return update.catch(function () { /* offline: the kept version serves */ }).then(function () {
        return settled(registration);
      });
    }).then(function () {
      if (!navigator.serviceWorker.controller) throw new Error("not controlled");
      return fetch("/sw-status", {cache: "no-store"}).then(function (r) { return r.json(); });
    }).then(function (status) {
      document.documentElement.dataset.offline = status.ready ? "ready" : "partial";
      document.querySelectorAll("[data-offline-ready]").forEach(function (node) { node.hidden = !status.ready; });
    }).catch(function () { /* no service worker: the pages still work online */ });
  }

  // On logout, drop the kept pages (they show this officer's entries); the outbox itself stays.
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({type: "logout"});
      }
    });
  });

  FK.sync.onChange(refresh);
  refresh();
  showStorage();
  if (officer) {
    root.addEventListener("online", sync);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") sync(); });
    registerWorker();
    setTimeout(sync, 300);
  }

  FK.outbox = {
    text: text, officer: officer, format: format, refresh: refresh, sync: sync, storage: storage,
    describeStorage: describeStorage, backgroundSync: backgroundSync,
  };
})(self);
