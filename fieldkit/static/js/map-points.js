/* FieldkitMap: the activities, from compact arrays (maps/points.py), on ONE set of clusters for every type, so a
   place has one badge: its count inside a ring split by type. The clusters are computed by Supercluster (a
   k-d tree per zoom, built once from typed arrays) and only what the view shows becomes a marker, so 10^6 points
   cost a few typed arrays and the badges on screen, not a marker each. Each type is still a layer of the layer
   control, which puts its points in the shared clusters or takes them out. A cluster's popup counts its
   activities by type (and zooms in, or spreads them out where they share one spot); a point's popup details
   are fetched when it opens. Needs map-layers.js and supercluster.min.js first. */
(function () {
  "use strict";
  var FK = (window.FieldkitMap = window.FieldkitMap || {});
  var SCALE = 100000; // units per degree, as maps/points.py packs them
  var SIZES = [[10, 34], [100, 40], [1000, 46], [Infinity, 52]]; // badge diameter (px) by count, below the radius
  var SPREAD_MAX = 200; // at most this many points of one spot laid out around it

  /* One type's packed points ({n, ids, lat, lon}: integers, each the difference from the one before; positions in
     SCALE units) -> {ids, lat, lon} typed arrays, positions in degrees. */
  FK.unpack = function (packed) {
    var n = packed.n;
    var ids = new Int32Array(n);
    var lats = new Float64Array(n);
    var lons = new Float64Array(n);
    var id = 0;
    var lat = 0;
    var lon = 0;
    for (var i = 0; i < n; i += 1) {
      id += packed.ids[i];
      lat += packed.lat[i];
      lon += packed.lon[i];
      ids[i] = id;
      lats[i] = lat / SCALE;
      lons[i] = lon / SCALE;
    }
    return { ids: ids, lat: lats, lon: lons };
  };

  // A count grouped by the page's own sign (<html data-group>, the server's: "1.234" in Vietnamese). Not
  // Intl.NumberFormat: its first use loads the locale's data, 8–15 ms as the map opens.
  var GROUP = document.documentElement.getAttribute("data-group") || ",";
  FK.number = function (n) {
    return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
  };

  function dot(o) {
    return '<span class="fk-dot" style="background:' + FK.colour(o.colour) + '">' + FK.escape(o.icon) + "</span>";
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

  /* A cluster's counts by slot, from the properties Supercluster summed (c0, c1, …). */
  function slotCounts(props, slots) {
    var counts = new Array(slots);
    for (var i = 0; i < slots; i += 1) counts[i] = props["c" + i] || 0;
    return counts;
  }

  /* The shared clusters: one Supercluster index over the points of the types shown, drawn for the view. */
  FK.Clusters = L.Layer.extend({
    initialize: function (o) {
      this._o = o;
      this._kinds = []; // the types' layers, by slot
      this._index = null;
      this._queued = false;
      this._markers = L.featureGroup(); // a feature group passes its markers' clicks on
      this._markers.on("click", this._click, this);
    },
    onAdd: function (map) {
      this._markers.addTo(map);
      map.on("moveend", this._draw, this);
      this._queue();
    },
    onRemove: function (map) {
      map.off("moveend", this._draw, this);
      map.removeLayer(this._markers);
    },
    /* A type's layer was shown, hidden or given new points: build the index again once this script is done. */
    _queue: function () {
      if (this._queued) return;
      this._queued = true;
      var self = this;
      Promise.resolve().then(function () {
        self._queued = false;
        self._build();
      });
    },
    _build: function () {
      var slots = this._o.kinds.length;
      var features = [];
      this._kinds.forEach(function (layer) {
        if (layer && layer._map && layer._features.length) features = features.concat(layer._features);
      });
      var maxZoom = this._map ? this._map.getMaxZoom() : 19;
      this._index = new Supercluster({
        radius: this._o.radius || 72,
        extent: 256, // Leaflet's tile size, so the radius is in the map's pixels
        maxZoom: maxZoom,
        map: function (props) {
          var out = {};
          for (var i = 0; i < slots; i += 1) out["c" + i] = i === props.slot ? 1 : 0;
          return out;
        },
        reduce: function (sum, props) {
          for (var i = 0; i < slots; i += 1) sum["c" + i] += props["c" + i];
        },
      }).load(features);
      this._draw();
    },
    _draw: function () {
      var map = this._map;
      this._markers.clearLayers();
      if (!map || !this._index) return;
      var b = map.getBounds().pad(0.2);
      var bbox = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()), Math.min(180, b.getEast()),
        Math.min(85, b.getNorth())];
      var found = this._index.getClusters(bbox, Math.floor(map.getZoom()));
      for (var i = 0; i < found.length; i += 1) this._markers.addLayer(this._marker(found[i]));
    },
    _marker: function (feature, at) {
      var c = feature.geometry.coordinates;
      var props = feature.properties;
      var where = at || L.latLng(c[1], c[0]);
      if (props.cluster) {
        var counts = slotCounts(props, this._o.kinds.length);
        var marker = L.marker(where, { icon: FK.ring(props.point_count, counts, this._o.kinds), keyboard: false });
        marker.fieldkitCluster = feature;
        marker.fieldkitCounts = counts;
        return marker;
      }
      var layer = this._kinds[props.slot];
      var point = L.marker(where, { icon: layer._icon, keyboard: false });
      point.fieldkitId = feature.id;
      point.fieldkitOptions = layer.fieldkitOptions;
      return point;
    },
    _click: function (e) {
      var marker = e.layer;
      if (!marker.fieldkitCluster) return openPopup(marker, marker.fieldkitOptions);
      var map = this._map;
      var o = this._o;
      var index = this._index;
      var self = this;
      var id = marker.fieldkitCluster.properties.cluster_id;
      var leaves = index.getLeaves(id, Infinity);
      var bounds = L.latLngBounds(leaves.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; }));
      var title = FK.number(marker.fieldkitCluster.properties.point_count) + " " + o.texts.activities;
      FK.breakdown(map, marker.getLatLng(), title, marker.fieldkitCounts, o, bounds, function () {
        self._spread(marker, leaves.slice(0, SPREAD_MAX));
      });
    },
    /* Points on one spot, laid on a circle around it until the map moves. */
    _spread: function (marker, leaves) {
      var map = this._map;
      var centre = map.latLngToLayerPoint(marker.getLatLng());
      var radius = Math.max(30, (leaves.length * 28) / (2 * Math.PI));
      this._markers.removeLayer(marker);
      for (var i = 0; i < leaves.length; i += 1) {
        var angle = (2 * Math.PI * i) / leaves.length;
        var at = map.layerPointToLatLng(centre.add([radius * Math.cos(angle), radius * Math.sin(angle)]));
        this._markers.addLayer(this._marker(leaves[i], at));
      }
    },
  });

  /* One type's activities: a layer of the layer control whose points live in the map's shared clusters. */
  FK.KindLayer = L.Layer.extend({
    initialize: function (group, o) {
      this._group = group;
      this._features = [];
      this._icon = L.divIcon({ className: "fk-point", html: dot(o), iconSize: [24, 24] });
      this.fieldkitOptions = o;
      group._kinds[o.slot] = this;
    },
    onAdd: function () { this._group._queue(); },
    onRemove: function () { this._group._queue(); },
    /* Show these packed points instead (null: none). */
    setPoints: function (packed) {
      var features = [];
      if (packed && packed.n) {
        var points = FK.unpack(packed);
        var props = { slot: this.fieldkitOptions.slot }; // one object for all: the index reads it, never keeps it
        features = new Array(points.ids.length);
        for (var i = 0; i < features.length; i += 1) {
          features[i] = { id: points.ids[i], properties: props, geometry: { coordinates: [points.lon[i], points.lat[i]] } };
        }
      }
      this._features = features;
      this._group._queue();
    },
  });

  /* The shared clusters of the map; o.kinds lists the types ({key, label, colour, icon}) in slot order. */
  FK.activities = function (map, _dataId, o) {
    var group = new FK.Clusters(o);
    FK.registry(map).cluster = group;
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

  /* A point's popup, on the map rather than on its marker (markers are drawn anew when the map moves, which
     the popup's own panning does), filled in when its details arrive. */
  function openPopup(marker, o) {
    if (!o || !o.popupUrl || marker.fieldkitId === undefined) return;
    var box = FK.el("div", "fk-popup", o.texts.loading);
    var popup = L.popup({ minWidth: 200, maxWidth: 280, offset: [0, -8] })
      .setLatLng(marker.getLatLng()).setContent(box).openOn(marker._map);
    fetch(o.popupUrl.replace("{id}", String(marker.fieldkitId)), {
      credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (entry) {
        fillPopup(box, entry, o);
        popup.update();
      })
      .catch(function () { box.textContent = o.texts.failed; });
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
