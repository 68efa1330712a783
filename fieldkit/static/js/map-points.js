/* FieldkitMap: the activities, from compact arrays (maps/points.py), on ONE cluster layer for every type, so a
   place has one badge: its count inside a ring split by type. Each type is still a layer of the layer control,
   which puts its markers in the shared clusters or takes them out. A cluster's popup counts its activities by
   type (and zooms in, or spreads them out where they share one spot); a point's popup details are fetched when
   it opens. Needs map-layers.js first. */
(function () {
  "use strict";
  var FK = (window.FieldkitMap = window.FieldkitMap || {});
  var SCALE = 100000; // units per degree, as maps/points.py packs them
  var SIZES = [[10, 34], [100, 40], [1000, 46], [Infinity, 52]]; // badge diameter (px) by count, below the radius

  /* base64 of little-endian int32 values -> Int32Array. */
  FK.decode = function (b64) {
    var s = atob(b64);
    var out = new Int32Array(s.length >> 2);
    for (var i = 0, j = 0; i < out.length; i += 1, j += 4) {
      out[i] = s.charCodeAt(j) | (s.charCodeAt(j + 1) << 8) | (s.charCodeAt(j + 2) << 16) | (s.charCodeAt(j + 3) << 24);
    }
    return out;
  };

  /* {ids, lat, lon} of one type's packed points, positions in degrees. */
  FK.unpack = function (packed) {
    var lat = FK.decode(packed.lat);
    var lon = FK.decode(packed.lon);
    var lats = new Float64Array(lat.length);
    var lons = new Float64Array(lon.length);
    for (var i = 0; i < lat.length; i += 1) {
      lats[i] = lat[i] / SCALE;
      lons[i] = lon[i] / SCALE;
    }
    return { ids: FK.decode(packed.ids), lat: lats, lon: lons };
  };

  FK.number = function (n) {
    return Number(n).toLocaleString(document.documentElement.lang || undefined);
  };

  function dot(o) {
    return '<span class="fk-dot" style="background:' + FK.colour(o.colour) + '">' + FK.escape(o.icon) + "</span>";
  }

  function countByKind(cluster, slots) {
    var counts = new Array(slots).fill(0);
    cluster.getAllChildMarkers().forEach(function (marker) { counts[marker.fieldkitOptions.slot] += 1; });
    return counts;
  }

  /* A badge: the total in the middle of a ring whose arcs are the types' shares (counts by slot), in their
     colours; sized by the total, never wider than the clusters' radius, so badges do not touch. */
  FK.ring = function (total, counts, kinds) {
    var size = SIZES.filter(function (s) { return total < s[0]; })[0][1];
    var sum = counts.reduce(function (a, b) { return a + b; }, 0) || 1;
    var stops = [];
    var at = 0;
    counts.forEach(function (n, i) {
      if (!n) return;
      var end = at + (360 * n) / sum;
      stops.push(FK.colour(kinds[i].colour) + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      at = end;
    });
    var ring = stops.length ? "conic-gradient(" + stops.join(",") + ")" : "#9c1c1c";
    var html = '<div class="fk-ring" style="background:' + ring + '"><b>' + FK.escape(FK.number(total)) + "</b></div>";
    return L.divIcon({ className: "marker-cluster fk-cluster", html: html, iconSize: [size, size] });
  };

  function clusterIcon(cluster, kinds) {
    return FK.ring(cluster.getChildCount(), countByKind(cluster, kinds.length), kinds);
  }

  function markers(packed, o) {
    var points = FK.unpack(packed);
    var icon = L.divIcon({ className: "fk-point", html: dot(o), iconSize: [24, 24] });
    var out = new Array(points.ids.length);
    for (var i = 0; i < out.length; i += 1) {
      out[i] = L.marker([points.lat[i], points.lon[i]], { icon: icon, keyboard: false });
      out[i].fieldkitId = points.ids[i];
      out[i].fieldkitOptions = o;
    }
    return out;
  }

  /* One type's activities: a layer of the layer control whose markers live in the map's shared clusters. */
  FK.KindLayer = L.Layer.extend({
    initialize: function (group, o) {
      this._group = group;
      this._markers = [];
      this.fieldkitOptions = o;
    },
    onAdd: function () { this._group.addLayers(this._markers); },
    onRemove: function () { this._group.removeLayers(this._markers); },
    /* Show these packed points instead (null: none). */
    setPoints: function (packed) {
      if (this._map) this._group.removeLayers(this._markers);
      this._markers = packed && packed.n ? markers(packed, this.fieldkitOptions) : [];
      if (this._map) this._group.addLayers(this._markers);
    },
  });

  /* The shared clusters of the map; o.kinds lists the types ({key, label, colour, icon}) in slot order. */
  FK.activities = function (map, _dataId, o) {
    var group = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      zoomToBoundsOnClick: false,
      spiderfyOnMaxZoom: false,
      maxClusterRadius: o.radius || 72,
      iconCreateFunction: function (cluster) { return clusterIcon(cluster, o.kinds); },
    });
    FK.registry(map).cluster = group;
    group.on("click", function (e) { openPopup(e.layer, e.layer.fieldkitOptions); });
    group.on("clusterclick", function (e) { clusterPopup(map, e.layer, o); });
    return group;
  };

  /* One type's points, in the shared clusters (FK.activities must come first). */
  FK.kind = function (map, dataId, o) {
    var registry = FK.registry(map);
    var layer = new FK.KindLayer(registry.cluster, o);
    registry.clusters[o.kind] = layer;
    layer.setPoints(FK.data(dataId));
    return layer;
  };

  /* Put points answered by the server ({type: packed}) in the types' layers, or empty them (null). */
  FK.fillClusters = function (map, types) {
    var layers = FK.registry(map).clusters;
    Object.keys(layers).forEach(function (kind) { layers[kind].setPoints(types ? types[kind] : null); });
  };

  /* A popup at latlng: a title, the counts by type (slot order), and a button that zooms to bounds or, where
     the bounds are one spot or the map is at its closest, runs spread() instead (if given). */
  FK.breakdown = function (map, latlng, title, counts, o, bounds, spread) {
    var box = FK.el("div", "fk-popup fk-cluster-popup");
    box.appendChild(FK.el("p", "fk-popup-type", title));
    var list = FK.el("ul", "fk-breakdown");
    o.kinds.forEach(function (kind, i) {
      if (!counts[i]) return;
      var li = FK.el("li");
      var badge = FK.el("span", "fk-dot", kind.icon);
      badge.style.background = FK.colour(kind.colour);
      li.appendChild(badge);
      li.appendChild(FK.el("span", "fk-breakdown-label", kind.label));
      li.appendChild(FK.el("span", "fk-breakdown-count", FK.number(counts[i])));
      list.appendChild(li);
    });
    box.appendChild(list);
    var splits = !bounds.getNorthEast().equals(bounds.getSouthWest()) && map.getZoom() < map.getMaxZoom();
    if (splits || spread) {
      var button = FK.el("button", "fk-zoom", splits ? o.texts.zoom : o.texts.spread);
      button.type = "button";
      button.addEventListener("click", function () {
        map.closePopup();
        if (splits) map.fitBounds(bounds, { padding: [24, 24], maxZoom: o.zoomTo || map.getMaxZoom() });
        else spread();
      });
      box.appendChild(button);
    }
    L.popup({ minWidth: 190, maxWidth: 280, offset: [0, -8] }).setLatLng(latlng).setContent(box).openOn(map);
  };

  function clusterPopup(map, cluster, o) {
    var title = FK.number(cluster.getChildCount()) + " " + o.texts.activities;
    var counts = countByKind(cluster, o.kinds.length);
    FK.breakdown(map, cluster.getLatLng(), title, counts, o, cluster.getBounds(), function () { cluster.spiderfy(); });
  }

  function isLocal(url) {
    return typeof url === "string" && /^\/(?!\/)/.test(url);
  }

  function fillPopup(box, entry, o) {
    box.textContent = "";
    var head = FK.el("p", "fk-popup-type");
    var badge = FK.el("span", "fk-dot", o.icon);
    badge.style.background = FK.colour(o.colour);
    head.appendChild(badge);
    head.appendChild(document.createTextNode(" " + entry.type_label));
    box.appendChild(head);
    if (entry.topic) box.appendChild(FK.el("p", "fk-popup-topic", entry.topic));
    var list = FK.el("dl");
    (entry.rows || []).forEach(function (row) {
      list.appendChild(FK.el("dt", null, row[0]));
      list.appendChild(FK.el("dd", null, row[1]));
    });
    box.appendChild(list);
    if (isLocal(entry.thumb)) {
      var img = FK.el("img", "fk-thumb");
      img.alt = o.texts.photo;
      img.width = 160;
      img.src = entry.thumb;
      box.appendChild(img);
    }
    if (isLocal(entry.url)) {
      var link = FK.el("a", "fk-open", o.texts.open);
      link.href = entry.url;
      box.appendChild(link);
    }
  }

  function openPopup(marker, o) {
    if (!o || !o.popupUrl || marker.fieldkitId === undefined) return;
    if (marker.getPopup()) {
      marker.openPopup();
      return;
    }
    var box = FK.el("div", "fk-popup", o.texts.loading);
    marker.bindPopup(box, { minWidth: 200, maxWidth: 280 }).openPopup();
    fetch(o.popupUrl.replace("{id}", String(marker.fieldkitId)), {
      credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (entry) {
        fillPopup(box, entry, o);
        marker.getPopup().update();
      })
      .catch(function () {
        box.textContent = o.texts.failed;
        marker.once("popupclose", function () { marker.unbindPopup(); }); // try again next time
      });
  }

  /* Aggregate mode: at o.detailZoom and closer, ask for the points in view and show them instead of totals. */
  FK.loadOnZoom = function (map, totals, o) {
    var timer = null;
    var pending = null;
    var detailed = false;
    var totalsShown = true; // as the user left them in the layer control
    var back = function () {
      if (!detailed) return;
      FK.fillClusters(map, null);
      detailed = false;
      if (totalsShown) totals.addTo(map);
    };
    var refresh = function () {
      if (pending) pending.abort();
      if (map.getZoom() < o.detailZoom) return back();
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
      pending = new AbortController();
      fetch(o.pointsUrl + (o.pointsUrl.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox.join(","), {
        credentials: "same-origin", headers: { Accept: "application/json" }, signal: pending.signal,
      })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
        .then(function (answer) {
          if (!answer.types) return back(); // still too many here: keep the totals
          if (!detailed) totalsShown = map.hasLayer(totals);
          FK.fillClusters(map, answer.types);
          detailed = true;
          map.removeLayer(totals);
        })
        .catch(function () { /* aborted by a newer view, or offline: the totals stay */ });
    };
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  };
})();
