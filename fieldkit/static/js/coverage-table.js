// Sort the coverage table by a column when its heading is clicked. Without this script the table is complete,
// in commune-name order; with it, each heading becomes a button. Cells carry their raw value in data-value
// (numbers as plain decimals, dates as yyyy-mm-dd, blank when there is no figure); blanks always sort last.
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || "vi", { numeric: true, sensitivity: "base" });

  function value(row, index) {
    var cell = row.children[index];
    return cell ? cell.getAttribute("data-value") || "" : "";
  }

  function compare(a, b, numeric) {
    if (numeric) return parseFloat(a) - parseFloat(b);
    return collator.compare(a, b);
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var text = header.getAttribute("data-type") === "text";
    // Names start A→Z; figures start with the largest, which is what a supervisor looks for first.
    var ascending = header.getAttribute("aria-sort") ? header.getAttribute("aria-sort") === "descending" : text;
    var numeric = !text && rows.every(function (row) {
      var v = value(row, index);
      return v === "" || !isNaN(parseFloat(v)) && isFinite(v);
    });
    rows.sort(function (ra, rb) {
      var a = value(ra, index), b = value(rb, index);
      if (a === "" || b === "") return (a === "") - (b === "");
      var order = compare(a, b, numeric);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(header.parentNode.children, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index); });
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(enhance);
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
})();
