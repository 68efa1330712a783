// The form's small map: the commune outlines of the officer's area (no tiles, no map library: one SVG), the point
// with its GPS accuracy circle, and a tap or a drag to place the point by hand (source "map").
// The outlines come from GET /api/v1/areas/outlines and are kept in IndexedDB, so the map and the commune of a
// point (place-offline.js) work offline; online they are revalidated on each visit (ETag).
// Units inside the SVG are metres east and south of a fixed reference point, so the accuracy circle's radius is
// simply the accuracy.
(function (root) {
  "use strict";
  var FK = root.FK = root.FK || {};
  var box = document.getElementById("form-map"), form = document.getElementById("activity-form");
  if (!box || !form || !FK.place || !root.indexedDB) return;
  var NS = "http://www.w3.org/2000/svg", DB = "fieldkit-outlines", STORE = "outlines";
  var svg = document.getElementById("form-map-svg"), caption = document.getElementById("form-map-caption");
  var text = JSON.parse(document.getElementById("position-text").textContent);
  var lat = form.elements.lat, lon = form.elements.lon, acc = form.elements.accuracy_m;
  var key = "outlines:" + box.dataset.officer;
  var outlines = null, origin = null, k = null, view = null, layers = {}, drawn = "", dragging = false;

  // --- keeping the outlines ----------------------------------------------------------------------------------------
  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function kept() {
    return open().then(function (db) {
      return new Promise(function (resolve) {
        var get = db.transaction(STORE).objectStore(STORE).get(key);
        get.onsuccess = function () { resolve(get.result || null); };
        get.onerror = function () { resolve(null); };
      });
    }).catch(function () { return null; });
  }

  function keep(data) {
    return open().then(function (db) {
      return new Promise(function (resolve) {
        var tx = db.transaction(STORE, "readwrite");
        tx.objectStore(STORE).put(data, key);
        tx.oncomplete = tx.onerror = function () { resolve(); };
      });
    }).catch(function () { /* private mode or full: the map works for this visit */ });
  }

  function fetched() {
    return fetch(box.dataset.outlinesUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  // --- drawing -----------------------------------------------------------------------------------------------------
  function el(name, attributes, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attributes || {}).forEach(function (a) { node.setAttribute(a, attributes[a]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function xy(lo, la) { return [(lo - origin[0]) * k.lon, (origin[1] - la) * k.lat]; }
  function lonlat(x, y) { return [origin[0] + x / k.lon, origin[1] - y / k.lat]; }

  function path(area) {
    return area.polygons.map(function (polygon) {
      return polygon.map(function (ring) {
        var d = [];
        for (var i = 0; i < ring.length; i += 2) {
          var p = xy(ring[i], ring[i + 1]);
          d.push((i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1));
        }
        return d.join("") + "Z";
      }).join("");
    }).join("");
  }

  function scopeArea() {
    var wanted = box.dataset.scope;
    return outlines.areas.filter(function (a) { return a.code === wanted; })[0] || null;
  }

  function fit(bbox) {
    var a = xy(bbox[0], bbox[3]), b = xy(bbox[2], bbox[1]);
    var w = Math.max(b[0] - a[0], 300), h = Math.max(b[1] - a[1], 300);
    view = {cx: (a[0] + b[0]) / 2, cy: (a[1] + b[1]) / 2, w: w * 1.4, h: h * 1.4}; // with a rim of the neighbours
  }

  function allBox() {
    return outlines.areas.reduce(function (b, a) {
      return [Math.min(b[0], a.bbox[0]), Math.min(b[1], a.bbox[1]), Math.max(b[2], a.bbox[2]), Math.max(b[3], a.bbox[3])];
    }, [Infinity, Infinity, -Infinity, -Infinity]);
  }

  // The viewBox keeps the element's own shape, so a metre is as wide as it is tall.
  function frame() {
    var rect = svg.getBoundingClientRect(), ratio = rect.width && rect.height ? rect.width / rect.height : 1.5;
    var w = Math.max(view.w, view.h * ratio), h = w / ratio;
    svg.setAttribute("viewBox", [view.cx - w / 2, view.cy - h / 2, w, h].map(function (v) { return v.toFixed(1); }).join(" "));
    var pixel = w / (rect.width || 320);
    svg.style.setProperty("--px", pixel);
    layers.labels.setAttribute("font-size", (12 * pixel).toFixed(1));
    return pixel;
  }

  function build() {
    svg.textContent = "";
    var scope = scopeArea();
    origin = scope ? scope.label : [(allBox()[0] + allBox()[2]) / 2, (allBox()[1] + allBox()[3]) / 2];
    k = FK.place.scale(origin[1]);
    layers.areas = el("g", {"class": "areas"}, svg);
    layers.labels = el("g", {"class": "labels"}, svg);
    layers.point = el("g", {"class": "point"}, svg);
    outlines.areas.forEach(function (area) {
      el("path", {d: path(area), "class": "area" + (area.code === box.dataset.scope ? " scope" : ""),
        "data-code": area.code, "fill-rule": "evenodd"}, layers.areas);
      var at = xy(area.label[0], area.label[1]);
      var label = el("text", {x: at[0].toFixed(1), y: at[1].toFixed(1), "text-anchor": "middle"}, layers.labels);
      label.textContent = area.name;
    });
    layers.circle = el("circle", {"class": "accuracy", r: 0}, layers.point);
    layers.marker = el("circle", {"class": "marker", r: 0, tabindex: "-1"}, layers.point);
    fit(scope ? scope.bbox : allBox());
    drawn = "";
  }

  function current() {
    var la = Number(lat.value.trim().replace(",", ".")), lo = Number(lon.value.trim().replace(",", "."));
    if (!lat.value.trim() || !lon.value.trim() || !isFinite(la) || !isFinite(lo) || Math.abs(la) > 90 ||
        Math.abs(lo) > 180) return null;
    return {lat: la, lon: lo, accuracy: acc.value.trim() ? Number(acc.value) : null};
  }

  function draw(recentre) {
    if (!outlines) return;
    var p = current();
    if (p && recentre) {
      // A point off the map widens the view to hold both: how far it lies from the communes shows.
      var at = xy(p.lon, p.lat), margin = 0.35;
      if (Math.abs(at[0] - view.cx) > view.w * margin || Math.abs(at[1] - view.cy) > view.h * margin) {
        var west = Math.min(view.cx - view.w / 2, at[0]), east = Math.max(view.cx + view.w / 2, at[0]);
        var north = Math.min(view.cy - view.h / 2, at[1]), south = Math.max(view.cy + view.h / 2, at[1]);
        view = {cx: (west + east) / 2, cy: (north + south) / 2, w: (east - west) * 1.15, h: (south - north) * 1.15};
      }
    }
    var pixel = frame();
    layers.point.style.display = p ? "" : "none";
    var here = p ? FK.place.locate(outlines, p.lat, p.lon) : {code: null};
    layers.areas.querySelectorAll("path").forEach(function (node) {
      node.classList.toggle("here", node.dataset.code === here.code);
    });
    if (p) {
      var at2 = xy(p.lon, p.lat);
      [layers.circle, layers.marker].forEach(function (c) { c.setAttribute("cx", at2[0]); c.setAttribute("cy", at2[1]); });
      layers.circle.setAttribute("r", p.accuracy ? p.accuracy : 0);
      layers.marker.setAttribute("r", (7 * pixel).toFixed(1));
    }
    tell(p, here);
    drawn = lat.value + "|" + lon.value + "|" + acc.value;
  }

  function tell(p, here) {
    var name = here.code && outlines.areas.filter(function (a) { return a.code === here.code; })[0].name;
    if (!p) caption.textContent = text.map_hint;
    else if (!here.code) caption.textContent = text.map_outside;
    else if (here.distance_m > 0) caption.textContent = text.map_near.replace("{m}", Math.round(here.distance_m)).replace("{name}", name);
    else caption.textContent = text.map_in.replace("{name}", name);
    box.dataset.commune = here.code || "";
  }

  // --- placing by hand ---------------------------------------------------------------------------------------------
  function pointer(event) {
    var m = svg.getScreenCTM();
    if (!m) return null;
    var p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    var q = p.matrixTransform(m.inverse());
    var ll = lonlat(q.x, q.y);
    return {lat: ll[1], lon: ll[0]};
  }

  function placeAt(event) {
    var p = pointer(event);
    if (p && FK.form && FK.form.place) FK.form.place(p.lat, p.lon);
  }

  svg.addEventListener("click", function (event) {
    if (dragging) { dragging = false; return; }
    placeAt(event);
  });
  svg.addEventListener("pointerdown", function (event) {
    if (event.target !== layers.marker) return;
    dragging = true;
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", function (event) {
    if (!dragging || !svg.hasPointerCapture(event.pointerId)) return;
    var p = pointer(event);
    if (!p) return;
    var at = xy(p.lon, p.lat);
    layers.marker.setAttribute("cx", at[0]); layers.marker.setAttribute("cy", at[1]);
    layers.circle.setAttribute("r", 0);
  });
  svg.addEventListener("pointerup", function (event) {
    if (!dragging) return;
    svg.releasePointerCapture(event.pointerId);
    placeAt(event);
    setTimeout(function () { dragging = false; }, 0); // the click that follows the drag places nothing more
  });

  function zoom(by) {
    var p = current();
    if (p) { var at = xy(p.lon, p.lat); view.cx = at[0]; view.cy = at[1]; }
    view.w = Math.min(Math.max(view.w * by, 150), 200000);
    view.h = Math.min(Math.max(view.h * by, 150), 200000);
    draw(false);
  }
  document.getElementById("map-zoom-in").addEventListener("click", function () { zoom(0.5); });
  document.getElementById("map-zoom-out").addEventListener("click", function () { zoom(2); });

  // --- wiring ------------------------------------------------------------------------------------------------------
  function use(data, redraw) {
    if (!data || !data.areas || !data.areas.length) return false;
    outlines = data;
    box.hidden = false;
    if (redraw !== false) { build(); draw(true); }
    if (FK.form && FK.form.locate) FK.form.locate();
    return true;
  }

  FK.formMap = {
    // The commune code of a point by the kept outlines, or null (none near, or no outlines yet).
    communeOf: function (la, lo) { return outlines ? FK.place.locate(outlines, la, lo).code : null; },
    outlines: function () { return outlines; },
  };

  form.addEventListener("fk-position", function () { draw(true); });
  root.addEventListener("resize", function () { if (outlines) draw(false); });
  // Fields filled by other scripts (an entry opened from the outbox, a draft) move the point too.
  setInterval(function () {
    if (outlines && !dragging && lat.value + "|" + lon.value + "|" + acc.value !== drawn) draw(true);
  }, 1000);

  kept().then(function (copy) {
    var shown = use(copy);
    if (!navigator.onLine) { if (!shown) showMissing(); return; }
    return fetched().then(function (fresh) {
      if (!fresh) { if (!shown) showMissing(); return; }
      if (!copy || copy.version !== fresh.version) { use(fresh); keep(fresh); }
    }, function () { if (!shown) showMissing(); });
  });

  function showMissing() {
    box.hidden = false;
    svg.style.display = "none";
    box.querySelector(".map-zoom").hidden = true;
    caption.textContent = text.map_missing;
  }
})(self);
