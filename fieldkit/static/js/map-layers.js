/* FieldkitMap: the coverage map's layers, drawn from JSON that the page carries (maps/layers.py).
   Texts from the server are only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var FK = (window.FieldkitMap = window.FieldkitMap || {});
  var parsed = {};

  /* The JSON value placed in the page under this id (parsed once). */
  FK.data = function (id) {
    if (!(id in parsed)) {
      var node = document.getElementById(id);
      parsed[id] = node ? JSON.parse(node.textContent) : null;
    }
    return parsed[id];
  };

  /* A new element with a class and a text. */
  FK.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  FK.colour = function (value) {
    return /^#[0-9a-fA-F]{6}$/.test(value) ? value : "#888888";
  };

  FK.escape = function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  };

  /* What the layers of one map share (its communes, its clusters, the types' layers for points loaded later); FK.maps
     lists the maps of the page. */
  FK.maps = FK.maps || [];
  FK.registry = function (map) {
    if (!map._fieldkit) {
      map._fieldkit = { cluster: null, clusters: {}, communes: null };
      FK.maps.push(map);
    }
    return map._fieldkit;
  };

  function table(rows) {
    var box = FK.el("table");
    rows.forEach(function (row) {
      var tr = FK.el("tr");
      tr.appendChild(FK.el("th", null, row[0]));
      tr.appendChild(FK.el("td", null, row[1]));
      box.appendChild(tr);
    });
    return box;
  }

  FK.tip = function (title, rows) {
    var box = FK.el("div", "fk-tip-box");
    box.appendChild(FK.el("strong", null, title));
    box.appendChild(table(rows));
    return box;
  };

  /* The choropleth: communes filled by the chosen metric, with a legend that switches the metric. A click on a
     commune opens its page (o.communeUrl, "{code}" filled in). Where the screen can hover, a tooltip shows its
     numbers and a click goes straight there; on a touch screen a tap opens those numbers with a link to it. */
  FK.communes = function (map, dataId, o) {
    var metric = o.metric;
    var style = function (feature) {
      return {
        color: "#4d4d4d", weight: 1, opacity: 0.9,
        fillColor: FK.colour(feature.properties.fill[metric]), fillOpacity: 0.7,
      };
    };
    var layer = L.geoJSON(FK.data(dataId), { style: style });
    var registry = FK.registry(map);
    registry.communes = layer;
    var hover = !window.matchMedia || window.matchMedia("(hover: hover)").matches;
    var page = function (feature) {
      return o.communeUrl ? o.communeUrl.replace("{code}", encodeURIComponent(feature.properties.code)) : null;
    };
    var tip = function (l) { return FK.tip(l.feature.properties.name, l.feature.properties.tip || []); };
    if (hover || !o.communeUrl) {
      layer.bindTooltip(tip, { sticky: true, className: "fk-tip" });
      layer.on("click", function (e) {
        var url = page(e.layer.feature);
        if (url) FK.go(url);
      });
    } else {
      layer.bindPopup(function (l) {
        var box = tip(l);
        var link = FK.el("a", "fk-open", o.open);
        link.href = page(l.feature);
        box.appendChild(link);
        return box;
      }, { maxWidth: 280, className: "fk-commune-popup" });
    }
    layer.on("mouseover", function (e) { e.layer.setStyle({ weight: 3, color: "#1d2327" }); });
    layer.on("mouseout", function (e) { layer.resetStyle(e.layer); });
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      return legendBox(o, metric, function (next) {
        metric = next;
        layer.setStyle(style);
      });
    };
    layer.on("add", function () { legend.addTo(map); });
    layer.on("remove", function () { legend.remove(); });
    return layer;
  };

  /* Open a page of this site (a seam for tests). */
  FK.go = function (url) {
    if (/^\/(?!\/)/.test(url)) window.location.assign(url);
  };

  function swatch(colour, label, className) {
    var li = FK.el("li");
    var box = FK.el("span", className || "fk-swatch");
    if (colour) box.style.background = FK.colour(colour);
    li.appendChild(box);
    li.appendChild(document.createTextNode(" " + label));
    return li;
  }

  function legendBox(o, metric, onChange) {
    var box = FK.el("details", "fk-legend");
    box.open = window.innerWidth >= 600;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    box.appendChild(FK.el("summary", null, o.title));
    var choices = FK.el("div", "fk-metrics");
    var list = FK.el("ul", "fk-classes");
    var group = "fk-metric-" + L.Util.stamp(box);
    var fill = function (key) {
      list.textContent = "";
      o.metrics.forEach(function (m) {
        if (m.key === key) m.classes.forEach(function (row) { list.appendChild(swatch(row.colour, row.label)); });
      });
      list.appendChild(swatch(o.noData.colour, o.noData.label));
      if (o.gap) list.appendChild(swatch(null, o.gap, "fk-swatch fk-gap-swatch"));
    };
    o.metrics.forEach(function (m) {
      var label = FK.el("label");
      var input = FK.el("input");
      input.type = "radio";
      input.name = group;
      input.value = m.key;
      input.checked = m.key === metric;
      input.addEventListener("change", function () {
        if (!input.checked) return;
        onChange(m.key);
        fill(m.key);
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + m.label));
      choices.appendChild(label);
    });
    box.appendChild(choices);
    box.appendChild(list);
    fill(metric);
    return box;
  }

  /* The gap layer: a dashed outline around each commune in o.codes, above the choropleth. */
  FK.gaps = function (map, dataId, o) {
    if (!map.getPane("fkGaps")) {
      map.createPane("fkGaps").style.zIndex = 410;
      map.getPane("fkGaps").style.pointerEvents = "none";
    }
    var codes = {};
    o.codes.forEach(function (code) { codes[code] = true; });
    var all = FK.data(dataId);
    var features = all.features.filter(function (f) { return codes[f.properties.code]; });
    return L.geoJSON({ type: "FeatureCollection", features: features }, {
      pane: "fkGaps", interactive: false,
      style: { color: "#111111", weight: 3, opacity: 1, dashArray: "7 5", fill: false },
    });
  };

  /* Per-commune totals: a badge per commune (its total in a ring split by type), clustered like the points so
     badges never lie on each other; a badge's popup counts by type and zooms in. Zooming in far enough loads
     the points of the view instead. Needs map-points.js. */
  FK.aggregates = function (map, dataId, o) {
    var rows = FK.data(dataId) || [];
    var slots = o.kinds.length;
    var sum = function (markers) {
      var counts = new Array(slots).fill(0);
      var total = 0;
      markers.forEach(function (m) {
        total += m.fieldkitTotal;
        m.fieldkitCounts.forEach(function (n, i) { counts[i] += n; });
      });
      return { total: total, counts: counts };
    };
    var group = L.markerClusterGroup({
      showCoverageOnHover: false,
      zoomToBoundsOnClick: false,
      spiderfyOnMaxZoom: false,
      maxClusterRadius: o.radius || 72,
      iconCreateFunction: function (cluster) {
        var found = sum(cluster.getAllChildMarkers());
        return FK.ring(found.total, found.counts, o.kinds);
      },
    });
    rows.forEach(function (r) {
      if (!r[2]) return;
      var marker = L.marker([r[0], r[1]], { icon: FK.ring(r[2], r[3], o.kinds), keyboard: false });
      marker.fieldkitTotal = Number(r[2]);
      marker.fieldkitCounts = r[3];
      marker.fieldkitName = r[4];
      group.addLayer(marker);
    });
    group.on("click", function (e) { // one commune: its button zooms in to where its points load
      var m = e.layer;
      var at = m.getLatLng();
      var title = m.fieldkitName + " · " + FK.number(m.fieldkitTotal) + " " + o.texts.activities;
      FK.breakdown(map, at, title, m.fieldkitCounts, o, L.latLngBounds([at, at]), function () {
        map.setView(at, Math.max(map.getZoom() + 2, o.detailZoom));
      });
    });
    group.on("clusterclick", function (e) {
      var found = sum(e.layer.getAllChildMarkers());
      var title = FK.number(found.total) + " " + o.texts.activities;
      FK.breakdown(map, e.layer.getLatLng(), title, found.counts, o, e.layer.getBounds());
    });
    if (o.pointsUrl) FK.loadOnZoom(map, group, o);
    return group;
  };
})();
