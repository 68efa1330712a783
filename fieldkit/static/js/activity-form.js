// The record-an-activity form: show the chosen type's fields, take a GPS fix, default the commune; for a new
// entry, save it in the phone's outbox with its downscaled photos and send it from there.
// Everything here is optional: without JavaScript the form still works with every field shown (a plain POST).
(function (root) {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) return;
  var FK = root.FK || {};
  var text = JSON.parse(document.getElementById("form-text").textContent);
  var goal = Number(form.dataset.accuracyGoal) || 100;
  var lat = form.elements.lat, lon = form.elements.lon, acc = form.elements.accuracy_m;
  var source = document.getElementById("location_source");
  var status = document.getElementById("gps-status");
  var commune = document.getElementById("declared_area_code");
  var communeTouched = false, watchId = null, timer = null, best = null;

  // Only the chosen type's fieldset is shown and submitted (disabled inputs are not sent).
  function chosenType() {
    var chosen = form.querySelector("input[name=type]:checked");
    return chosen ? chosen.value : "";
  }

  function showType() {
    form.querySelectorAll(".type-fields").forEach(function (set) {
      var on = set.dataset.type === chosenType();
      set.hidden = !on;
      set.disabled = !on;
    });
  }
  form.querySelectorAll("input[name=type]").forEach(function (r) { r.addEventListener("change", showType); });
  showType();

  function say(key, metres) {
    status.textContent = text[key].replace("{m}", metres === undefined ? "" : Math.round(metres))
      .replace("{goal}", goal);
    status.dataset.state = key;
  }

  // The commune of the point needs the server; offline the officer's own commune stays selected.
  function locate(latitude, longitude) {
    if (communeTouched || !navigator.onLine) return;
    fetch(form.dataset.locateUrl + "?lat=" + latitude + "&lon=" + longitude, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (area) { if (area && area.code && !communeTouched) commune.value = area.code; })
      .catch(function () { /* offline: the officer's scope stays selected */ });
  }

  // Keep the best fix seen, showing its accuracy as it improves; stop when it beats the goal or after 30 s.
  // The fix comes from the phone's GPS and needs no network.
  function onFix(position) {
    var c = position.coords;
    if (best && c.accuracy >= best.accuracy) return;
    best = {latitude: c.latitude, longitude: c.longitude, accuracy: c.accuracy};
    lat.value = c.latitude.toFixed(6);
    lon.value = c.longitude.toFixed(6);
    acc.value = Math.round(c.accuracy * 10) / 10;
    source.value = "gps";
    if (c.accuracy <= goal) { say("good", c.accuracy); stop(); } else { say("fix", c.accuracy); }
    locate(c.latitude, c.longitude);
  }

  function onError(error) {
    if (best) return;
    say(error.code === 1 ? "denied" : "unavailable");
    if (error.code === 1) stop();
  }

  function stop() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    clearTimeout(timer);
  }

  function start() {
    if (!("geolocation" in navigator)) { say("unsupported"); return; }
    stop();
    best = null;
    say("waiting");
    watchId = navigator.geolocation.watchPosition(onFix, onError,
      {enableHighAccuracy: true, maximumAge: 0, timeout: 30000});
    timer = setTimeout(function () {
      stop();
      if (best) say("best", best.accuracy); else say("unavailable");
    }, 30000);
  }

  function clearFix() {
    stop();
    best = null;
    lat.value = lon.value = acc.value = "";
    source.value = "none";
    say("none");
    commune.focus();
  }

  commune.addEventListener("change", function () { communeTouched = true; });
  [lat, lon].forEach(function (input) {
    input.addEventListener("input", function () { stop(); source.value = lat.value && lon.value ? "map" : "none"; });
  });
  document.querySelector(".gps-actions").hidden = false;
  document.getElementById("gps-start").addEventListener("click", start);
  document.getElementById("gps-clear").addEventListener("click", clearFix);

  var outbox = form.dataset.outbox === "1" && FK.store && FK.photos && FK.outbox && root.crypto && root.crypto.subtle;
  if (!outbox) {
    if (!lat.value) start();
    return;
  }

  // ---- A new entry goes to the outbox first --------------------------------------------------------------
  var notice = document.getElementById("saved-notice"), photoInput = form.elements.photos;
  var keptList = document.getElementById("kept-photos"), submit = form.querySelector("button[type=submit]");
  var fixing = null, kept = [], touched = false;
  var maxPhotos = Number(form.dataset.maxPhotos) || 5;

  function newUuid() {
    if (root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  function localNow() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes());
  }

  // "2025-11-20T09:30" as typed on the phone, with the phone's offset at that moment: 2025-11-20T09:30:00+07:00.
  function withOffset(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value || "");
    if (!m) return value;
    var d = new Date(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
    var minutes = -d.getTimezoneOffset(), sign = minutes < 0 ? "-" : "+";
    minutes = Math.abs(minutes);
    return m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + (m[6] || "00") + sign +
      pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }

  // Numbers go as JSON numbers when they read as one (a decimal comma too); anything else as typed, for the
  // server to name what is wrong with it.
  function value(input) {
    var raw = input.value.trim();
    var mode = input.getAttribute("inputmode");
    if (mode === "numeric" || mode === "decimal") {
      var normal = mode === "decimal" ? raw.replace(",", ".") : raw;
      if (/^-?\d+(\.\d+)?$/.test(normal)) return Number(normal);
    }
    return raw;
  }

  // The entry exactly as POST /api/v1/activities takes it: the common fields and the chosen type's own.
  function entryBody() {
    var body = {uuid: form.elements.uuid.value, type: chosenType(), occurred_at: withOffset(form.elements.occurred_at.value)};
    [lat, lon, acc].forEach(function (input) { if (input.value.trim()) body[input.name] = value(input); });
    body.location_source = lat.value.trim() && lon.value.trim() ? (source.value && source.value !== "none" ?
      source.value : "gps") : "none";
    if (commune.value) body.declared_area_code = commune.value;
    ["topic", "notes"].forEach(function (name) {
      if (form.elements[name].value.trim()) body[name] = form.elements[name].value.trim();
    });
    var own = form.querySelector(".type-fields[data-type='" + body.type + "']");
    if (own) {
      own.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
        if (input.value.trim()) body[input.name] = value(input);
      });
    }
    return body;
  }

  function clearErrors() {
    form.querySelectorAll(".error[data-outbox]").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".has-error[data-outbox]").forEach(function (node) {
      node.classList.remove("has-error");
      delete node.dataset.outbox;
    });
  }

  function showError(name, message) {
    var holder = document.getElementById("field-" + name) || document.getElementById("gps") || form;
    var p = document.createElement("p");
    p.className = "error";
    p.dataset.outbox = "1";
    p.setAttribute("role", "alert");
    p.textContent = message;
    holder.appendChild(p);
    if (!holder.classList.contains("has-error")) { holder.classList.add("has-error"); holder.dataset.outbox = "1"; }
  }

  // What can be checked on the phone, so an entry made offline is not refused hours later for it.
  function check(body, photoCount) {
    var problems = [];
    if (!body.type) problems.push(["type", text.need_type]);
    if (!body.occurred_at) problems.push(["occurred_at", text.need_time]);
    if (body.location_source === "none" && !body.declared_area_code && body.type !== "media") {
      problems.push(["declared_area_code", text.need_commune]);
    }
    if (photoCount > maxPhotos) problems.push(["photos", text.too_many_photos.replace("{n}", maxPhotos)]);
    return problems;
  }

  function tell(key, extra, kind) {
    notice.hidden = false;
    notice.className = "flash saved-notice " + (kind || "success");
    notice.dataset.state = key;
    notice.textContent = text[key].replace("{reason}", extra || "");
    if (key !== "preparing") {
      var link = document.createElement("a");
      link.href = "/outbox";
      link.textContent = " " + text.open_outbox;
      notice.appendChild(link);
    }
  }

  function renderKept() {
    keptList.textContent = "";
    keptList.hidden = kept.length === 0;
    kept.forEach(function (photo, i) {
      var li = document.createElement("li");
      li.textContent = "📷 " + (photo.meta.name || text.photo_n.replace("{n}", i + 1));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button";
      remove.textContent = text.remove;
      remove.addEventListener("click", function () { kept.splice(i, 1); renderKept(); });
      li.appendChild(remove);
      keptList.appendChild(li);
    });
  }

  function fresh() {
    form.elements.uuid.value = newUuid();
    form.elements.occurred_at.value = localNow();
  }

  // Ready for the next entry: same type and commune, a new uuid and time, a new GPS fix.
  function reset() {
    fresh();
    ["topic", "notes"].forEach(function (name) { form.elements[name].value = ""; });
    form.querySelectorAll(".type-fields input, .type-fields select, .type-fields textarea").forEach(function (input) {
      input.value = "";
    });
    photoInput.value = "";
    kept = [];
    renderKept();
    clearErrors();
    if (fixing) { fixing = null; history.replaceState(null, "", location.pathname); }
    touched = false;
    lat.value = lon.value = acc.value = "";
    source.value = "";
    start();
  }

  function prepareAll(files) {
    var out = [];
    return files.reduce(function (chain, file, i) {
      return chain.then(function () {
        return FK.photos.prepare(file).then(function (p) { out.push(p); }, function () {
          throw {field: "photos", message: text.photo_unreadable.replace("{n}", i + 1)};
        });
      });
    }, Promise.resolve()).then(function () { return out; });
  }

  function save(event) {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors();
    var body = entryBody(), files = Array.prototype.slice.call(photoInput.files || []);
    var problems = check(body, kept.length + files.length);
    if (problems.length) {
      problems.forEach(function (p) { showError(p[0], p[1]); });
      var first = document.getElementById("field-" + problems[0][0]);
      if (first) first.scrollIntoView({block: "center"});
      return;
    }
    if (fixing && fixing.error && fixing.error.code === "conflict") body.uuid = newUuid();
    submit.disabled = true;
    tell("preparing");
    prepareAll(files).then(function (prepared) {
      var photos = kept.map(function (k) { return {meta: k.meta, blob: k.blob}; }).concat(prepared.map(function (p) {
        return {meta: {sha256: p.sha256, width: p.width, height: p.height, taken_at: p.taken_at,
          photo_lat: p.photo_lat, photo_lon: p.photo_lon, name: p.name, size: p.blob.size}, blob: p.blob};
      }));
      photos.forEach(function (p, i) { p.meta = Object.assign({}, p.meta, {index: i}); });
      var now = new Date().toISOString();
      var entry = {
        uuid: body.uuid, officer: FK.outbox.officer, body: body, photos: photos.map(function (p) { return p.meta; }),
        state: "saved", posted: false, error: null, tries: 0, next_try_at: 0,
        created_at: fixing && fixing.uuid === body.uuid ? fixing.created_at : now, updated_at: now,
      };
      var replaced = fixing && fixing.uuid !== body.uuid ? FK.store.remove(fixing.uuid) : Promise.resolve();
      return replaced.then(function () {
        return FK.store.save(entry, photos.map(function (p) { return {index: p.meta.index, blob: p.blob}; }));
      }).then(function () { return entry; });
    }).then(function (entry) {
      submit.disabled = false;
      tell("saved_phone");
      FK.sync.notify({type: "changed", uuid: entry.uuid});
      FK.outbox.storage(true);
      FK.outbox.backgroundSync();
      reset();
      return FK.outbox.sync().then(function () { return FK.store.get(entry.uuid); }).then(function (left) {
        if (!left) {
          if (!touched) { location.assign("/activities/" + encodeURIComponent(entry.uuid)); return; }
          tell("delivered");
        } else if (left.state === "attention") {
          tell("attention", left.error && left.error.message, "error");
        } else if (notice.dataset.state === "saved_phone") {
          tell("saved_waiting");
        }
      });
    }).catch(function (error) {
      submit.disabled = false;
      if (error && error.field) { showError(error.field, error.message); notice.hidden = true; return; }
      tell("not_saved", String(error && error.message || error), "error");
    });
  }

  // Open an entry the server refused, with its fields, photos and the server's messages, to fix and resend.
  function openForFix(uuid) {
    return FK.store.get(uuid).then(function (entry) {
      if (!entry) return;
      fixing = entry;
      var b = entry.body;
      form.elements.uuid.value = b.uuid;
      var radio = form.querySelector("input[name=type][value='" + b.type + "']");
      if (radio) { radio.checked = true; showType(); }
      form.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
        if (input.type === "radio" || input.type === "file" || input.type === "hidden" && input.name !== "location_source" ||
            input.name === "csrf_token") return;
        if (input.name === "occurred_at") { input.value = (b.occurred_at || "").slice(0, 16); return; }
        input.value = b[input.name] === undefined || b[input.name] === null ? "" : b[input.name];
      });
      communeTouched = true;
      if (b.location_source === "none") say("none"); else if (b.accuracy_m !== undefined) say("fix", b.accuracy_m);
      var fields = entry.error && entry.error.fields || {};
      Object.keys(fields).forEach(function (name) { showError(name, fields[name].join(" ")); });
      if (entry.error && entry.error.message && !Object.keys(fields).length) tell("attention", entry.error.message, "error");
      return Promise.all(entry.photos.map(function (meta) {
        return FK.store.photo(uuid, meta.index).then(function (blob) { return {meta: meta, blob: blob}; });
      })).then(function (photos) {
        kept = photos.filter(function (p) { return p.blob; });
        renderKept();
      });
    });
  }

  form.addEventListener("submit", save);
  form.addEventListener("input", function (event) { if (event.isTrusted) touched = true; });
  var asked = new URLSearchParams(location.search).get("outbox");
  if (asked) {
    openForFix(asked).catch(function () { /* not on this phone: an empty form */ });
  } else {
    if (form.dataset.fresh === "1") fresh();
    if (!lat.value) start();
  }
})(self);
