// The record-an-activity form: show the chosen type's fields, take a GPS fix (or a point typed in or placed on the
// map, form-map.js), default the commune from it.
// Everything here is optional: without JavaScript the form still works with every field shown (a plain POST).
// outbox-form.js, where the phone has an outbox, saves a new entry there instead of posting it.
(function (root) {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) return;
  var FK = root.FK = root.FK || {};
  var text = JSON.parse(document.getElementById("form-text").textContent);
  var positionText = document.getElementById("position-text");
  if (positionText) Object.assign(text, JSON.parse(positionText.textContent));
  var goal = Number(form.dataset.accuracyGoal) || 100;
  var lat = form.elements.lat, lon = form.elements.lon, acc = form.elements.accuracy_m;
  var source = document.getElementById("location_source");
  var status = document.getElementById("gps-status");
  var commune = document.getElementById("declared_area_code");
  var communeTouched = false, watchId = null, timer = null, best = null;

  // Only the chosen type's fieldset is shown and submitted (disabled inputs are not sent).
  function chosenType() {
    var chosen = form.querySelector("input[name=type]:checked");
    return chosen ? chosen.value : "";
  }

  function showType() {
    form.querySelectorAll(".type-fields").forEach(function (set) {
      var on = set.dataset.type === chosenType();
      set.hidden = !on;
      set.disabled = !on;
    });
    form.querySelectorAll("[data-types]").forEach(function (set) {  // fields shared by some types
      var on = set.getAttribute("data-types").split(" ").indexOf(chosenType()) >= 0;
      set.hidden = !on;
      set.disabled = !on;
    });
  }
  form.querySelectorAll("input[name=type]").forEach(function (r) { r.addEventListener("change", showType); });
  showType();

  function say(key, metres) {
    status.textContent = text[key].replace("{m}", metres === undefined ? "" : Math.round(metres))
      .replace("{goal}", goal);
    status.dataset.state = key;
  }

  // The commune of the point: from the commune outlines the phone keeps (form-map.js, place-offline.js), with the
  // server's rule, online or not; without them, asked of the server (offline the officer's commune stays).
  function locate(latitude, longitude) {
    if (communeTouched) return;
    var here = FK.formMap && FK.formMap.communeOf(latitude, longitude);
    if (here && commune.querySelector("option[value='" + here + "']")) { commune.value = here; return; }
    if (!navigator.onLine) return;
    fetch(form.dataset.locateUrl + "?lat=" + latitude + "&lon=" + longitude, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (area) { if (area && area.code && !communeTouched) commune.value = area.code; })
      .catch(function () { /* offline: the officer's scope stays selected */ });
  }

  // Keep the best fix seen, showing its accuracy as it improves; stop when it beats the goal or after 30 s.
  // The fix comes from the phone's GPS and needs no network.
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
    moved();
  }

  // The map and the commune follow every change of the point (form-map.js listens).
  function moved() { form.dispatchEvent(new CustomEvent("fk-position")); }

  function number(input) {
    var v = Number(input.value.trim().replace(",", "."));
    return input.value.trim() && isFinite(v) ? v : null;
  }

  // A point placed on the map (source "map") or typed into latitude/longitude ("typed"): no GPS accuracy.
  function placeBy(how, latitude, longitude) {
    stop();
    best = null;
    if (how === "map") { lat.value = latitude.toFixed(6); lon.value = longitude.toFixed(6); }
    acc.value = "";
    var both = number(lat) !== null && number(lon) !== null;
    source.value = both ? how : "none";
    if (both) { say(how === "map" ? "placed" : "typed"); locate(number(lat), number(lon)); }
    moved();
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
    timer = setTimeout(function () {
      stop();
      if (best) say("best", best.accuracy); else say("unavailable");
    }, 30000);
  }

  function clearFix() {
    stop();
    best = null;
    lat.value = lon.value = acc.value = "";
    source.value = "none";
    say("none");
    moved();
    commune.focus();
  }

  commune.addEventListener("change", function () { communeTouched = true; });
  [lat, lon].forEach(function (input) {
    input.addEventListener("input", function () { placeBy("typed"); });
  });
  document.querySelector(".gps-actions").hidden = false;
  document.getElementById("gps-start").addEventListener("click", start);
  document.getElementById("gps-clear").addEventListener("click", clearFix);

  FK.form = {
    text: text, start: start, say: say, showType: showType, chosenType: chosenType,
    communeChosen: function () { communeTouched = true; },
    place: function (latitude, longitude) { placeBy("map", latitude, longitude); },
    locate: function () { if (number(lat) !== null && number(lon) !== null) locate(number(lat), number(lon)); },
  };
  // An entry opened from the outbox to be fixed keeps its own position.
  if (!lat.value && !new URLSearchParams(location.search).get("outbox")) start();
})(self);
