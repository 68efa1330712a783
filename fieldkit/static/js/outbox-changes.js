// Changes to entries the server already holds, sent from the outbox: an edit (PUT with the version the phone last
// saw, then the photos it adds or replaces, then the photos it removes) and a withdrawal (DELETE). As for a new
// entry, a change leaves the outbox only on a receipt: the record with every photo as planned, or, withdrawn, gone.
// Every request is idempotent on the server (the same content again answers 200 whatever the version), so a sync
// cut off anywhere simply runs the steps again. Used by the pages and the service worker alike.
(function (root) {
  "use strict";
  var API = "/api/v1/activities";

  function ok() { return "ok"; }

  function has(receipt, index) {
    return (receipt || []).some(function (p) { return p.index === index; });
  }

  // Gone from the outbox once done; an edit leaves the version it made, for the next edit from a page kept earlier.
  // A newer change saved while this one was on its way stays, and goes next.
  function delivered(entry, io, extra) {
    return root.FK.store.get(entry.uuid).then(function (now) {
      if (!now || now.saved_id === entry.saved_id) return finish(entry, io, extra);
      return io.mark(entry.uuid, {state: "saved", posted: false, error: null}).then(function () { return "retry"; });
    });
  }

  function finish(entry, io, extra) {
    return io.mark(entry.uuid, {state: "complete", error: null}).then(function () {
      return extra && extra.version ? root.FK.store.setMeta("version:" + entry.uuid, extra.version) : null;
    }).then(function () {
      return root.FK.store.remove(entry.uuid);
    }).then(function () {
      io.notify(Object.assign({type: "delivered", uuid: entry.uuid, kind: entry.kind}, extra || {}));
      return "delivered";
    });
  }

  function sendEdit(entry, sess, io) {
    var url = API + "/" + encodeURIComponent(entry.uuid), receipt = null, version = null;
    var steps = io.mark(entry.uuid, {state: "sending"}).then(function () {
      return io.api(sess, "PUT", url, JSON.stringify(entry.body), "application/json");
    }).then(function (answer) {
      if (answer.kind !== "ok") return io.failed(entry, answer);
      receipt = answer.data.photos;
      version = answer.data.version;
      entry.posted = true;
      return io.mark(entry.uuid, {posted: true, state: "on_server", version: version, error: null}).then(ok);
    });
    (entry.photos || []).forEach(function (photo) {
      steps = steps.then(function (so) {
        if (so !== "ok" || io.held(receipt, photo)) return so;
        return root.FK.store.photo(entry.uuid, photo.index).then(function (blob) {
          if (!blob) return io.failed(entry, {kind: "rejected", code: "photo_missing"}, photo.index);
          var photoUrl = url + "/photos/" + photo.index + io.query(photo);
          return io.api(sess, "PUT", photoUrl, blob, blob.type || "image/jpeg").then(function (answer) {
            return answer.kind === "ok" ? "ok" : io.failed(entry, answer, photo.index);
          });
        });
      });
    });
    (entry.removals || []).forEach(function (index) {
      steps = steps.then(function (so) {
        if (so !== "ok" || !has(receipt, index)) return so;
        return io.api(sess, "DELETE", url + "/photos/" + index).then(function (answer) {
          return answer.kind === "ok" ? "ok" : io.failed(entry, answer, index);
        });
      });
    });
    return steps.then(function (so) {
      if (so !== "ok") return so;
      return io.api(sess, "GET", url).then(function (answer) {
        if (answer.kind !== "ok") return io.failed(entry, answer);
        var photos = answer.data.photos;
        var complete = (entry.photos || []).every(function (p) { return io.held(photos, p); }) &&
          (entry.removals || []).every(function (index) { return !has(photos, index); });
        if (!complete) return io.failed(entry, {kind: "server", status: answer.status}).then(function () {
          return "retry";
        });
        return delivered(entry, io, {version: answer.data.version || version});
      });
    });
  }

  // Withdrawn is confirmed by the server no longer showing the entry (a JSON 404), not by the 204 alone.
  function sendWithdrawal(entry, sess, io) {
    var url = API + "/" + encodeURIComponent(entry.uuid);
    return io.mark(entry.uuid, {state: "sending"}).then(function () {
      return io.api(sess, "DELETE", url);
    }).then(function (answer) {
      if (answer.kind !== "ok") return io.failed(entry, answer);
      return io.api(sess, "GET", url).then(function (check) {
        if (check.kind === "rejected" && check.status === 404) return delivered(entry, io);
        if (check.kind !== "ok" && check.kind !== "rejected") return io.failed(entry, check);
        return io.failed(entry, {kind: "server", status: check.status}).then(function () { return "retry"; });
      });
    });
  }

  function send(entry, sess, io) {
    if (entry.kind === "edit") return sendEdit(entry, sess, io);
    if (entry.kind === "withdraw") return sendWithdrawal(entry, sess, io);
    return Promise.resolve("retry"); // a kind from a newer version of the app: kept until that version sends it
  }

  root.FK = root.FK || {};
  root.FK.changes = {send: send};
})(self);
