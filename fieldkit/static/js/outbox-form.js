// A new entry goes to the phone's outbox first: the entry JSON exactly as the API takes it, with its photos
// downscaled on the phone, saved in IndexedDB, then sent from there. The officer sees "saved on the phone" at once,
// then the state; an entry the server refused opens here (?outbox=<uuid>) to be fixed and sent again.
// Without an outbox (no IndexedDB, no crypto.subtle, an entry being edited) the form posts as it always did.
(function (root) {
  "use strict";
  var FK = root.FK || {}, form = document.getElementById("activity-form");
  if (!form || !/^(1|edit)$/.test(form.dataset.outbox || "") || !FK.form || !FK.store || !FK.photos || !FK.outbox ||
      !root.crypto || !root.crypto.subtle) return;
  var text = FK.form.text, lat = form.elements.lat, lon = form.elements.lon, acc = form.elements.accuracy_m;
  var source = document.getElementById("location_source"), commune = document.getElementById("declared_area_code");
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
    var body = {uuid: form.elements.uuid.value, type: FK.form.chosenType(),
      occurred_at: withOffset(form.elements.occurred_at.value)};
    [lat, lon, acc].forEach(function (input) { if (input.value.trim()) body[input.name] = value(input); });
    body.location_source = lat.value.trim() && lon.value.trim() ? (source.value && source.value !== "none" ?
      source.value : "gps") : "none";
    if (commune.value) body.declared_area_code = commune.value;
    ["topic", "notes"].forEach(function (name) {
      if (form.elements[name].value.trim()) body[name] = form.elements[name].value.trim();
    });
    // The cost and its funding source (a fieldset of their own, for every type).
    form.querySelectorAll(".money-fields input[name], .money-fields select[name]").forEach(function (input) {
      if (input.value.trim()) body[input.name] = value(input);
    });
    var own = form.querySelector(".type-fields[data-type='" + body.type + "']");
    if (own) {
      own.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
        if (input.value.trim()) body[input.name] = value(input);
      });
    }
    var models = form.querySelector(".role-model-fields");
    if (models && models.getAttribute("data-types").split(" ").indexOf(body.type) >= 0) {
      var ids = [].map.call(models.querySelectorAll("input:checked"), function (box) { return Number(box.value); });
      if (ids.length) body.role_model_ids = ids;
    }
    return body;
  }

  function clearErrors() {
    if (FK.rules) FK.rules.clear();
    form.querySelectorAll(".error[data-outbox]").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".has-error[data-outbox]").forEach(function (node) {
      node.classList.remove("has-error");
      delete node.dataset.outbox;
    });
  }

  function showError(name, message) {
    if (FK.rules) { FK.rules.show(name, message); return; }
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
    var problems = FK.rules ? FK.rules.check() : [];
    if (photoCount > maxPhotos) problems.push(["photos", text.too_many_photos.replace("{n}", maxPhotos)]);
    if (FK.rules) return problems;
    if (!body.type) problems.push(["type", text.need_type]);
    if (!body.occurred_at) problems.push(["occurred_at", text.need_time]);
    var kind = form.querySelector("input[name=type]:checked");
    var needsPosition = !kind || kind.dataset.needsPosition !== "0";
    if (body.location_source === "none" && !body.declared_area_code && needsPosition) {
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
      link.textContent = text.open_outbox;
      notice.appendChild(document.createTextNode(" "));
      notice.appendChild(link);
    }
    if (key === "saved_waiting" || key === "delivered") {
      var again = document.createElement("a");
      again.href = "/activities/new";
      again.className = "button";
      again.dataset.recordAnother = "1";
      again.textContent = text.record_another;
      notice.appendChild(document.createTextNode(" "));
      notice.appendChild(again);
    }
  }

  function renderKept() {
    if (FK.picker) { FK.picker.set(kept); return; } // photo-picker.js shows them
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
    form.querySelectorAll(".role-model-fields input").forEach(function (box) { box.checked = false; });
    photoInput.value = "";
    kept = [];
    renderKept();
    clearErrors();
    if (fixing) { fixing = null; history.replaceState(null, "", location.pathname); }
    touched = false;
    lat.value = lon.value = acc.value = "";
    source.value = "";
    FK.form.start();
    root.scrollTo(0, 0);
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
    if (FK.picker) kept = FK.picker.items();
    var body = entryBody(), files = FK.picker ? [] : Array.prototype.slice.call(photoInput.files || []);
    var problems = check(body, kept.length + files.length);
    if (problems.length && FK.rules) { FK.rules.report(problems); return; }
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
      // Online, the form waits for the server's answer: a refusal leaves it filled and nothing in the outbox.
      var online = navigator.onLine && !fixing && !!FK.rules;
      tell("saved_phone");
      FK.sync.notify({type: "changed", uuid: entry.uuid});
      FK.outbox.storage(true);
      FK.outbox.backgroundSync();
      if (!online) { saved(entry); reset(); }
      return FK.outbox.sync().then(function () { return FK.store.get(entry.uuid); }).then(function (left) {
        var refused = online && left && left.state === "attention" && !left.posted && left.error &&
          left.error.status === 400;
        if (refused) return refusedOnline(left);
        if (online) { saved(entry); if (left) reset(); }
        if (!left) {
          if (online || !touched) {
            location.assign("/activities/" + encodeURIComponent(entry.uuid) + "?saved=1");
            return;
          }
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
      // The phone cannot keep it (storage refused or full): with a connection, post the form as without JavaScript.
      if (navigator.onLine && !fixing) { form.submit(); return; }
      tell("not_saved", String(error && error.message || error), "error");
    });
  }

  // Saved for good (on the phone or on the server): the draft goes, and the page may be left without asking.
  function saved(entry) {
    submit.disabled = false;
    form.dispatchEvent(new CustomEvent("fk:saved", {detail: {uuid: entry.uuid}}));
  }

  // The server refused an entry saved online: take it out of the outbox and show why at the fields.
  function refusedOnline(entry) {
    return FK.store.remove(entry.uuid).then(function () {
      FK.sync.notify({type: "changed", uuid: entry.uuid});
      submit.disabled = false;
      notice.hidden = true;
      var problems = FK.rules.fromApi(entry.error.fields);
      FK.rules.report(problems.length ? problems : [["", entry.error.message]]);
    });
  }
  function box(input, ids) { input.checked = (ids || []).indexOf(Number(input.value)) >= 0; }

  // Open an entry the server refused, with its fields, photos and the server's messages, to fix and resend.
  function openForFix(uuid) {
    return FK.store.get(uuid).then(function (entry) {
      if (!entry) return;
      fixing = entry;
      var b = entry.body;
      form.elements.uuid.value = b.uuid;
      var radio = form.querySelector("input[name=type][value='" + b.type + "']");
      if (radio) { radio.checked = true; FK.form.showType(); }
      form.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
        if (input.name === "role_model_ids") { box(input, b.role_model_ids); return; }
        var skip = input.type === "radio" || input.type === "file" || input.name === "csrf_token" ||
          input.type === "hidden" && input.name !== "location_source";
        if (skip) return;
        if (input.name === "occurred_at") { input.value = (b.occurred_at || "").slice(0, 16); return; }
        input.value = b[input.name] === undefined || b[input.name] === null ? "" : b[input.name];
      });
      FK.form.communeChosen();
      if (b.location_source === "none") FK.form.say("none");
      else if (b.accuracy_m !== undefined) FK.form.say("fix", b.accuracy_m);
      var fields = entry.error && entry.error.fields || {};
      if (FK.rules) FK.rules.fromApi(fields).forEach(function (p) { showError(p[0], p[1]); });
      else Object.keys(fields).forEach(function (name) { showError(name, fields[name].join(" ")); });
      if (entry.error && entry.error.message && !Object.keys(fields).length) {
        tell("attention", entry.error.message, "error");
      }
      return Promise.all(entry.photos.map(function (meta) {
        return FK.store.photo(uuid, meta.index).then(function (blob) { return {meta: meta, blob: blob}; });
      })).then(function (photos) {
        kept = photos.filter(function (p) { return p.blob; });
        renderKept();
      });
    });
  }

  // An edit of a stored entry is saved by outbox-edits.js, with the same body, checks and notices.
  FK.entryForm = {body: entryBody, check: check, showError: showError, clearErrors: clearErrors, tell: tell};
  if (form.dataset.outbox === "edit") return;
  form.addEventListener("submit", save);
  form.addEventListener("input", function (event) { if (event.isTrusted) touched = true; });
  var asked = new URLSearchParams(location.search).get("outbox");
  if (asked) openForFix(asked).catch(function () { /* not on this phone: an empty form */ });
  else if (form.dataset.fresh === "1") fresh();
})(self);
