// Read a banner label's QR code: from the camera (BarcodeDetector where the browser has it, else the vendored
// jsQR on video frames) or from a photo of the label. What it holds is the label's link, /b/<code>?s=…; codeOf()
// takes the banner code out of it (or out of a code typed by hand).
(function (root) {
  "use strict";
  var ALPHABET = /^[0-9A-HJKMNP-TV-Z]{6}$/;

  function codeOf(text) {
    if (!text) return null;
    var match = /\/b\/([0-9A-Za-z-]+)/.exec(text);
    var raw = (match ? match[1] : text).toUpperCase().replace(/[\s_-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
    return ALPHABET.test(raw) ? raw : null;
  }

  function detector() {
    if (!("BarcodeDetector" in root)) return Promise.resolve(null);
    return root.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new root.BarcodeDetector({formats: ["qr_code"]}) : null;
    }).catch(function () { return null; });
  }

  // jsQR reads RGBA pixels: draw the source on a canvas (a large photo scaled down to 1,024 px first).
  function withJsQR(source, width, height) {
    var scale = Math.min(1, 1024 / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var context = canvas.getContext("2d", {willReadFrequently: true});
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = root.jsQR(pixels.data, canvas.width, canvas.height, {inversionAttempts: "attemptBoth"});
    return found ? found.data : null;
  }

  function read(source, width, height) {
    return detector().then(function (d) {
      if (!d) return withJsQR(source, width, height);
      return d.detect(source).then(function (codes) {
        return codes.length ? codes[0].rawValue : withJsQR(source, width, height);
      });
    });
  }

  // A photo of a label (a file from the camera or the gallery): the text of its QR code, or null.
  function fromImage(file) {
    return root.createImageBitmap(file).then(function (bitmap) { return read(bitmap, bitmap.width, bitmap.height); });
  }

  // Watch the camera until a label is read; resolve with its text. stop() ends the watch and the camera.
  function fromCamera(video) {
    var stream = null, stopped = false;
    var done = root.navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play();
      }).then(function () {
        return new Promise(function (resolve, reject) {
          function tick() {
            if (stopped) { reject(new Error("stopped")); return; }
            if (video.readyState < 2) { setTimeout(tick, 200); return; }
            read(video, video.videoWidth, video.videoHeight).then(function (text) {
              if (text && codeOf(text)) resolve(text); else setTimeout(tick, 250);
            }, function () { setTimeout(tick, 250); });
          }
          tick();
        });
      });
    function stop() {
      stopped = true;
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    }
    done.then(stop, stop);
    return {done: done, stop: stop};
  }

  root.FK = root.FK || {};
  root.FK.qr = {codeOf: codeOf, fromImage: fromImage, fromCamera: fromCamera, detector: detector};
})(self);
