/* FieldkitMap.heat: a small canvas heat layer (no plugin, no CDN). Points are summed on a grid of a few pixels,
   each cell stamps a blurred disc, and the density is coloured through a palette. Needs map-points.js first. */
(function () {
  "use strict";
  var FK = (window.FieldkitMap = window.FieldkitMap || {});
  var GRADIENT = { 0.25: "#2c7bb6", 0.45: "#abd9e9", 0.6: "#ffffbf", 0.8: "#fdae61", 1: "#d7191c" };

  function stamp(radius, blur) {
    var r = radius + blur;
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = r * 2;
    var ctx = canvas.getContext("2d");
    // Draw the disc off-canvas and keep only its blurred shadow.
    ctx.shadowOffsetX = ctx.shadowOffsetY = r * 2;
    ctx.shadowBlur = blur;
    ctx.shadowColor = "black";
    ctx.beginPath();
    ctx.arc(-r, -r, radius, 0, Math.PI * 2, true);
    ctx.fill();
    return canvas;
  }

  function palette() {
    var canvas = document.createElement("canvas");
    canvas.width = 256;
    canvas.height = 1;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    var gradient = ctx.createLinearGradient(0, 0, 256, 0);
    Object.keys(GRADIENT).forEach(function (stop) { gradient.addColorStop(Number(stop), GRADIENT[stop]); });
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 256, 1);
    return ctx.getImageData(0, 0, 256, 1).data;
  }

  FK.HeatLayer = L.Layer.extend({
    options: { radius: 14, blur: 12, cell: 4, minOpacity: 0.2, opacity: 0.75 },

    /* load() answers {lat, lon, weight} arrays; it runs when the layer is first shown. */
    initialize: function (load, options) {
      this._load = load;
      L.setOptions(this, options);
    },

    onAdd: function (map) {
      if (!this._x) this._project(this._load());
      this._canvas = L.DomUtil.create("canvas", "fk-heat");
      this._canvas.style.opacity = this.options.opacity;
      map.getPane("overlayPane").appendChild(this._canvas);
      map.on("moveend resize", this._draw, this);
      map.on("zoomstart", this._hide, this);
      this._draw();
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend resize", this._draw, this);
      map.off("zoomstart", this._hide, this);
    },

    /* Web Mercator in [0, 1]: a pixel at zoom z is this times 256 * 2^z. */
    _project: function (data) {
      var n = data.lat.length;
      this._x = new Float64Array(n);
      this._y = new Float64Array(n);
      this._w = data.weight || null;
      for (var i = 0; i < n; i += 1) {
        var s = Math.sin((Math.max(-85, Math.min(85, data.lat[i])) * Math.PI) / 180);
        this._x[i] = (data.lon[i] + 180) / 360;
        this._y[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
      }
    },

    _hide: function () {
      this._canvas.style.display = "none";
    },

    _draw: function () {
      var map = this._map;
      var o = this.options;
      var size = map.getSize();
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = size.x;
      canvas.height = size.y;
      canvas.style.display = "";
      var scale = 256 * Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin();
      var dx = origin.x + topLeft.x;
      var dy = origin.y + topLeft.y;
      var pad = o.radius + o.blur;
      var cols = Math.ceil((size.x + 2 * pad) / o.cell);
      var rows = Math.ceil((size.y + 2 * pad) / o.cell);
      var grid = new Float32Array(cols * rows);
      var max = 0;
      for (var i = 0; i < this._x.length; i += 1) {
        var px = this._x[i] * scale - dx + pad;
        var py = this._y[i] * scale - dy + pad;
        if (px < 0 || py < 0 || px >= cols * o.cell || py >= rows * o.cell) continue;
        var k = Math.floor(py / o.cell) * cols + Math.floor(px / o.cell);
        grid[k] += this._w ? this._w[i] : 1;
        if (grid[k] > max) max = grid[k];
      }
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.clearRect(0, 0, size.x, size.y);
      if (!max || !size.x || !size.y) return;
      var disc = this._disc || (this._disc = stamp(o.radius, o.blur));
      var half = disc.width / 2;
      for (var c = 0; c < grid.length; c += 1) {
        if (!grid[c]) continue;
        ctx.globalAlpha = Math.max(o.minOpacity, Math.min(1, Math.sqrt(grid[c] / max)));
        var cx = (c % cols) * o.cell + o.cell / 2 - pad;
        var cy = Math.floor(c / cols) * o.cell + o.cell / 2 - pad;
        ctx.drawImage(disc, cx - half, cy - half);
      }
      this._colour(ctx, size);
    },

    _colour: function (ctx, size) {
      var colours = this._palette || (this._palette = palette());
      var image = ctx.getImageData(0, 0, size.x, size.y);
      var px = image.data;
      for (var i = 3; i < px.length; i += 4) {
        var a = px[i];
        if (!a) continue;
        px[i - 3] = colours[a * 4];
        px[i - 2] = colours[a * 4 + 1];
        px[i - 1] = colours[a * 4 + 2];
      }
      ctx.putImageData(image, 0, 0);
    },
  });

  /* The heat of the activities: from the clusters' packed points, or from per-commune totals. */
  FK.heat = function (map, _dataId, o) {
    return new FK.HeatLayer(function () {
      if (o.aggregates) {
        var rows = FK.data(o.aggregates) || [];
        return {
          lat: rows.map(function (r) { return r[0]; }),
          lon: rows.map(function (r) { return r[1]; }),
          weight: rows.map(function (r) { return r[2]; }),
        };
      }
      var lat = [];
      var lon = [];
      o.sources.forEach(function (id) {
        var packed = FK.data(id);
        if (!packed || !packed.n) return;
        var points = FK.unpack(packed);
        for (var i = 0; i < points.lat.length; i += 1) {
          lat.push(points.lat[i]);
          lon.push(points.lon[i]);
        }
      });
      return { lat: lat, lon: lon };
    }, o.aggregates ? { radius: 28, blur: 22 } : {});
  };
})();
