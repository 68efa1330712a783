// Drafts: the new entry being typed is kept in localStorage, per officer, on every change, so that it survives
// leaving the page and closing the browser. The form restores it; the home page offers to resume or discard it;
// a changed form asks before the page is left; a saved entry clears it. The position is not kept (a new GPS fix
// is taken when the form opens again), nor are photos.
(function (root) {
  "use strict";
  var officer = (document.querySelector("meta[name=fieldkit-officer]") || {}).content || "";
  var textNode = document.getElementById("draft-text");
  if (!officer || !textNode || !root.localStorage) return;
  var text = JSON.parse(textNode.textContent), KEY = "fieldkit-draft:" + officer;
  var SKIP = {csrf_token: 1, lat: 1, lon: 1, accuracy_m: 1, location_source: 1, photos: 1};
  var FILLED_BY_THE_PAGE = {uuid: 1, type: 1, occurred_at: 1, declared_area_code: 1};

  function read() {
    try { return JSON.parse(root.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }

  function discard() {
    try { root.localStorage.removeItem(KEY); } catch (e) { /* storage off: nothing kept */ }
  }

  function when(draft) {
    return new Date(draft.saved_at).toLocaleString(document.documentElement.lang || "vi",
      {day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit"});
  }

  function say(node, template, draft) {
    node.textContent = template.replace("{time}", when(draft)).replace("{topic}", draft.values.topic || "—");
  }

  // Home: the offer to resume or discard.
  var offer = document.getElementById("draft-offer");
  if (offer) {
    var found = read();
    if (found && found.values) {
      say(offer.querySelector("[data-draft-what]"), text.offer, found);
      offer.hidden = false;
      offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
        discard();
        offer.hidden = true;
      });
    }
  }

  // An entry page reached after a save: the draft of that entry is done with.
  var savedNode = document.querySelector("[data-saved-uuid]");
  if (savedNode) {
    var kept = read();
    if (kept && kept.values && kept.values.uuid === savedNode.dataset.savedUuid) discard();
  }

  var form = document.getElementById("activity-form");
  if (!form || form.dataset.outbox !== "1" || new URLSearchParams(location.search).get("outbox")) return;
  var FK = root.FK || {}, changed = false, leaving = false;

  function values() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "file" || el.disabled && el.type !== "radio") return;
      if (el.type === "radio") { if (el.checked) out[el.name] = el.value; return; }
      if (el.closest("fieldset[disabled]")) return;
      out[el.name] = el.value;
    });
    return out;
  }

  function keep() {
    var now = values();
    var typed = Object.keys(now).some(function (name) { return !FILLED_BY_THE_PAGE[name] && now[name].trim() !== ""; });
    if (!typed) { discard(); return; }
    try {
      root.localStorage.setItem(KEY, JSON.stringify({saved_at: new Date().toISOString(), values: now}));
    } catch (e) { /* storage full or off: the form still works, without a draft */ }
  }

  function restore(draft) {
    var v = draft.values;
    var radio = v.type && form.querySelector("input[name=type][value='" + v.type + "']");
    if (radio) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", {bubbles: true}));
      if (FK.form) FK.form.showType();
    }
    Object.keys(v).forEach(function (name) {
      var el = form.elements[name];
      if (!el || name === "type" || !("value" in el) || el.type === "file") return;
      el.value = v[name];
    });
    if (v.declared_area_code && FK.form) FK.form.communeChosen();
    if (FK.rules) FK.rules.mark();
    var note = document.getElementById("draft-restored");
    if (note) {
      say(note.querySelector("[data-draft-what]"), text.restored, draft);
      note.hidden = false;
      note.querySelector("[data-draft-discard]").addEventListener("click", function () {
        discard();
        changed = false;
        leaving = true;
        location.replace(location.pathname);
      });
    }
  }

  var draft = read();
  if (draft && draft.values) restore(draft);

  function onChange(event) {
    if (!event.isTrusted) return;
    changed = true;
    keep();
  }
  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);
  // Saved on the phone or on the server: nothing is left to lose.
  form.addEventListener("fk:saved", function () { discard(); changed = false; });
  // A form that posts itself (no outbox on this phone) leaves the page on purpose; its entry page clears the draft.
  form.addEventListener("submit", function (event) { if (!event.defaultPrevented) leaving = true; });
  root.addEventListener("beforeunload", function (event) {
    if (!changed || leaving) return;
    event.preventDefault();
    event.returnValue = "";
  });

  FK.drafts = {read: read, discard: discard, changed: function () { return changed; }};
  root.FK = FK;
})(self);
