// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Search-box suggestions: titles from package_autocomplete, as a listbox under the box.
  function suggest(input) {
    var form = input.form, list = document.createElement("ul"), timer = null, active = -1;
    list.className = "suggestions"; list.id = input.id + "-suggestions"; list.hidden = true;
    list.setAttribute("role", "listbox");
    input.setAttribute("role", "combobox"); input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false"); input.setAttribute("aria-controls", list.id);
    form.appendChild(list);
    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function mark(i) {
      var items = list.querySelectorAll("a");
      items.forEach(function (a, n) { a.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (items[i]) { input.setAttribute("aria-activedescendant", items[i].id); }
    }
    function show(results) {
      list.textContent = "";
      results.forEach(function (r, n) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "/dataset/" + encodeURIComponent(r.name); a.textContent = r.title;
        a.id = list.id + "-" + n; a.setAttribute("role", "option");
        li.appendChild(a); list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?limit=6&q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { result: [] }; })
          .then(function (body) { if (input.value.trim() === q) { show(body.result || []); } })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("a");
      if (list.hidden || !items.length) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location = items[active].href; }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(suggest);

  // A sort choice applies at once (the Apply button stays for those without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

// ---- The dataset page (/dataset/{name}): print and copy buttons. ----
// The buttons are rendered `hidden` and shown here, so a reader without JavaScript never
// meets a button that does nothing (the browser's own print and copy still work).
(function () {
  'use strict';
  function datasetPrint() {
    var buttons = document.querySelectorAll('button[data-print]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener('click', function () { window.print(); });
    }
  }
  function datasetCopy() {
    var buttons = document.querySelectorAll('button[data-copy]');
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var source = document.getElementById(button.getAttribute('data-copy'));
        if (!source) { return; }
        var status = button.parentNode.querySelector('[role="status"]');
        function done() { if (status) { status.textContent = button.getAttribute('data-copied') || ''; } }
        function fallback() {
          source.focus();
          source.select();
          try { if (document.execCommand('copy')) { done(); } } catch (e) { /* selected: the reader copies */ }
        }
        button.hidden = false;
        button.addEventListener('click', function () {
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(source.value).then(done, fallback);
          } else {
            fallback();
          }
        });
      })(buttons[i]);
    }
  }
  function start() { datasetPrint(); datasetCopy(); }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
// ---- end of the dataset page ----
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

/* ---- Staff forms (issue 10): the dataset and resource forms. Each works without this code;
   with it: the URL name follows the title, tags and places are suggested as you type, and an
   upload shows its progress. ---- */
