// A small EXIF reader: orientation, the time the photo was taken and its GPS position, from a JPEG's APP1.
// Reads IFD0, the Exif IFD and the GPS IFD in either byte order; anything it cannot read is left out.
(function (root) {
  "use strict";
  var TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8};

  function tiff(view, start, end) {
    var order = view.getUint16(start);
    if (order !== 0x4949 && order !== 0x4d4d) return null;
    var little = order === 0x4949;
    if (view.getUint16(start + 2, little) !== 42) return null;
    return {view: view, start: start, end: end, little: little};
  }

  // One IFD as {tag: entry}; values are read lazily by value().
  function ifd(t, offset) {
    var at = t.start + offset, entries = {};
    if (offset < 8 || at + 2 > t.end) return entries;
    var count = t.view.getUint16(at, t.little);
    for (var i = 0; i < count; i++) {
      var e = at + 2 + i * 12;
      if (e + 12 > t.end) break;
      var type = t.view.getUint16(e + 2, t.little), n = t.view.getUint32(e + 4, t.little);
      var size = (TYPE_SIZE[type] || 0) * n;
      if (!size) continue;
      var where = size <= 4 ? e + 8 : t.start + t.view.getUint32(e + 8, t.little);
      if (where + size > t.end) continue;
      entries[t.view.getUint16(e, t.little)] = {type: type, count: n, at: where};
    }
    return entries;
  }

  function value(t, entry) {
    if (!entry) return undefined;
    var v = t.view, out = [], i;
    if (entry.type === 2) {
      for (i = 0; i < entry.count; i++) {
        var c = v.getUint8(entry.at + i);
        if (!c) break;
        out.push(String.fromCharCode(c));
      }
      return out.join("").trim();
    }
    for (i = 0; i < entry.count; i++) {
      var p = entry.at + i * TYPE_SIZE[entry.type];
      switch (entry.type) {
        case 1: case 7: out.push(v.getUint8(p)); break;
        case 3: out.push(v.getUint16(p, t.little)); break;
        case 4: out.push(v.getUint32(p, t.little)); break;
        case 9: out.push(v.getInt32(p, t.little)); break;
        case 5: out.push(v.getUint32(p, t.little) / v.getUint32(p + 4, t.little)); break;
        case 10: out.push(v.getInt32(p, t.little) / v.getInt32(p + 4, t.little)); break;
      }
    }
    return out.length === 1 ? out[0] : out;
  }

  function degrees(parts, ref, negative) {
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every(isFinite)) return null;
    var d = parts[0] + parts[1] / 60 + parts[2] / 3600;
    return String(ref || "").toUpperCase() === negative ? -d : d;
  }

  // "2025:11:20 09:30:15" (+ "+07:00") to "2025-11-20T09:30:15+07:00"; no offset: the phone's own, then.
  function isoTime(raw, offset) {
    var m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw || "");
    if (!m || m[1] === "0000") return null;
    if (!/^[+-]\d{2}:\d{2}$/.test(offset || "")) {
      var local = new Date(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
      if (isNaN(local)) return null;
      var minutes = -local.getTimezoneOffset(), sign = minutes < 0 ? "-" : "+";
      minutes = Math.abs(minutes);
      offset = sign + String(Math.floor(minutes / 60)).padStart(2, "0") + ":" + String(minutes % 60).padStart(2, "0");
    }
    return m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6] + offset;
  }

  // Find APP1 "Exif\0\0" before the image data and read what fieldkit needs from it.
  function read(buffer) {
    var result = {orientation: 1, taken_at: null, lat: null, lon: null};
    try {
      var view = new DataView(buffer), pos = 2;
      if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return result;
      while (pos + 4 <= view.byteLength) {
        var marker = view.getUint16(pos), length = view.getUint16(pos + 2);
        if ((marker & 0xff00) !== 0xff00 || marker === 0xffda || length < 2) break;
        if (marker === 0xffe1 && pos + 10 <= view.byteLength && view.getUint32(pos + 4) === 0x45786966 &&
            view.getUint16(pos + 8) === 0) {
          var t = tiff(view, pos + 10, Math.min(view.byteLength, pos + 2 + length));
          if (t) return Object.assign(result, fields(t));
        }
        pos += 2 + length;
      }
    } catch (error) { /* a damaged header: treat as no EXIF */ }
    return result;
  }

  function fields(t) {
    var found = {}, zero = ifd(t, t.view.getUint32(t.start + 4, t.little));
    var orientation = value(t, zero[0x0112]);
    if (orientation >= 1 && orientation <= 8) found.orientation = orientation;
    var exif = zero[0x8769] ? ifd(t, value(t, zero[0x8769])) : {};
    found.taken_at = isoTime(value(t, exif[0x9003]) || value(t, zero[0x0132]), value(t, exif[0x9011]));
    if (zero[0x8825]) {
      var gps = ifd(t, value(t, zero[0x8825]));
      var lat = degrees(value(t, gps[2]), value(t, gps[1]), "S");
      var lon = degrees(value(t, gps[4]), value(t, gps[3]), "W");
      if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && (lat || lon)) {
        found.lat = Math.round(lat * 1e6) / 1e6;
        found.lon = Math.round(lon * 1e6) / 1e6;
      }
    }
    return found;
  }

  root.FK = root.FK || {};
  root.FK.exif = {read: read};
})(self);
