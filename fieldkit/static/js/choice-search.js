/* A search box for a choice too long to list (a country's bodies, officers, communes): as one types, the matching
   choices fill its <datalist>, which the browser offers under the box; the box sends the chosen value. Without this
   script the box still takes a value typed in. Reads input[data-search]: the URL that answers
   {"items": [[value, label], …]} for ?q= (fieldkit/choices.py). */
(function () {
  "use strict";
  var WAIT_MS = 250;

  function watch(box) {
    if (box.fieldkitWatched) return; // each box of the page links this script: it runs once per box
    box.fieldkitWatched = true;
    var list = document.getElementById(box.getAttribute("list"));
    var label = box.parentNode.querySelector(".chosen-name");
    var timer = null;
    var asked = 0;
    var names = {};
    Array.prototype.forEach.call(list.options, function (o) { names[o.value] = o.textContent; });

    function fill(items) {
      list.textContent = "";
      items.forEach(function (item) {
        names[item[0]] = item[1];
        var option = document.createElement("option");
        option.value = item[0];
        option.textContent = item[1];
        list.appendChild(option);
      });
    }

    function search() {
      var words = box.value.trim();
      if (words.length < 2 || names[words] !== undefined) return;
      var mine = (asked += 1);
      var url = box.getAttribute("data-search") + "?q=" + encodeURIComponent(words);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : { items: [] }; })
        .then(function (found) { if (mine === asked) fill(found.items || []); })
        .catch(function () { /* offline: the box still takes a code */ });
    }

    box.addEventListener("input", function () {
      if (label) label.textContent = names[box.value] || "";
      clearTimeout(timer);
      timer = setTimeout(search, WAIT_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-search]"), watch);
})();
