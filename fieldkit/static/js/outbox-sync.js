// Send the outbox: for each entry, POST it, PUT each photo, then read the receipt; an entry leaves the outbox
// only when the receipt shows the record and every photo (by sha256). One sync at a time across tabs and the
// service worker (Web Locks, else a lease in IndexedDB). Every request is idempotent on the server, so a sync cut
// off anywhere is simply run again.
(function (root) {
  "use strict";
  var API = "/api/v1/activities", SESSION = "/csrf-token", LOCK = "fieldkit-outbox-sync";
  var store = root.FK.store, listeners = [], running = null, again = false;
  var CHANNEL = "fieldkit-outbox", channel = null, owner = Math.random().toString(36).slice(2);
  var kinds = {};  // entry.kind -> send(entry, sess) for entries that are not activities (e.g. outbox-inspection.js)

  // Pages listen on a channel; the service worker only opens one to post, so that pages' messages never keep
  // it busy (a busy old worker holds back a new version).
  function notify(message) {
    listeners.forEach(function (fn) { fn(message); });
    if (!root.BroadcastChannel) return;
    if (channel) { channel.postMessage(message); return; }
    var once = new root.BroadcastChannel(CHANNEL);
    once.postMessage(message);
    once.close();
  }

  function onChange(fn) {
    listeners.push(fn);
    if (!root.BroadcastChannel) return;
    channel = channel || new root.BroadcastChannel(CHANNEL);
    channel.addEventListener("message", function (event) { fn(event.data); });
  }

  function backoff(tries) {
    var ms = Math.min(300000, 2000 * Math.pow(2, Math.max(0, tries - 1)));
    return Math.round(ms * (0.8 + Math.random() * 0.4));
  }

  function timed(url, options, ms) {
    var controller = root.AbortController ? new root.AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, ms);
    if (controller) options.signal = controller.signal;
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  // Who is logged in, and a CSRF token that matches the current session (a cached page's may be stale).
  function session() {
    return timed(SESSION, {credentials: "same-origin", cache: "no-store", headers: {Accept: "application/json"}},
      20000).then(function (r) {
      if (!r.ok || !/json/.test(r.headers.get("Content-Type") || "")) throw new Error("no session answer");
      return r.json();
    }).then(function (body) { return {token: body.csrf_token, user: body.user}; });
  }

  // One request; the answer sorted into ok / network (try later) / server (try later) / auth / rejected.
  function api(sess, method, url, body, type, retried) {
    var headers = {Accept: "application/json"};
    if (method !== "GET") headers["X-CSRFToken"] = sess.token;
    if (type) headers["Content-Type"] = type;
    var options = {method: method, body: body, headers: headers, credentials: "same-origin", cache: "no-store"};
    return timed(url, options, body instanceof Blob ? 120000 : 30000).then(function (response) {
      var json = /json/.test(response.headers.get("Content-Type") || "") ? response.json() : Promise.resolve(null);
      return json.catch(function () { return null; }).then(function (data) {
        var status = response.status;
        if (response.ok && (data || status === 204)) return {kind: "ok", status: status, data: data};
        if (response.ok) return {kind: "network", status: status};
        if (status === 400 && data && data.error === "csrf" && !retried) {
          return session().then(function (fresh) {
            sess.token = fresh.token;
            return api(sess, method, url, body, type, true);
          });
        }
        if (status === 401) return {kind: "auth", status: status};
        if (!data || status >= 500 || status === 408 || status === 429 || data.error === "csrf") {
          return {kind: "server", status: status, message: data && data.message};
        }
        return {kind: "rejected", status: status, code: data.error, message: data.message, fields: data.fields || {}};
      });
    }, function (error) { return {kind: "network", message: String(error && error.message || error)}; });
  }

  function held(receipt, photo) {
    return (receipt || []).some(function (p) { return p.index === photo.index && p.sha256 === photo.sha256; });
  }

  // Keep the entry and say why; a rejection waits for the officer, anything else is tried again later.
  function failed(entry, answer, photoIndex) {
    var rejected = answer.kind === "rejected";
    var tries = (entry.tries || 0) + 1;
    return store.update(entry.uuid, {
      state: rejected ? "attention" : (entry.posted ? "on_server" : "saved"),
      tries: tries,
      next_try_at: Date.now() + (rejected ? 0 : backoff(tries)),
      error: {
        kind: rejected ? "rejected" : answer.kind === "auth" ? "auth" : "retry",
        status: answer.status || 0, code: answer.code || "", message: answer.message || "",
        fields: answer.fields || {}, photo: photoIndex === undefined ? null : photoIndex,
        at: new Date().toISOString(),
      },
    }).then(function () { notify({type: "changed", uuid: entry.uuid}); return answer.kind; });
  }

  function mark(uuid, change) {
    return store.update(uuid, change).then(function (entry) { notify({type: "changed", uuid: uuid}); return entry; });
  }

  function query(photo) {
    var parts = [];
    ["taken_at", "photo_lat", "photo_lon"].forEach(function (name) {
      if (photo[name] !== null && photo[name] !== undefined && photo[name] !== "") {
        parts.push(name + "=" + encodeURIComponent(photo[name]));
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  // Send one entry as far as it goes; answer "delivered", "rejected", "network", "server", "auth" or "retry".
  function send(entry, sess) {
    // A change to an entry the server holds (an edit, a withdrawal) has its own steps (outbox-changes.js).
    if (entry.kind) return root.FK.changes ? root.FK.changes.send(entry, sess, io) : Promise.resolve("retry");
    var url = API + "/" + encodeURIComponent(entry.uuid), receipt = null;
    var steps = mark(entry.uuid, {state: "sending"}).then(function () {
      // Already on the server: ask which photos it holds, so only the missing ones are sent again.
      if (entry.posted) {
        return api(sess, "GET", url).then(function (answer) {
          if (answer.kind !== "ok") return failed(entry, answer);
          receipt = answer.data.photos;
          return "ok";
        });
      }
      return api(sess, "POST", API, JSON.stringify(entry.body), "application/json").then(function (answer) {
        if (answer.kind !== "ok") return failed(entry, answer);
        if (answer.data.uuid !== entry.uuid) return failed(entry, {kind: "server", status: answer.status});
        receipt = answer.data.photos;
        entry.posted = true;
        return mark(entry.uuid, {posted: true, state: "on_server", error: null}).then(function () { return "ok"; });
      });
    });
    entry.photos.forEach(function (photo) {
      steps = steps.then(function (so) {
        if (so !== "ok" || held(receipt, photo)) return so;
        return store.photo(entry.uuid, photo.index).then(function (blob) {
          if (!blob) return failed(entry, {kind: "rejected", code: "photo_missing"}, photo.index);
          return api(sess, "PUT", url + "/photos/" + photo.index + query(photo), blob, blob.type || "image/jpeg")
            .then(function (answer) {
              if (answer.kind !== "ok") return failed(entry, answer, photo.index);
              return "ok";
            });
        });
      });
    });
    return steps.then(function (so) {
      if (so !== "ok") return so;
      return api(sess, "GET", url).then(function (answer) {
        if (answer.kind !== "ok") return failed(entry, answer);
        var complete = answer.data.uuid === entry.uuid && entry.photos.every(function (p) {
          return held(answer.data.photos, p);
        });
        if (!complete) {
          return failed(entry, {kind: "server", status: answer.status}).then(function () { return "retry"; });
        }
        return mark(entry.uuid, {state: "complete", error: null}).then(function () {
          return store.remove(entry.uuid);
        }).then(function () { notify({type: "delivered", uuid: entry.uuid}); return "delivered"; });
      });
    });
  }

  // One pass over the outbox: the logged-in officer's entries that are not waiting for the officer.
  function pass() {
    var result = {delivered: 0, waiting: 0, attention: 0, retry: false, auth: false, offline: false};
    return store.all().then(function (entries) {
      var pending = entries.filter(function (e) { return e.state !== "attention"; });
      if (!pending.length) return result;
      return session().then(function (sess) {
        if (!sess.user) {
          result.auth = true;
          return store.setMeta("auth", "logged_out").then(function () { notify({type: "auth"}); });
        }
        return store.setMeta("auth", "ok").then(function () {
          var mine = pending.filter(function (e) { return e.officer === sess.user; }).sort(function (a, b) {
            return (a.next_try_at || 0) - (b.next_try_at || 0) || (a.created_at < b.created_at ? -1 : 1);
          });
          var chain = Promise.resolve("next");
          mine.forEach(function (entry) {
            chain = chain.then(function (so) {
              if (so === "stop") return so;
              var sender = kinds[entry.kind] || send;  // an activity, or a kind added by its own file
              return renew().then(function () { return sender(entry, sess); }).then(function (outcome) {
                if (outcome === "delivered") result.delivered++;
                if (outcome === "auth") {
                  result.auth = true;
                  return store.setMeta("auth", "logged_out").then(function () {
                    notify({type: "auth"});
                    return "stop";
                  });
                }
                if (outcome === "network" || outcome === "server") { result.retry = true; return "stop"; }
                if (outcome === "retry") result.retry = true;
                return "next";
              });
            });
          });
          return chain;
        });
      }, function () { result.offline = true; result.retry = true; });
    }).then(function () {
      return store.all();
    }).then(function (left) {
      left.forEach(function (e) { if (e.state === "attention") result.attention++; else result.waiting++; });
      notify({type: "synced", result: result});
      return result;
    });
  }

  function renew() {
    return root.navigator.locks ? Promise.resolve() : store.lease(owner, 180000);
  }

  function locked(fn) {
    if (root.navigator.locks) return root.navigator.locks.request(LOCK, fn);
    return store.lease(owner, 180000).then(function (taken) {
      if (!taken) return {busy: true};
      return fn().finally(function () { return store.release(owner); });
    });
  }

  // Run a sync now, or once more right after the one under way in this page.
  function run() {
    if (running) { again = true; return running; }
    running = locked(pass).then(function (result) {
      running = null;
      if (again) { again = false; return run(); }
      return result;
    }, function (error) { running = null; throw error; });
    return running;
  }

  var io = {api: api, failed: failed, mark: mark, held: held, query: query, notify: notify};
  // Another kind of entry: its own sender, built from the same steps, answering as send() does.
  function register(kind, sender) { kinds[kind] = sender; }

  root.FK.sync = {run: run, onChange: onChange, notify: notify, backoff: backoff, register: register, steps: io};
})(self);
