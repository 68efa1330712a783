// Which commune a point lies in, on the phone, from the commune outlines it keeps (GET /api/v1/areas/outlines),
// by the server's rule (fieldkit/areas/index.py): the commune that holds the point (on a shared edge, or where
// outlines overlap, the first by code), else the nearest within the tolerance (FIELDKIT_AREA_TOLERANCE_M), else none.
// It picks the form's commune offline; the server still places every entry itself when it stores it.
// Coordinates are [lon, lat] as in GeoJSON; rings are flat lists [lon, lat, lon, lat, …].
(function (root) {
  "use strict";
  var FK = root.FK = root.FK || {};
  var A = 6378137, E2 = 0.00669437999014; // WGS84, as geopy's geodesic
  var EDGE = 1e-9; // degrees: a point this close to an edge lies on it

  // Metres per degree of latitude and of longitude around a latitude (the ellipsoid's radii of curvature):
  // within a few kilometres this is the geodesic distance to well under a metre.
  function scale(lat) {
    var phi = lat * Math.PI / 180, s = Math.sin(phi), w = 1 - E2 * s * s;
    var m = A * (1 - E2) / Math.pow(w, 1.5), n = A / Math.sqrt(w);
    return {lat: m * Math.PI / 180, lon: n * Math.cos(phi) * Math.PI / 180};
  }

  // Even-odd ray casting; a point on the ring's edge counts as inside (shapely's intersects).
  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      var xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
      if (onSegment(x, y, xi, yi, xj, yj)) return true;
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function onSegment(x, y, ax, ay, bx, by) {
    if (x < Math.min(ax, bx) - EDGE || x > Math.max(ax, bx) + EDGE ||
        y < Math.min(ay, by) - EDGE || y > Math.max(ay, by) + EDGE) return false;
    var cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    var length = Math.sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay)) || 1;
    return Math.abs(cross) / length <= EDGE;
  }

  function inPolygon(polygon, x, y) {
    if (!inRing(polygon[0], x, y)) return false;
    for (var h = 1; h < polygon.length; h++) {
      if (inRing(polygon[h], x, y) && !onRingEdge(polygon[h], x, y)) return false;
    }
    return true;
  }

  function onRingEdge(ring, x, y) {
    for (var i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      if (onSegment(x, y, ring[i], ring[i + 1], ring[j], ring[j + 1])) return true;
    }
    return false;
  }

  // Metres from the point to the nearest edge of the area, in the local metric plane around the point.
  function distance(area, lon, lat, k) {
    var best = Infinity;
    area.polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        for (var i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
          var ax = (ring[j] - lon) * k.lon, ay = (ring[j + 1] - lat) * k.lat;
          var bx = (ring[i] - lon) * k.lon, by = (ring[i + 1] - lat) * k.lat;
          var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
          var t = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
          var px = ax + t * dx, py = ay + t * dy, d = Math.sqrt(px * px + py * py);
          if (d < best) best = d;
        }
      });
    });
    return best;
  }

  function holds(area, lon, lat) {
    var b = area.bbox;
    if (lon < b[0] - EDGE || lon > b[2] + EDGE || lat < b[1] - EDGE || lat > b[3] + EDGE) return false;
    return area.polygons.some(function (polygon) { return inPolygon(polygon, lon, lat); });
  }

  // Place a point: {code, distance_m} (0 inside), or {code: null, distance_m: null} when no commune is near.
  function locate(outlines, lat, lon, toleranceM) {
    var areas = outlines.areas.slice().sort(function (a, b) { return a.code < b.code ? -1 : a.code > b.code ? 1 : 0; });
    var tolerance = toleranceM === undefined ? outlines.tolerance_m : toleranceM;
    for (var i = 0; i < areas.length; i++) {
      if (holds(areas[i], lon, lat)) return {code: areas[i].code, distance_m: 0};
    }
    var none = {code: null, distance_m: null};
    if (!(tolerance > 0)) return none;
    var k = scale(lat), padLat = tolerance / k.lat, padLon = tolerance / Math.max(k.lon, 1);
    var found = none;
    areas.forEach(function (area) {
      var b = area.bbox;
      if (lon < b[0] - padLon || lon > b[2] + padLon || lat < b[1] - padLat || lat > b[3] + padLat) return;
      var metres = distance(area, lon, lat, k);
      if (metres <= tolerance && (found.code === null || metres < found.distance_m)) {
        found = {code: area.code, distance_m: Math.round(metres * 10) / 10};
      }
    });
    return found;
  }

  FK.place = {locate: locate, scale: scale};
})(self);
