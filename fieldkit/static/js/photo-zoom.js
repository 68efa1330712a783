/* A full-size photo viewer: links marked data-zoom open their photo in the page's <dialog id="photo-viewer">,
   fitted to the screen, with pinch (two pointers), wheel and button zoom, drag and arrow-key pan, and a double tap
   to switch between fitted and close up. Esc, the close button or a tap on the backdrop closes it, and the focus
   goes back to the link. Without this script the link simply opens the photo file. Its words are in the page. */
(function () {
  'use strict';
  var dialog = document.getElementById('photo-viewer');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  var stage = dialog.querySelector('[data-zoom-stage]');
  var img = stage.querySelector('img');
  var level = dialog.querySelector('[data-zoom-level]');
  var title = dialog.querySelector('[data-zoom-title]');
  var original = dialog.querySelector('[data-zoom-original]');
  var MAX = 4; // screen pixels per photo pixel at the closest
  var STEP = 1.5;
  var view = { scale: 1, x: 0, y: 0, fit: 1 };
  var pointers = new Map();
  var gesture = null;
  var opener = null;
  var lastTap = 0;

  function size() {
    return { w: stage.clientWidth, h: stage.clientHeight, iw: img.naturalWidth || 1, ih: img.naturalHeight || 1 };
  }

  // Keep the photo on the stage: centred along a side where it is smaller, no gap along a side where it is larger.
  function clamp() {
    var s = size();
    var w = s.iw * view.scale;
    var h = s.ih * view.scale;
    view.x = w <= s.w ? (s.w - w) / 2 : Math.min(0, Math.max(s.w - w, view.x));
    view.y = h <= s.h ? (s.h - h) / 2 : Math.min(0, Math.max(s.h - h, view.y));
  }

  function draw() {
    clamp();
    img.style.transform = 'translate(' + view.x + 'px,' + view.y + 'px) scale(' + view.scale + ')';
    var percent = Math.round((view.scale / view.fit) * 100);
    stage.dataset.scale = String(view.scale / view.fit);
    if (level) level.textContent = percent + '%';
  }

  function fit() {
    var s = size();
    view.fit = Math.min(s.w / s.iw, s.h / s.ih, 1) || 1;
    view.scale = view.fit;
    view.x = 0;
    view.y = 0;
    draw();
  }

  // Zoom to a scale, keeping the photo's point under (px, py) — stage coordinates — where it is.
  function zoomTo(scale, px, py) {
    var s = size();
    var next = Math.max(view.fit, Math.min(Math.max(MAX, view.fit), scale));
    if (px === undefined) { px = s.w / 2; py = s.h / 2; }
    view.x = px - (px - view.x) * (next / view.scale);
    view.y = py - (py - view.y) * (next / view.scale);
    view.scale = next;
    draw();
  }

  function local(event) {
    var box = stage.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  function open(link) {
    opener = link;
    var thumb = link.querySelector('img');
    if (title) title.textContent = thumb ? thumb.alt : '';
    if (original) original.href = link.href;
    img.alt = thumb ? thumb.alt : '';
    img.style.transform = '';
    dialog.showModal();
    stage.focus();
    if (img.getAttribute('src') === link.href && img.complete && img.naturalWidth) {
      fit();
    } else {
      stage.dataset.scale = '';
      img.src = link.href;
    }
  }

  img.addEventListener('load', fit);
  window.addEventListener('resize', function () { if (dialog.open) fit(); });

  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-zoom]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    open(link);
  });

  dialog.addEventListener('close', function () {
    pointers.clear();
    gesture = null;
    if (opener) opener.focus();
  });
  // A click on the backdrop (the dialog element itself, outside its box) closes it.
  dialog.addEventListener('click', function (event) {
    if (event.target === dialog) dialog.close();
  });

  dialog.querySelectorAll('[data-zoom-action]').forEach(function (button) {
    button.addEventListener('click', function () {
      var action = button.dataset.zoomAction;
      if (action === 'in') zoomTo(view.scale * STEP);
      else if (action === 'out') zoomTo(view.scale / STEP);
      else if (action === 'reset') fit();
      else if (action === 'close') dialog.close();
    });
  });

  stage.addEventListener('wheel', function (event) {
    event.preventDefault();
    var at = local(event);
    var delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomTo(view.scale * Math.exp(-delta * 0.002), at.x, at.y);
  }, { passive: false });

  // The keys work wherever the focus is in the viewer (on the photo, or on a button just pressed).
  dialog.addEventListener('keydown', function (event) {
    var pan = 60;
    var keys = {
      '+': function () { zoomTo(view.scale * STEP); },
      '=': function () { zoomTo(view.scale * STEP); },
      '-': function () { zoomTo(view.scale / STEP); },
      '0': fit,
      ArrowLeft: function () { view.x += pan; draw(); },
      ArrowRight: function () { view.x -= pan; draw(); },
      ArrowUp: function () { view.y += pan; draw(); },
      ArrowDown: function () { view.y -= pan; draw(); }
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });

  function spread() {
    var points = Array.from(pointers.values());
    var dx = points[0].x - points[1].x;
    var dy = points[0].y - points[1].y;
    return { distance: Math.hypot(dx, dy) || 1, x: (points[0].x + points[1].x) / 2, y: (points[0].y + points[1].y) / 2 };
  }

  function start() {
    if (pointers.size === 1) {
      var only = pointers.values().next().value;
      gesture = { kind: 'pan', x: only.x, y: only.y, vx: view.x, vy: view.y };
    } else if (pointers.size === 2) {
      var now = spread();
      gesture = { kind: 'pinch', distance: now.distance, x: now.x, y: now.y, scale: view.scale, vx: view.x, vy: view.y };
    } else {
      gesture = null;
    }
  }

  stage.addEventListener('pointerdown', function (event) {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    stage.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, local(event));
    start();
    if (pointers.size === 1) {
      var now = Date.now();
      if (now - lastTap < 300) {
        var at = local(event);
        if (view.scale > view.fit * 1.01) fit(); else zoomTo(view.fit * 2.5, at.x, at.y);
        lastTap = 0;
      } else {
        lastTap = now;
      }
    }
  });

  stage.addEventListener('pointermove', function (event) {
    if (!pointers.has(event.pointerId) || !gesture) return;
    pointers.set(event.pointerId, local(event));
    if (gesture.kind === 'pan' && pointers.size === 1) {
      var point = pointers.values().next().value;
      view.x = gesture.vx + (point.x - gesture.x);
      view.y = gesture.vy + (point.y - gesture.y);
      draw();
    } else if (gesture.kind === 'pinch' && pointers.size === 2) {
      var now = spread();
      var scale = Math.max(view.fit, Math.min(Math.max(MAX, view.fit), gesture.scale * (now.distance / gesture.distance)));
      // The photo's point under the fingers' first midpoint follows the midpoint as it moves.
      view.x = now.x - (gesture.x - gesture.vx) * (scale / gesture.scale);
      view.y = now.y - (gesture.y - gesture.vy) * (scale / gesture.scale);
      view.scale = scale;
      draw();
    }
  });

  function end(event) {
    if (!pointers.delete(event.pointerId)) return;
    start(); // a pinch that loses a finger goes on as a pan from where it is
  }
  stage.addEventListener('pointerup', end);
  stage.addEventListener('pointercancel', end);
})();
