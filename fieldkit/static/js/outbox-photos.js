// Photos for the outbox: EXIF read from the original first, then drawn upright, downscaled (long edge at most
// 1,600 px) and encoded as JPEG at about 0.8, with the sha256 the server's receipt will be checked against.
(function (root) {
  "use strict";
  var LONG_EDGE = 1600, QUALITY = 0.8, EXIF_BYTES = 256 * 1024;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function sha256(blob) {
    return blob.arrayBuffer().then(function (buffer) { return root.crypto.subtle.digest("SHA-256", buffer); })
      .then(hex);
  }

  // Decode upright: createImageBitmap applies the EXIF orientation itself; older browsers get an <img>, which
  // applies it where CSS image-orientation is supported, and is turned here by hand where it is not.
  function decode(file) {
    if (root.createImageBitmap) {
      return root.createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
        return {source: bitmap, width: bitmap.width, height: bitmap.height, turn: 1};
      }).catch(function () { return decodeWithImage(file); });
    }
    return decodeWithImage(file);
  }

  function decodeWithImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file), image = new Image();
      image.onload = function () {
        URL.revokeObjectURL(url);
        resolve({source: image, width: image.naturalWidth, height: image.naturalHeight, turn: null});
      };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      image.src = url;
    });
  }

  function draw(decoded, orientation) {
    var turn = decoded.turn === null && !(root.CSS && CSS.supports("image-orientation", "from-image")) ?
      orientation : 1;
    var sideways = turn >= 5, w = decoded.width, h = decoded.height;
    var scale = Math.min(1, LONG_EDGE / Math.max(w, h));
    var outW = Math.round((sideways ? h : w) * scale), outH = Math.round((sideways ? w : h) * scale);
    var canvas = document.createElement("canvas");
    canvas.width = outW;
    canvas.height = outH;
    var g = canvas.getContext("2d");
    // The EXIF orientations as canvas transforms (only used when the browser did not turn the image).
    var t = {2: [-1, 0, 0, 1, outW, 0], 3: [-1, 0, 0, -1, outW, outH], 4: [1, 0, 0, -1, 0, outH],
      5: [0, 1, 1, 0, 0, 0], 6: [0, 1, -1, 0, outW, 0], 7: [0, -1, -1, 0, outW, outH], 8: [0, -1, 1, 0, 0, outH]}[turn];
    if (t) g.setTransform(t[0], t[1], t[2], t[3], t[4], t[5]);
    g.fillStyle = "#fff";
    g.fillRect(0, 0, sideways ? outH : outW, sideways ? outW : outH);
    g.drawImage(decoded.source, 0, 0, Math.round(w * scale), Math.round(h * scale));
    if (decoded.source.close) decoded.source.close();
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) resolve({blob: blob, width: outW, height: outH}); else reject(new Error("could not encode"));
      }, "image/jpeg", QUALITY);
    });
  }

  // One chosen file to {blob, sha256, width, height, taken_at, photo_lat, photo_lon, name}.
  function prepare(file) {
    return file.slice(0, EXIF_BYTES).arrayBuffer().then(function (head) {
      var exif = root.FK.exif.read(head);
      return decode(file).then(function (decoded) { return draw(decoded, exif.orientation); })
        .then(function (out) {
          return sha256(out.blob).then(function (digest) {
            return {
              blob: out.blob, sha256: digest, width: out.width, height: out.height, name: file.name || "",
              taken_at: exif.taken_at, photo_lat: exif.lat, photo_lon: exif.lon,
            };
          });
        });
    });
  }

  root.FK = root.FK || {};
  root.FK.photos = {prepare: prepare, sha256: sha256, LONG_EDGE: LONG_EDGE};
})(self);
