// enhancements

/* ---- Resource page: sort the preview table by a column (web/templates/resource.html). ----
   Without JavaScript the table keeps the file's order. With it, each column heading becomes a
   button: ascending, then descending; numbers compare as numbers (1.234,5 and 1,234.5 alike),
   text in Vietnamese order; empty cells go last. Only cell text is read and moved. */
(function sortPreviewTables() {
  "use strict";
  function number(text) {
    var t = text.trim().replace(/%$/, "").replace(/\s/g, "");
    if (!/^[-+]?\d[\d.,]*$/.test(t)) return NaN;
    var dot = t.lastIndexOf("."), comma = t.lastIndexOf(",");
    if (dot >= 0 && comma >= 0) {
      t = dot > comma ? t.replace(/,/g, "") : t.replace(/\./g, "").replace(",", ".");
    } else if (comma >= 0) {
      t = /^[-+]?\d{1,3}(,\d{3})+$/.test(t) ? t.replace(/,/g, "") : t.replace(",", ".");
    } else if (/^[-+]?\d{1,3}(\.\d{3}){2,}$/.test(t)) {
      t = t.replace(/\./g, "");
    }
    return parseFloat(t);
  }
  var collator = window.Intl ? new Intl.Collator("vi", { numeric: true, sensitivity: "base" }) : null;
  function compareText(a, b) { return collator ? collator.compare(a, b) : a.localeCompare(b); }
  function sortBy(table, column, descending) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = table.tHead.rows[0].cells[column].classList.contains("num");
    var keyed = rows.map(function (row, index) {
      var cell = row.cells[column];
      var text = cell ? cell.textContent : "";
      return { row: row, index: index, text: text, value: numeric ? number(text) : NaN };
    });
    keyed.sort(function (a, b) {
      var emptyA = a.text.trim() === "", emptyB = b.text.trim() === "";
      if (emptyA !== emptyB) return emptyA ? 1 : -1;
      var order = numeric && !isNaN(a.value) && !isNaN(b.value) ? a.value - b.value : compareText(a.text, b.text);
      if (descending) order = -order;
      return order || a.index - b.index;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.preview-table"), function (table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var headers = table.tHead.rows[0].cells;
    var hint = table.getAttribute("data-sort-hint") || "";
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      if (hint) button.title = hint;
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortBy(table, column, descending);
      });
    });
  });
})();
