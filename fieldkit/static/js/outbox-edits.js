// Changes to a stored entry go through the outbox like new entries, so they survive a missing connection: the edit
// form saves the edit (the entry as PUT takes it, with the version the page showed, its new photos downscaled on the
// phone and the stored photos it removes); the entry page's "Withdraw" saves a withdrawal. One change per entry
// waits at a time: a newer one replaces it, and the edit form opens with the waiting edit's content.
(function (root) {
  "use strict";
  var FK = root.FK || {};
  if (!FK.store || !FK.outbox || !FK.sync) return;
  var textNode = document.getElementById("edits-text");
  var text = textNode ? JSON.parse(textNode.textContent) : {};

  function now() { return new Date().toISOString(); }

  function change(kind, uuid, body, photos, removals, earlier) {
    var at = now();
    return {
      uuid: uuid, kind: kind, officer: FK.outbox.officer, body: body, removals: removals || [],
      saved_id: at + Math.random().toString(36).slice(2),
      photos: (photos || []).map(function (p) { return p.meta; }), state: "saved", posted: false, error: null,
      tries: 0, next_try_at: 0, created_at: earlier ? earlier.created_at : at, updated_at: at,
    };
  }

  // Send now; resolve with what is left of the change on the phone (null once the server's receipt showed it).
  function sendNow(uuid) {
    FK.sync.notify({type: "changed", uuid: uuid});
    FK.outbox.storage(true);
    FK.outbox.backgroundSync();
    return FK.outbox.sync().then(function () { return FK.store.get(uuid); });
  }

  function note(node, message, kind) {
    node.hidden = !message;
    node.className = "flash " + (kind || "info");
    node.textContent = message || "";
    if (!message || kind === "success") return;
    var link = document.createElement("a");
    link.href = "/outbox";
    link.textContent = text.open_outbox;
    node.appendChild(document.createTextNode(" "));
    node.appendChild(link);
  }

  // ---- the edit form ---------------------------------------------------------------------------------------------

  function blank(value) { return value === undefined || value === null ? "" : String(value); }

  // Put a waiting edit into the form: only what it changed from the page it was made on (its base), so that an
  // edit refused as stale is redone on the entry as it now stands, not over what changed meanwhile.
  function fill(form, body, base) {
    Object.keys(Object.assign({}, base || {}, body)).forEach(function (name) {
      if (name === "uuid" || name === "version" || base && blank(body[name]) === blank(base[name])) return;
      if (name === "type") {
        var radio = form.querySelector("input[name=type][value='" + body.type + "']");
        if (radio) { radio.checked = true; FK.form.showType(); }
        return;
      }
      var input = form.elements[name];
      if (!input || input.type === "file" || input.length) return;
      input.value = name === "occurred_at" ? blank(body[name]).slice(0, 16) : blank(body[name]);
    });
    FK.form.communeChosen();
  }

  function editForm(form) {
    var entryForm = FK.entryForm, picker = FK.picker, submit = form.querySelector("button[type=submit]");
    var uuid = form.elements.uuid.value, version = Number(form.dataset.version) || null, waiting = null;
    var banner = document.getElementById("edit-waiting"), base = entryForm.body();

    function save(event) {
      event.preventDefault();
      if (submit.disabled) return;
      entryForm.clearErrors();
      var body = entryForm.body();
      body.uuid = uuid;
      body.version = version;
      var problems = entryForm.check(body, picker.count());
      if (problems.length) {
        problems.forEach(function (p) { entryForm.showError(p[0], p[1]); });
        var first = document.getElementById("field-" + problems[0][0]);
        if (first) first.scrollIntoView({block: "center"});
        return;
      }
      var plan = picker.plan();
      var entry = change("edit", uuid, body, plan.photos, plan.removals, waiting);
      entry.base = base; // what this page showed: the edit is the difference from it
      submit.disabled = true;
      entryForm.tell("preparing");
      FK.store.save(entry, plan.photos.map(function (p) { return {index: p.index, blob: p.blob}; })).then(function () {
        waiting = entry;
        touched = false; // what the form shows is what waits
        submit.disabled = false;
        entryForm.tell("saved_phone");
        return sendNow(uuid);
      }).then(function (left) {
        if (!left) { location.assign("/activities/" + encodeURIComponent(uuid) + "?sent=1"); return; }
        if (left.state === "attention") entryForm.tell("attention", left.error && left.error.message, "error");
        else entryForm.tell("saved_waiting");
      }).catch(function (error) {
        submit.disabled = false;
        entryForm.tell("not_saved", String(error && error.message || error), "error");
      });
    }

    form.addEventListener("submit", save);
    // A waiting edit reached the server: show the entry, unless the officer is typing a newer change (which then
    // builds on the version that edit made).
    var touched = false;
    form.addEventListener("input", function (event) { if (event.isTrusted) touched = true; });
    FK.sync.onChange(function (message) {
      if (message.type !== "delivered" || message.uuid !== uuid) return;
      if (!touched || submit.disabled) location.assign("/activities/" + uuid + "?sent=1");
      else if (message.version) version = message.version;
    });
    // The page may be a copy kept before this phone's last edit of the entry: then that edit's version counts.
    FK.store.meta("version:" + uuid).then(function (known) {
      if (known && (!version || known > version)) version = known;
    }).catch(function () { /* none known */ });
    // A change of this entry already waits on the phone: show it, to go on from there.
    FK.store.get(uuid).then(function (entry) {
      if (!entry || entry.officer !== FK.outbox.officer) return;
      waiting = entry;
      if (entry.posted && entry.version && entry.version > (version || 0)) version = entry.version;
      if (entry.kind === "withdraw") { note(banner, text.withdrawal_waiting, "warn"); return; }
      if (entry.kind !== "edit") return;
      fill(form, entry.body, entry.base);
      var problem = entry.state === "attention" && entry.error && entry.error.message;
      var fields = problem && entry.error.status !== 409 && entry.error.fields || {};
      Object.keys(fields).forEach(function (name) { entryForm.showError(name, fields[name].join(" ")); });
      note(banner, problem ? text.edit_refused.replace("{reason}", problem) : text.edit_waiting,
        problem ? "error" : "warn");
      return Promise.all(entry.photos.map(function (meta) {
        return FK.store.photo(uuid, meta.index).then(function (blob) { return {meta: meta, blob: blob}; });
      })).then(function (photos) { picker.restore(photos, entry.removals); });
    }).catch(function () { /* nothing kept on this phone */ });
  }

  // ---- the entry page: a waiting change, and the withdrawal -------------------------------------------------------

  function entryPage(section) {
    var uuid = section.dataset.uuid, banner = document.getElementById("edit-waiting");
    var withdraw = document.getElementById("withdraw-form");

    function show(entry) {
      if (!entry || entry.officer !== FK.outbox.officer) { note(banner, ""); return; }
      var refused = entry.state === "attention" && entry.error && entry.error.message;
      if (refused) { note(banner, text.change_refused.replace("{reason}", refused), "error"); return; }
      note(banner, entry.kind === "withdraw" ? text.withdrawal_waiting : text.edit_waiting, "warn");
    }

    FK.store.get(uuid).then(function (entry) {
      show(entry);
      // Sent from the edit form: the page now shows what the server holds.
      if (!entry && new URLSearchParams(location.search).get("sent")) note(banner, text.sent, "success");
    }).catch(function () { /* nothing kept on this phone */ });
    // A change that waited reached the server while the page was open: show the entry as it now is, or the list.
    FK.sync.onChange(function (message) {
      if (message.type !== "delivered" || message.uuid !== uuid) return;
      if (message.kind === "withdraw") location.assign("/activities");
      else location.assign("/activities/" + uuid + "?sent=1");
    });
    FK.sync.onChange(function (message) {
      if (message.type === "changed" && message.uuid === uuid) FK.store.get(uuid).then(show);
    });
    if (!withdraw) return;
    withdraw.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = withdraw.querySelector("button[type=submit]");
      if (button.disabled) return;
      button.disabled = true;
      var body = {uuid: uuid, type: section.dataset.type, topic: section.dataset.topic,
        occurred_at: section.dataset.occurredAt};
      FK.store.get(uuid).then(function (earlier) {
        var entry = change("withdraw", uuid, body, [], [], earlier);
        return FK.store.save(entry, []);
      }).then(function () {
        note(banner, text.withdrawal_saved, "warn");
        return sendNow(uuid);
      }).then(function (left) {
        if (!left) { location.assign("/activities"); return; }
        button.disabled = false;
        show(left);
      }).catch(function (error) {
        button.disabled = false;
        note(banner, text.not_saved.replace("{reason}", String(error && error.message || error)), "error");
      });
    });
  }

  var form = document.getElementById("activity-form");
  if (form && form.dataset.outbox === "edit" && FK.entryForm && FK.picker && FK.form) editForm(form);
  var section = document.getElementById("entry");
  if (section && section.dataset.uuid) entryPage(section);
})(self);
