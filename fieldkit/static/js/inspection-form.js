// The inspection form: the banner's code (scanned from its label, or typed), what was found, where, a note and
// photos; saved in the outbox first, then sent (outbox-inspection.js), so nothing is lost without a connection.
(function (root) {
  "use strict";
  var form = document.getElementById("inspect-form");
  if (!form) return;
  var text = JSON.parse(document.getElementById("inspect-text").textContent);
  var status = document.getElementById("inspect-status"), code = form.elements.code;
  var found = document.getElementById("banner-found"), video = document.getElementById("scan-video");
  var fix = null, camera = null;

  function newUuid() {
    if (root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function pad(n) { return String(Math.floor(Math.abs(n))).padStart(2, "0"); }

  // Now on the phone's clock, with its offset: 2025-11-20T09:30:00+07:00.
  function isoNow() {
    var d = new Date(), off = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + (off >= 0 ? "+" : "-") + pad(off / 60) + ":" + pad(off % 60);
  }

  function tell(message, kind) {
    status.textContent = message;
    status.className = "flash " + (kind || "");
    status.hidden = !message;
  }

  // Show which banner the code names, when the server can be asked; offline the code is checked on delivery.
  function lookUp(value) {
    found.textContent = "";
    if (!value || !navigator.onLine) return;
    fetch("/api/v1/banners/" + encodeURIComponent(value), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (b) { found.textContent = [b.code, b.message, b.area_name].filter(Boolean).join(" · "); },
        function (status) { if (status === 404) found.textContent = text.unknown; });
  }

  function useCode(raw) {
    var value = root.FK.qr.codeOf(raw);
    if (!value) { tell(text.not_a_label, "error"); return false; }
    code.value = value;
    tell(text.scanned.replace("{code}", value), "saved-notice");
    lookUp(value);
    return true;
  }

  document.getElementById("scan-camera").addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { tell(text.no_camera, "error"); return; }
    video.hidden = false;
    camera = root.FK.qr.fromCamera(video);
    camera.done.then(useCode, function () { /* stopped, or no camera allowed */ }).finally(function () {
      video.hidden = true;
    });
  });

  document.getElementById("scan-file").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    root.FK.qr.fromImage(file).then(function (value) {
      if (!value || !useCode(value)) tell(text.not_read, "error");
    }, function () { tell(text.not_read, "error"); });
    event.target.value = "";
  });

  code.addEventListener("change", function () {
    var value = root.FK.qr.codeOf(code.value);
    if (value) { code.value = value; lookUp(value); }
  });

  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(function (p) {
      if (!fix || p.coords.accuracy < fix.accuracy) fix = p.coords;
    }, function () { /* recorded without a position */ }, {enableHighAccuracy: true, maximumAge: 30000});
  }

  function prepare(files) {
    if (!files.length || !root.FK.photos) return Promise.resolve([]);
    return Promise.all(files.map(function (file) { return root.FK.photos.prepare(file); }));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = root.FK.qr.codeOf(code.value), state = form.querySelector("input[name=state]:checked");
    if (!value) { tell(text.need_code, "error"); code.focus(); return; }
    if (!state) { tell(text.need_state, "error"); return; }
    var files = Array.prototype.slice.call(form.elements.photos.files || [], 0, Number(form.dataset.maxPhotos));
    var body = {uuid: newUuid(), state: state.value, observed_at: isoNow(), note: form.elements.note.value.trim()};
    if (fix) {
      body.lat = fix.latitude;
      body.lon = fix.longitude;
      body.accuracy_m = Math.round(fix.accuracy * 10) / 10;
      body.location_source = "gps";
    }
    tell(text.saving);
    prepare(files).then(function (prepared) {
      var now = new Date().toISOString(), metas = prepared.map(function (p, i) {
        return {index: i, sha256: p.sha256, width: p.width, height: p.height, taken_at: p.taken_at,
          photo_lat: p.photo_lat, photo_lon: p.photo_lon, name: p.name, size: p.blob.size};
      });
      var entry = {
        kind: "inspection", uuid: body.uuid, code: value, officer: form.dataset.officer,
        label: text.entry_label.replace("{code}", value), body: body, photos: metas,
        state: "saved", posted: false, error: null, tries: 0, next_try_at: 0, created_at: now, updated_at: now,
      };
      var blobs = prepared.map(function (p, i) { return {index: i, blob: p.blob}; });
      return root.FK.store.save(entry, blobs).then(function () { return entry; });
    }).then(function (entry) {
      form.reset();
      found.textContent = "";
      tell(text.saved);
      root.FK.sync.notify({type: "changed", uuid: entry.uuid});
      return root.FK.sync.run().then(function () { return root.FK.store.get(entry.uuid); }).then(function (left) {
        if (!left) tell(text.delivered.replace("{code}", entry.code), "saved-notice");
        else if (left.state === "attention") tell(text.refused.replace("{reason}", left.error.message), "error");
        else tell(text.saved_waiting);
      });
    }).catch(function (error) { tell(text.not_saved.replace("{reason}", String(error && error.message || error)), "error"); });
  });

  root.addEventListener("online", function () { root.FK.sync.run(); });
  if (code.value) lookUp(code.value);
})(self);
