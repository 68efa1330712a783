// The outbox page: each entry waiting on this phone with its state and last error; send now; save the unsent
// entries (with their photos) to one file; fix, or discard after confirming, an entry the server refused.
(function (root) {
  "use strict";
  var FK = root.FK, list = document.getElementById("outbox-entries");
  if (!FK || !FK.outbox || !list) return;
  var text = JSON.parse(document.getElementById("outbox-page-text").textContent);
  var format = FK.outbox.format, status = document.getElementById("outbox-status");

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // "2025-11-20T09:30:00+07:00" as the phone showed it: 20/11/2025 09:30.
  function when(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] + " " + m[4] + ":" + m[5] : "";
  }

  function problem(entry) {
    var e = entry.error;
    if (entry.officer !== FK.outbox.officer) return format(text.other_officer, {officer: entry.officer});
    if (!e) return "";
    if (e.kind === "auth") return text.logged_out;
    if (e.kind === "retry") {
      var reason = e.status ? format(text.server_status, {status: e.status}) : text.no_connection;
      return format(text.retry, {reason: e.message ? reason + " — " + e.message : reason});
    }
    if (entry.kind && e.message && e.status === 409) return e.message; // stale or verified: the server says which
    var fields = Object.keys(e.fields || {}).length > 0;
    var message = e.code === "photo_missing" ? text.photo_missing : fields ? text.refused_fields : e.message;
    if (e.photo === null || e.photo === undefined) return message;
    return format(text.photo_error, {n: e.photo + 1, message: message});
  }

  function button(label, className, action) {
    var b = el("button", "button " + className, label);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  function row(entry) {
    var kind = text.types[entry.body.type] || {label: entry.label || entry.body.type, icon: "?", colour: "#777"};
    var item = el("li", "outbox-entry");
    item.dataset.uuid = entry.uuid;
    item.dataset.state = entry.state;
    var dot = el("span", "type-dot", kind.icon);
    dot.style.background = kind.colour;
    var what = el("div", "what");
    var title = el("strong", "", kind.label);
    what.appendChild(title);
    what.appendChild(document.createTextNode(" — " + (entry.body.topic || text.no_topic)));
    if (entry.kind) what.appendChild(el("span", "change change-" + entry.kind, text.kinds[entry.kind] || entry.kind));
    what.appendChild(el("br"));
    what.appendChild(el("small", "", when(entry.body.occurred_at) +
      (entry.photos.length ? " · 📷 " + entry.photos.length : "")));
    what.appendChild(el("br"));
    what.appendChild(el("span", "state state-" + entry.state, text.states[entry.state] || entry.state));
    var why = problem(entry);
    if (why) what.appendChild(el("p", entry.state === "attention" ? "error" : "hint", why));
    var fields = entry.error && entry.error.fields || {};
    if (entry.state === "attention" && Object.keys(fields).length && !(entry.kind && entry.error.status === 409)) {
      var ul = el("ul", "field-errors");
      Object.keys(fields).forEach(function (name) {
        ul.appendChild(el("li", "", (text.fields[name] || name) + ": " + fields[name].join(" ")));
      });
      what.appendChild(ul);
    }
    if (entry.state === "attention") {
      var actions = el("div", "entry-actions");
      var photoIndex = entry.error && entry.error.photo;
      if (entry.posted && photoIndex !== null && photoIndex !== undefined) {
        actions.appendChild(button(format(text.remove_photo, {n: photoIndex + 1}), "", function () {
          removePhoto(entry, photoIndex);
        }));
      } else if (entry.kind === "edit" && entry.error && entry.error.code !== "verified") {
        var open = el("a", "button primary", text.fix);
        open.href = "/activities/" + encodeURIComponent(entry.uuid) + "/edit";
        open.dataset.action = "fix";
        actions.appendChild(open);
      } else if (!entry.posted && !entry.kind) {
        var fix = el("a", "button primary", text.fix);
        fix.href = "/activities/new?outbox=" + encodeURIComponent(entry.uuid);
        fix.dataset.action = "fix";
        actions.appendChild(fix);
      }
      var discard = button(text.discard, "danger", function () { discardEntry(entry); });
      discard.dataset.action = "discard";
      actions.appendChild(discard);
      what.appendChild(actions);
    }
    item.appendChild(dot);
    item.appendChild(what);
    return item;
  }

  function render() {
    return FK.store.all().then(function (entries) {
      list.textContent = "";
      entries.forEach(function (entry) { list.appendChild(row(entry)); });
      document.getElementById("outbox-empty").hidden = entries.length > 0;
      document.getElementById("outbox-export").disabled = entries.length === 0;
      return entries;
    });
  }

  function discardEntry(entry) {
    if (!root.confirm(entry.kind ? text.confirm_discard_change : text.confirm_discard)) return;
    FK.store.remove(entry.uuid).then(function () { FK.sync.notify({type: "changed", uuid: entry.uuid}); });
  }

  // A photo the server refuses (the record itself is there): drop it from the entry, then send the rest.
  function removePhoto(entry, index) {
    if (!root.confirm(format(text.confirm_remove_photo, {n: index + 1}))) return;
    var photos = entry.photos.filter(function (p) { return p.index !== index; });
    Promise.all(photos.map(function (p) {
      return FK.store.photo(entry.uuid, p.index).then(function (blob) { return {index: p.index, blob: blob}; });
    })).then(function (blobs) {
      var changed = Object.assign({}, entry,
        {photos: photos, state: "on_server", error: null, tries: 0, next_try_at: 0});
      return FK.store.save(changed, blobs);
    }).then(function () {
      FK.sync.notify({type: "changed", uuid: entry.uuid});
      return sendNow();
    });
  }

  function sendNow() {
    status.textContent = text.sending;
    return FK.outbox.sync().then(function (result) {
      if (!result) return;
      if (result.offline) status.textContent = text.offline;
      else if (result.auth) status.textContent = text.logged_out;
      else if (result.waiting) {
        status.textContent = (result.delivered ? format(text.sent, {n: result.delivered}) + " " : "") + text.not_sent;
      }
      else status.textContent = format(text.sent, {n: result.delivered});
    });
  }

  function base64(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result).split(",")[1] || ""); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }

  // One JSON file: every entry on the phone with its photos (base64, with their sha256); the server's import
  // takes it idempotently, per uuid.
  function exportFile() {
    FK.store.all().then(function (entries) {
      if (!entries.length) { status.textContent = text.nothing_to_save; return; }
      return Promise.all(entries.map(function (entry) {
        return Promise.all(entry.photos.map(function (p) {
          return FK.store.photo(entry.uuid, p.index).then(function (blob) {
            return blob ? base64(blob) : "";
          }).then(function (data) {
            return {
              index: p.index, type: "image/jpeg", sha256: p.sha256, width: p.width, height: p.height,
              taken_at: p.taken_at, photo_lat: p.photo_lat, photo_lon: p.photo_lon, data: data,
            };
          });
        })).then(function (photos) {
          return {uuid: entry.uuid, kind: entry.kind || "new", removals: entry.removals || [],
            officer: entry.officer, state: entry.state, saved_at: entry.created_at,
            error: entry.error || null, activity: entry.body, photos: photos};
        });
      })).then(function (items) {
        var now = new Date(), stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
        var name = "fieldkit-" + (FK.outbox.officer || "outbox") + "-" + stamp + ".json";
        var doc = {format: "fieldkit-outbox", version: 1, exported_at: now.toISOString(),
          officer: FK.outbox.officer, entries: items};
        var url = URL.createObjectURL(new Blob([JSON.stringify(doc)], {type: "application/json"}));
        var link = el("a");
        link.href = url;
        link.download = name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        status.textContent = format(text.saved_file, {n: items.length, file: name});
      });
    }).catch(function (error) { status.textContent = format(text.save_failed, {reason: String(error)}); });
  }

  function showStorage() {
    FK.outbox.storage(true).then(function (info) {
      var note = document.getElementById("outbox-storage");
      note.textContent = FK.outbox.describeStorage(info);
      note.classList.toggle("warn", !info.persisted);
      note.dataset.persisted = info.persisted ? "yes" : "no";
    });
  }

  document.getElementById("outbox-send").addEventListener("click", sendNow);
  document.getElementById("outbox-export").addEventListener("click", exportFile);
  FK.sync.onChange(render);
  render();
  showStorage();
})(self);
