/* FieldkitMap: the activities, one clustered layer per type, from compact arrays (maps/points.py); a popup's
   details are fetched when it opens. Needs map-layers.js first. */
(function () {
  "use strict";
  var FK = (window.FieldkitMap = window.FieldkitMap || {});
  var SCALE = 100000; // units per degree, as maps/points.py packs them

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

  function dot(o) {
    return '<span class="fk-dot" style="background:' + FK.colour(o.colour) + '">' + FK.escape(o.icon) + "</span>";
  }

  /* A cluster's icon, nudged towards its type's own direction so clusters of different types at one place
     sit side by side rather than on top of each other. */
  function clusterIcon(count, o) {
    var size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 46 : 52;
    var angle = (2 * Math.PI * (o.slot || 0)) / (o.slots || 1) - Math.PI / 2;
    var shift = (o.slots || 1) > 1 ? 14 : 0;
    var html = '<div style="border-color:' + FK.colour(o.colour) + '">' + dot(o) +
      "<b>" + FK.escape(count) + "</b></div>";
    return L.divIcon({
      className: "marker-cluster fk-cluster",
      html: html,
      iconSize: [size, size],
      iconAnchor: [size / 2 - shift * Math.cos(angle), size / 2 - shift * Math.sin(angle)],
    });
  }

  function addPoints(group, packed, o) {
    var points = FK.unpack(packed);
    var icon = L.divIcon({ className: "fk-point", html: dot(o), iconSize: [24, 24] });
    var markers = new Array(points.ids.length);
    for (var i = 0; i < markers.length; i += 1) {
      markers[i] = L.marker([points.lat[i], points.lon[i]], { icon: icon, keyboard: false });
      markers[i].fieldkitId = points.ids[i];
    }
    group.addLayers(markers);
  }

  /* One type's activities, clustered; a click on a point opens its popup. */
  FK.cluster = function (map, dataId, o) {
    var group = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 60,
      iconCreateFunction: function (cluster) { return clusterIcon(cluster.getChildCount(), o); },
    });
    group.fieldkitOptions = o;
    FK.registry(map).clusters[o.kind] = group;
    var packed = FK.data(dataId);
    if (packed && packed.n) addPoints(group, packed, o);
    group.on("click", function (e) { openPopup(e.layer, o); });
    return group;
  };

  /* Put points answered by the server ({type: packed}) in the clusters, or empty them (null). */
  FK.fillClusters = function (map, types) {
    var clusters = FK.registry(map).clusters;
    Object.keys(clusters).forEach(function (kind) {
      clusters[kind].clearLayers();
      if (types && types[kind] && types[kind].n) addPoints(clusters[kind], types[kind], clusters[kind].fieldkitOptions);
    });
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

  function openPopup(marker, o) {
    if (!o.popupUrl || marker.fieldkitId === undefined) return;
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
