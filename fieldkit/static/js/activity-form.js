// The record-an-activity form: show the chosen type's fields, take a GPS fix, default the commune.
// Everything here is optional: without JavaScript the form still works with every field shown.
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) return;
  var text = JSON.parse(document.getElementById("form-text").textContent);
  var goal = Number(form.dataset.accuracyGoal) || 100;
  var lat = form.elements.lat, lon = form.elements.lon, acc = form.elements.accuracy_m;
  var source = document.getElementById("location_source");
  var status = document.getElementById("gps-status");
  var commune = document.getElementById("declared_area_code");
  var communeTouched = false, watchId = null, timer = null, best = null;

  // Only the chosen type's fieldset is shown and submitted (disabled inputs are not sent).
  function showType() {
    var chosen = form.querySelector("input[name=type]:checked");
    form.querySelectorAll(".type-fields").forEach(function (set) {
      var on = chosen && set.dataset.type === chosen.value;
      set.hidden = !on;
      set.disabled = !on;
    });
  }
  form.querySelectorAll("input[name=type]").forEach(function (r) { r.addEventListener("change", showType); });
  showType();

  function say(key, metres) {
    status.textContent = text[key].replace("{m}", metres === undefined ? "" : Math.round(metres));
    status.dataset.state = key;
  }

  function locate(latitude, longitude) {
    if (communeTouched || !navigator.onLine) return;
    fetch(form.dataset.locateUrl + "?lat=" + latitude + "&lon=" + longitude, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (area) { if (area && area.code && !communeTouched) commune.value = area.code; })
      .catch(function () { /* offline: the officer's scope stays selected */ });
  }

  // Keep the best fix seen; stop when it is better than the goal or after 30 s.
  function onFix(position) {
    var c = position.coords;
    if (best && c.accuracy >= best.accuracy) return;
    best = {latitude: c.latitude, longitude: c.longitude, accuracy: c.accuracy};
    lat.value = c.latitude.toFixed(6);
    lon.value = c.longitude.toFixed(6);
    acc.value = Math.round(c.accuracy * 10) / 10;
    source.value = "gps";
    if (c.accuracy <= goal) { say("good", c.accuracy); stop(); } else { say("fix", c.accuracy); }
    locate(c.latitude, c.longitude);
  }

  function onError(error) {
    if (best) return;
    say(error.code === 1 ? "denied" : "unavailable");
    if (error.code === 1) stop();
  }

  function stop() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    clearTimeout(timer);
  }

  function start() {
    if (!("geolocation" in navigator)) { say("unsupported"); return; }
    stop();
    best = null;
    say("waiting");
    watchId = navigator.geolocation.watchPosition(onFix, onError,
      {enableHighAccuracy: true, maximumAge: 0, timeout: 30000});
    timer = setTimeout(function () { stop(); if (!best) say("unavailable"); }, 30000);
  }

  function clearFix() {
    stop();
    best = null;
    lat.value = lon.value = acc.value = "";
    source.value = "none";
    say("none");
    commune.focus();
  }

  commune.addEventListener("change", function () { communeTouched = true; });
  [lat, lon].forEach(function (input) {
    input.addEventListener("input", function () { stop(); source.value = lat.value && lon.value ? "map" : "none"; });
  });
  document.querySelector(".gps-actions").hidden = false;
  document.getElementById("gps-start").addEventListener("click", start);
  document.getElementById("gps-clear").addEventListener("click", clearFix);
  if (!lat.value) start();
})();