(function staffForms() {
  "use strict";
  // Vietnamese letters without marks, as the server folds them: NFD drops the combining
  // marks (ơ, ư, ấ...), đ is a letter of its own.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
  }
  // The server's rule (vocab::suggest_name, the slug crate): folded, lower case, every run of
  // other characters one hyphen, none at the ends, at most 100 characters.
  function slugify(text) {
    return fold(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
      .slice(0, 100).replace(/-+$/, "");
  }
  window.portalSlugify = slugify;

  document.querySelectorAll("input[data-slug-from]").forEach(function (name) {
    var title = document.getElementById(name.getAttribute("data-slug-from"));
    if (!title) return;
    // A name already given (editing, or typed by hand) is left alone.
    var auto = name.value === "" || name.value === slugify(title.value);
    title.addEventListener("input", function () { if (auto) name.value = slugify(title.value); });
    name.addEventListener("input", function () { auto = name.value === ""; });
  });

  // A listbox under an input: `find(q, show)` gives choices, `choose(value)` takes one.
  function combo(input, find, choose) {
    var list = document.createElement("ul"), active = -1, items = [];
    list.className = "suggestions"; list.id = input.id + "-choices"; list.hidden = true;
    list.setAttribute("role", "listbox");
    input.setAttribute("role", "combobox"); input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false"); input.setAttribute("aria-controls", list.id);
    input.parentNode.classList.add("has-choices");
    input.parentNode.insertBefore(list, input.nextSibling);
    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function mark(i) {
      items.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (items[i]) input.setAttribute("aria-activedescendant", items[i].id);
    }
    function show(values) {
      list.textContent = ""; items = [];
      values.forEach(function (value, n) {
        var li = document.createElement("li");
        li.id = list.id + "-" + n; li.setAttribute("role", "option"); li.textContent = value;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(value); close(); });
        list.appendChild(li); items.push(li);
      });
      list.hidden = values.length === 0;
      input.setAttribute("aria-expanded", values.length ? "true" : "false");
    }
    input.addEventListener("input", function () { find(input.value, show); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active].textContent); close(); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // Tags: the word being typed (after the last comma) is completed from tag_autocomplete.
  document.querySelectorAll("input[data-tags]").forEach(function (input) {
    var timer = null;
    function parts() { return input.value.split(","); }
    combo(input, function (value, show) {
      clearTimeout(timer);
      var q = parts().pop().trim();
      if (q.length < 1) { show([]); return; }
      timer = setTimeout(function () {
        fetch(input.getAttribute("data-tags") + "?limit=8&query=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { result: [] }; })
          .then(function (body) {
            if (parts().pop().trim() !== q) return;
            var taken = parts().slice(0, -1).map(function (t) { return t.trim(); });
            show((body.result || []).filter(function (t) { return taken.indexOf(t) < 0; }));
          })
          .catch(function () { show([]); });
      }, 150);
    }, function (tag) {
      var kept = parts().slice(0, -1).map(function (t) { return t.trim(); }).filter(Boolean);
      kept.push(tag);
      input.value = kept.join(", ") + ", ";
      input.focus();
    });
  });

  // Places: the province's communes and wards (the page's datalist), matched with or without
  // diacritics; the browser's own datalist popup (accents only) gives way to this one.
  document.querySelectorAll("input[data-places]").forEach(function (input) {
    var source = document.getElementById(input.getAttribute("data-places"));
    if (!source) return;
    var places = Array.prototype.map.call(source.options, function (o) { return o.value; });
    var folded = places.map(function (p) { return fold(p).toLowerCase(); });
    input.removeAttribute("list");
    combo(input, function (value, show) {
      var q = fold(value.trim()).toLowerCase();
      if (!q) { show([]); return; }
      var starts = [], contains = [];
      folded.forEach(function (f, i) {
        if (f.indexOf(q) === 0 || f.indexOf(" " + q) >= 0) starts.push(places[i]);
        else if (f.indexOf(q) >= 0) contains.push(places[i]);
      });
      show(starts.concat(contains).slice(0, 10));
    }, function (place) { input.value = place; });
  });

  // Uploads: sent with XMLHttpRequest to show a progress bar; the reply (the saved resource,
  // or the form with its messages) then replaces the page as a plain submit would.
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var file = form.querySelector("input[type=file]");
    var box = form.querySelector(".upload-progress");
    if (!file || !box || !window.FormData) return;
    var bar = box.querySelector("progress"), text = box.querySelector(".upload-percent");
    form.addEventListener("submit", function (e) {
      if (!file.files || !file.files.length) return;
      e.preventDefault();
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (p) {
        if (!p.lengthComputable) return;
        var percent = Math.floor(p.loaded * 100 / p.total);
        bar.value = percent; text.textContent = percent + " %";
        form.setAttribute("data-progress", String(percent));
      });
      xhr.addEventListener("load", function () {
        bar.value = 100; text.textContent = "100 %";
        if (xhr.status < 400 && xhr.responseURL) { window.location.assign(xhr.responseURL); return; }
        document.open(); document.write(xhr.responseText); document.close();
      });
      xhr.addEventListener("error", function () {
        buttons.forEach(function (b) { b.disabled = false; });
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  });
})();
