// Banner inspections in the outbox: an entry of kind "inspection" is POSTed to its banner, its photos PUT, and it
// leaves the outbox only when the banner's record on the server shows the inspection with every photo. The same
// steps as an activity's (outbox-sync.js); every request is idempotent on the inspection's uuid.
(function (root) {
  "use strict";
  var BANNERS = "/api/v1/banners/";
  var store = root.FK.store, sync = root.FK.sync, steps = sync.steps;

  function receipt(sess, entry) {
    return steps.api(sess, "GET", BANNERS + encodeURIComponent(entry.code)).then(function (answer) {
      if (answer.kind !== "ok") return {answer: answer};
      var found = (answer.data.inspections || []).filter(function (i) { return i.uuid === entry.uuid; })[0];
      return {answer: answer, inspection: found || null};
    });
  }

  function send(entry, sess) {
    var base = BANNERS + encodeURIComponent(entry.code) + "/inspections", photos = null;
    var chain = steps.mark(entry.uuid, {state: "sending"}).then(function () {
      if (entry.posted) {
        return receipt(sess, entry).then(function (r) {
          if (!r.inspection) return steps.failed(entry, r.answer.kind === "ok" ? {kind: "server"} : r.answer);
          photos = r.inspection.photos;
          return "ok";
        });
      }
      return steps.api(sess, "POST", base, JSON.stringify(entry.body), "application/json").then(function (answer) {
        if (answer.kind !== "ok") return steps.failed(entry, answer);
        photos = answer.data.photos;
        return steps.mark(entry.uuid, {posted: true, state: "on_server", error: null}).then(function () { return "ok"; });
      });
    });
    entry.photos.forEach(function (photo) {
      chain = chain.then(function (so) {
        if (so !== "ok" || steps.held(photos, photo)) return so;
        return store.photo(entry.uuid, photo.index).then(function (blob) {
          if (!blob) return steps.failed(entry, {kind: "rejected", code: "photo_missing"}, photo.index);
          var url = base + "/" + encodeURIComponent(entry.uuid) + "/photos/" + photo.index + steps.query(photo);
          return steps.api(sess, "PUT", url, blob, blob.type || "image/jpeg").then(function (answer) {
            return answer.kind === "ok" ? "ok" : steps.failed(entry, answer, photo.index);
          });
        });
      });
    });
    return chain.then(function (so) {
      if (so !== "ok") return so;
      return receipt(sess, entry).then(function (r) {
        if (r.answer.kind !== "ok") return steps.failed(entry, r.answer);
        var complete = r.inspection && entry.photos.every(function (p) { return steps.held(r.inspection.photos, p); });
        if (!complete) return steps.failed(entry, {kind: "server"}).then(function () { return "retry"; });
        return steps.mark(entry.uuid, {state: "complete", error: null}).then(function () {
          return store.remove(entry.uuid);
        }).then(function () { sync.notify({type: "delivered", uuid: entry.uuid}); return "delivered"; });
      });
    });
  }

  sync.register("inspection", send);
})(self);
