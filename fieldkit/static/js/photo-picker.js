// The form's photo question: "Take photo" (the camera) and "Choose photo" (the gallery) add one photo at a time up
// to the entry's limit, each downscaled on the phone as soon as it is picked ("preparing photo…" shows meanwhile),
// then shown as a thumbnail with a remove button. On an edit the entry's stored photos are there too, to remove or
// replace. The form's scripts read the result: items() for a new entry, plan() for an edit (which photos to send
// under which numbers, which stored numbers to remove). Without it the plain file input posts the originals.
(function (root) {
  "use strict";
  var FK = root.FK = root.FK || {};
  var form = document.getElementById("activity-form"), picker = document.getElementById("photo-picker");
  if (!form || !picker || !FK.photos || !root.crypto || !root.crypto.subtle) return;
  var text = JSON.parse(document.getElementById("photo-text").textContent);
  var max = Number(picker.dataset.max) || 5;
  var list = document.getElementById("photo-thumbs"), status = document.getElementById("photo-status");
  var take = document.getElementById("photo-take"), choose = document.getElementById("photo-choose");
  var plain = form.elements.photos, submit = form.querySelector("button[type=submit]");
  var stored = JSON.parse(picker.dataset.stored || "[]");
  // Each item: {stored: true, index, sha256, src} or {meta, blob, url, index (a stored number it replaces, or null)}.
  var items = stored.map(function (p) { return {stored: true, index: p.index, sha256: p.sha256, src: p.src}; });
  var removed = [], pending = 0, replacing = null, queue = Promise.resolve();

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] === undefined ? all : values[key];
    });
  }

  function say(message, kind) {
    status.textContent = message || "";
    status.className = "photo-status" + (kind ? " " + kind : "");
    status.hidden = !message;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function button(label, action, extra) {
    var b = el("button", "button small" + (extra ? " " + extra : ""), label);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  function render() {
    list.textContent = "";
    items.forEach(function (item, i) {
      var li = el("li", "photo-thumb");
      li.dataset.kind = item.stored ? "stored" : "new";
      var img = el("img");
      img.src = item.stored ? item.src : item.url;
      img.alt = format(text.photo_n, {n: i + 1});
      img.width = 96;
      img.height = 96;
      li.appendChild(img);
      var actions = el("div", "photo-actions");
      if (item.stored) {
        actions.appendChild(button(text.replace, function () { replacing = item.index; choose.click(); }));
      }
      actions.appendChild(button(text.remove, function () { drop(item); }, "danger"));
      li.appendChild(actions);
      list.appendChild(li);
    });
    for (var n = 0; n < pending; n++) {
      var wait = el("li", "photo-thumb preparing");
      wait.appendChild(el("span", "spinner", "⏳"));
      wait.appendChild(el("small", "", text.preparing));
      list.appendChild(wait);
    }
    var full = items.length + pending >= max;
    picker.querySelectorAll("[data-pick]").forEach(function (b) { b.disabled = full; });
    keepPlain();
    picker.dataset.count = items.length;
    picker.dataset.busy = pending ? "1" : "0";
    if (submit) submit.disabled = pending > 0;
  }

  // The plain input holds the new photos too, downscaled, so that a form posted without the outbox (the phone
  // refused to store it) still carries them.
  function keepPlain() {
    if (!plain || !root.DataTransfer) return;
    try {
      var files = new root.DataTransfer();
      items.forEach(function (item, i) {
        if (item.stored) return;
        files.items.add(new File([item.blob], item.meta.name || "photo-" + (i + 1) + ".jpg", {type: "image/jpeg"}));
      });
      plain.files = files.files;
    } catch (error) { /* an older browser: the outbox is the way photos go */ }
  }

  function drop(item) {
    items.splice(items.indexOf(item), 1);
    if (item.stored) removed.push(item.index);
    else if (item.url) URL.revokeObjectURL(item.url);
    say(format(text.removed, {n: items.length, max: max}));
    render();
  }

  function asItem(prepared, index) {
    var meta = {sha256: prepared.sha256, width: prepared.width, height: prepared.height, taken_at: prepared.taken_at,
      photo_lat: prepared.photo_lat, photo_lon: prepared.photo_lon, name: prepared.name, size: prepared.blob.size};
    return {meta: meta, blob: prepared.blob, url: URL.createObjectURL(prepared.blob), index: index};
  }

  // Prepare one picked file; photos are prepared one after another, so a phone with little memory decodes one.
  function add(file, replaces) {
    var slot = null;
    if (replaces !== null) {
      slot = items.filter(function (i) { return i.stored && i.index === replaces; })[0];
      if (!slot) return true;
    } else if (items.length + pending >= max) {
      return false;
    }
    pending++;
    say(text.preparing);
    render();
    queue = queue.then(function () {
      return FK.photos.prepare(file).then(function (prepared) {
        var item = asItem(prepared, replaces);
        var at = slot ? items.indexOf(slot) : -1;
        if (at >= 0) { items[at] = item; removed.push(slot.index); } else { items.push(item); }
        say(format(text.added, {n: items.length, max: max}));
      }, function () {
        say(format(text.unreadable, {name: file.name || ""}), "error");
      }).then(function () { pending--; render(); });
    });
    return true;
  }

  function picked(input, replaces) {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    if (replaces !== null) { if (files[0]) add(files[0], replaces); return; }
    var refused = files.filter(function (file) { return !add(file, null); }).map(function (file) {
      return file.name || "";
    });
    // Said once the photos that fit are ready, so that the last "added" does not hide it.
    if (refused.length) {
      queue = queue.then(function () { say(format(text.limit, {max: max, name: refused.join("”, “")}), "error"); });
    }
  }

  picker.querySelector("[data-pick=take]").addEventListener("click", function () { replacing = null; take.click(); });
  picker.querySelector("[data-pick=choose]").addEventListener("click", function () { replacing = null; choose.click(); });
  take.addEventListener("change", function () { picked(take, null); });
  choose.addEventListener("change", function () { var r = replacing; replacing = null; picked(choose, r); });
  // The plain input stays for pages without this script; files set on it here join the list the same way.
  if (plain) plain.addEventListener("change", function () { picked(plain, null); });
  // While a photo is being prepared the entry waits for it (the save button is off; this is for Enter in a field).
  form.addEventListener("submit", function (event) {
    if (!pending) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    say(text.wait, "error");
  }, true);

  var field = document.getElementById("field-photos");
  if (plain) plain.hidden = true;
  if (field) field.classList.add("with-picker");
  document.querySelectorAll("[data-photos-plain]").forEach(function (node) { node.hidden = true; });
  picker.hidden = false;
  render();

  function fresh(list) {
    return (list || []).filter(function (p) { return p.blob; }).map(function (p) {
      return asItem(Object.assign({blob: p.blob}, p.meta), p.meta.index === undefined ? null : p.meta.index);
    });
  }

  FK.picker = {
    // The new photos, in order, as {meta, blob} (a new entry numbers them 0, 1, …).
    items: function () {
      return items.filter(function (i) { return !i.stored; }).map(function (i) { return {meta: i.meta, blob: i.blob}; });
    },
    count: function () { return items.length; },
    busy: function () { return pending > 0; },
    // Show these photos ({meta, blob}) as the entry's new photos, as when an entry is opened from the outbox.
    set: function (photos) {
      items.forEach(function (i) { if (i.url) URL.revokeObjectURL(i.url); });
      items = items.filter(function (i) { return i.stored; }).concat(fresh(photos).map(function (i) {
        i.index = null;
        return i;
      }));
      render();
    },
    // An edit waiting in the outbox, opened again: its new photos (meta.index, blob) and the stored ones it removes.
    restore: function (photos, removals) {
      var incoming = fresh(photos), gone = (removals || []).slice();
      incoming.forEach(function (i) { if (i.index !== null) gone.push(i.index); });
      items = items.filter(function (i) { return !i.stored || gone.indexOf(i.index) < 0; }).concat(incoming);
      removed = gone;
      render();
    },
    // An edit's photos: the new ones with their numbers (a replacement keeps the number it replaces, others take
    // the lowest free one) and the stored numbers to remove (those no new photo takes).
    plan: function () {
      var used = items.filter(function (i) { return i.stored || i.index !== null; }).map(function (i) { return i.index; });
      var photos = items.filter(function (i) { return !i.stored; }).map(function (i) {
        var index = i.index;
        if (index === null) {
          index = 0;
          while (used.indexOf(index) >= 0) index++;
          used.push(index);
        }
        return {index: index, meta: Object.assign({}, i.meta, {index: index}), blob: i.blob};
      });
      var taken = photos.map(function (p) { return p.index; });
      var removals = removed.filter(function (index, at) {
        return taken.indexOf(index) < 0 && removed.indexOf(index) === at;
      });
      return {photos: photos, removals: removals};
    },
  };
})(self);
