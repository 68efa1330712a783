// The server's own rules for an activity, carried by the page as data (forms/activity_rules.py): which fields
// the chosen type requires, ranges, lengths, the date window and the sums that may not pass a count. This script
// marks the required fields, checks an entry before anything is saved, and shows each message beside its field,
// named by the field's label. It holds no rule and no message of its own.
(function (root) {
  "use strict";
  var form = document.getElementById("activity-form"), node = document.getElementById("form-rules");
  if (!form || !node) return;
  var FK = root.FK = root.FK || {};
  var rules = JSON.parse(node.textContent), counter = 0;

  function chosenType() {
    var chosen = form.querySelector("input[name=type]:checked");
    return chosen ? chosen.value : "";
  }

  function input(name) {
    var found = form.elements[name];
    return found && found.length !== undefined && !found.tagName ? found[0] : found;
  }

  function raw(name) {
    if (name === "type") return chosenType();
    var el = input(name);
    return el && typeof el.value === "string" ? el.value.trim() : "";
  }

  function positioned() { return raw("lat") !== "" && raw("lon") !== ""; }

  // Required now: always, by the chosen type, and the commune when a type that needs a place has no position.
  function required(type) {
    var own = (rules.types[type] || {}).required || [];
    var names = rules.always.concat(own);
    var needs = (rules.types[type] || {}).needs_position;
    if (needs && !positioned()) names.push(rules.position.commune);
    return names;
  }

  function holder(name) { return document.getElementById("field-" + name); }

  // A visible mark and required/aria-required on the fields the chosen type requires; updated on every change.
  function mark() {
    var type = chosenType(), now = required(type);
    Object.keys(rules.fields).forEach(function (name) {
      var on = now.indexOf(name) >= 0, box = holder(name), el = input(name);
      if (box) box.classList.toggle("required", on);
      if (name === "type") {
        if (box) box.setAttribute("aria-required", on ? "true" : "false");
        return;
      }
      if (!el || el.type === "hidden") return;
      el.required = on;
      if (on) el.setAttribute("aria-required", "true"); else el.removeAttribute("aria-required");
    });
  }

  function labelled(name, message) {
    var rule = rules.fields[name];
    if (!rule) return message;
    return rules.labelled.replace("%(label)s", rule.label).replace("%(message)s", message);
  }

  function number(name, text) {
    var kind = rules.fields[name].kind;
    var normal = kind === "number" ? text.replace(",", ".") : text;
    var pattern = kind === "integer" ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
    return pattern.test(normal) ? Number(normal) : NaN;
  }

  // "2025-11-20T09:30" as the phone's local time.
  function localTime(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
    return m ? new Date(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0)) : null;
  }

  // Check the form as it stands; answer [[field name, message naming the field], …], the first problem per field.
  function check() {
    var type = chosenType(), problems = [], seen = {};
    function add(name, message) {
      if (seen[name]) return;
      seen[name] = true;
      problems.push([name, labelled(name, message)]);
    }
    var names = rules.always.concat((rules.types[type] || {}).fields || []);
    ["lat", "lon", "accuracy_m", "topic", "notes"].forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); });
    var own = (rules.types[type] || {}).required || [];
    names.forEach(function (name) {
      var rule = rules.fields[name], text = raw(name);
      if (!rule) return;
      if (text === "") {
        if (rules.always.indexOf(name) >= 0 || own.indexOf(name) >= 0) add(name, rule.messages.required);
        return;
      }
      if (rule.kind === "integer" || rule.kind === "number") {
        var value = number(name, text);
        if (isNaN(value)) { add(name, rule.messages.number); return; }
        if (rule.min !== undefined && rule.min !== null && value < rule.min ||
            rule.max !== undefined && rule.max !== null && value > rule.max) add(name, rule.messages.range);
      }
      if (rule.maxlength !== undefined && Array.from(text.normalize("NFC")).length > rule.maxlength) {
        add(name, rule.messages.maxlength);
      }
      if (rules.urls.indexOf(name) >= 0 && !/^https?:\/\/[^\s/]+\.[^\s/]+/i.test(text)) add(name, rule.messages.url);
    });
    var date = rules.date, when = localTime(raw(date.field));
    if (raw(date.field) !== "" && when) {
      if (when < new Date(date.min)) add(date.field, date.messages.min);
      else if (when.getTime() > Date.now() + date.future_slack_s * 1000) add(date.field, date.messages.future);
    }
    var pair = rules.position.pair;
    if ((raw(pair[0]) === "") !== (raw(pair[1]) === "")) {
      add(raw(pair[0]) === "" ? pair[0] : pair[1], rules.position.messages.pair);
    }
    if ((rules.types[type] || {}).needs_position && !positioned() && raw(rules.position.commune) === "") {
      add(rules.position.commune, rules.position.messages.commune);
    }
    rules.sums.forEach(function (sum) {
      if (sum.type !== type || seen[sum.at]) return;
      var limit = number(sum.limit, raw(sum.limit));
      if (raw(sum.limit) === "" || isNaN(limit)) return;
      var total = sum.parts.reduce(function (acc, name) {
        var v = raw(name) === "" ? 0 : number(name, raw(name));
        return acc + (isNaN(v) ? 0 : v);
      }, 0);
      if (total > limit) add(sum.at, sum.message);
    });
    return problems;
  }

  function clear() {
    form.querySelectorAll("[data-rule-error]").forEach(function (p) {
      var el = p.dataset.for && input(p.dataset.for);
      if (el && el.getAttribute) {
        var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== p.id; });
        if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
        el.removeAttribute("aria-invalid");
      }
      p.remove();
    });
    form.querySelectorAll(".has-error[data-rule-error-holder]").forEach(function (box) {
      box.classList.remove("has-error");
      delete box.dataset.ruleErrorHolder;
    });
    var summary = document.getElementById("form-summary");
    if (summary) summary.hidden = true;
  }

  // Show a message beside its field (or above the form when no field has that name), tied to it by
  // aria-describedby; the typed values stay as they are.
  function show(name, message) {
    var box = holder(name) || (name === "lat" || name === "lon" || name === "accuracy_m" ?
      document.getElementById("gps") : null);
    var p = document.createElement("p");
    p.className = "error";
    p.id = "rule-error-" + (++counter);
    p.dataset.ruleError = "1";
    p.dataset.for = name;
    p.textContent = message;
    if (!box) {
      p.setAttribute("role", "alert");
      form.insertBefore(p, form.firstChild);
      return p;
    }
    box.appendChild(p);
    if (!box.classList.contains("has-error")) { box.classList.add("has-error"); box.dataset.ruleErrorHolder = "1"; }
    var el = name === "type" ? form.querySelector("input[name=type]") : input(name);
    if (el && el.setAttribute) {
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      ids.push(p.id);
      el.setAttribute("aria-describedby", ids.join(" "));
      el.setAttribute("aria-invalid", "true");
    }
    return p;
  }

  // The summary at the top, then each message at its field; the first field is brought into view and focused.
  function report(problems) {
    clear();
    var summary = document.getElementById("form-summary");
    if (summary) { summary.textContent = rules.summary; summary.hidden = false; }
    problems.forEach(function (p) { show(p[0], p[1]); });
    var first = problems.length && (holder(problems[0][0]) || document.getElementById("gps"));
    if (first) {
      first.scrollIntoView({block: "center"});
      var el = problems[0][0] === "type" ? form.querySelector("input[name=type]") : input(problems[0][0]);
      if (el && el.focus && el.type !== "hidden") el.focus({preventScroll: true});
    }
  }

  // The API's field errors ({name: [messages]}) as problems; keys that are no field of the form (none should
  // reach an officer) are shown above the form without their key.
  function fromApi(fields) {
    var problems = [];
    Object.keys(fields || {}).forEach(function (name) {
      var messages = [].concat(fields[name]);
      problems.push([name, rules.fields[name] ? labelled(name, messages.join(" ")) : messages.join(" ")]);
    });
    return problems;
  }

  form.querySelectorAll("input[name=type]").forEach(function (r) { r.addEventListener("change", mark); });
  ["lat", "lon"].forEach(function (n) { var el = input(n); if (el) el.addEventListener("input", mark); });
  // The GPS fix fills lat/lon from script (no input event): mark again when the position settles.
  var gps = document.getElementById("gps-status");
  if (gps && root.MutationObserver) new root.MutationObserver(mark).observe(gps, {childList: true});
  mark();

  // A form that posts itself (no outbox: an edit) is checked here; the outbox's save checks before saving.
  if (form.dataset.outbox !== "1") {
    form.addEventListener("submit", function (event) {
      var problems = check();
      if (problems.length) { event.preventDefault(); event.stopImmediatePropagation(); report(problems); }
    });
  }

  FK.rules = {data: rules, check: check, mark: mark, show: show, clear: clear, report: report, fromApi: fromApi,
    labelled: labelled};
})(self);
