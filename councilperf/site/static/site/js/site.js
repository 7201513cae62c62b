/* Small enhancements for every page: council search type-ahead and sortable tables. */
(function () {
  "use strict";

  /* Type-ahead: an ARIA 1.2 combobox over the list of councils. Without JavaScript the
     search form submits to /search/. */
  function setUpSearch(form) {
    var input = form.querySelector("input[type=search]");
    if (!input) return;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "cp-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Matching councils");
    list.hidden = true;
    input.parentNode.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var matches = [], active = -1, asked = "", timer = null, found = {};

    // Matching is the server's (the search page's own forgiving match: "Derbyshre", "NE"),
    // asked for once per text typed.
    function load(text) {
      if (!found[text]) {
        found[text] = fetch(input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(text))
          .then(function (r) { return r.json(); })
          .then(function (data) { return data.councils; });
      }
      return found[text];
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", listId + "-" + index);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function render(text, councils) {
      if (text !== asked) return; // a later text is being asked for
      matches = councils.slice(0, 8);
      list.innerHTML = "";
      matches.forEach(function (c, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "cp-suggestions__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = c.name;
        var hint = document.createElement("span");
        hint.className = "cp-suggestions__hint";
        hint.textContent = c.group + (c.ended ? " (abolished " + c.ended.slice(0, 4) + ")" : "");
        li.appendChild(hint);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = c.url;
        });
        list.appendChild(li);
      });
      list.hidden = matches.length === 0;
      input.setAttribute("aria-expanded", matches.length ? "true" : "false");
      active = -1;
    }
    input.addEventListener("input", function () {
      var text = input.value.trim().slice(0, 100);
      asked = text;
      clearTimeout(timer);
      if (!text) { matches = []; list.innerHTML = ""; close(); return; }
      timer = setTimeout(function () {
        load(text).then(function (councils) { render(text, councils); }).catch(close);
      }, 120);
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && matches.length) {
        event.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(Math.min(active + 1, matches.length - 1));
      } else if (event.key === "ArrowUp" && matches.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        window.location.href = matches[active].url;
      }
    });
  }

  /* Sortable tables: each column heading becomes a button; aria-sort says the order. */
  function sortValue(row, index) {
    var cell = row.children[index];
    var raw = cell.getAttribute("data-sort-value");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) return Number(raw);
    return cell.textContent.trim().toLowerCase();
  }
  function sortTable(table, index, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      // A cell marked data-sort-last (too few cases to rank) comes last in either order.
      var lastA = a.children[index].hasAttribute("data-sort-last");
      var lastB = b.children[index].hasAttribute("data-sort-last");
      if (lastA !== lastB) return lastA ? 1 : -1;
      var x = sortValue(a, index), y = sortValue(b, index);
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return direction === "ascending" ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === index) th.setAttribute("aria-sort", direction);
      else th.removeAttribute("aria-sort");
    });
  }
  /* The sort is kept in the address (?sort=3&order=descending: the column, from 1), so a
     shared or reloaded link shows the same order; it applies to the one table marked
     data-sort-in-address (the home page's): a page that sorts on the server (the group page's
     ?sort=<measure>) keeps its own parameter. */
  function sortInAddress() {
    var params = new URLSearchParams(window.location.search);
    var column = parseInt(params.get("sort"), 10);
    var order = params.get("order") === "descending" ? "descending" : "ascending";
    return column > 0 ? { index: column - 1, order: order } : null;
  }
  function keepInAddress(index, order) {
    var params = new URLSearchParams(window.location.search);
    params.set("sort", String(index + 1));
    params.set("order", order);
    history.replaceState(null, "", "?" + params.toString() + window.location.hash);
  }
  function setUpTable(table, first) {
    var cells = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cp-sort";
      button.textContent = th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortTable(table, index, next);
        if (first) keepInAddress(index, next);
      });
    });
    var kept = first && sortInAddress();
    if (kept && kept.index < cells.length) sortTable(table, kept.index, kept.order);
  }
  // After a script rebuilds a table's rows (the map's table): the order in the address, or
  // the rows' own order (by name).
  window.cpResetSort = function (table) {
    var kept = sortInAddress();
    if (kept && table.hasAttribute("data-sort-in-address") && kept.index < table.tHead.rows[0].cells.length) {
      sortTable(table, kept.index, kept.order);
      return;
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === 0) th.setAttribute("aria-sort", "ascending");
      else th.removeAttribute("aria-sort");
    });
  };

  document.querySelectorAll("[data-module=cp-search]").forEach(setUpSearch);
  document.querySelectorAll("[data-module=cp-sortable-table]").forEach(function (table) {
    setUpTable(table, table.hasAttribute("data-sort-in-address"));
  });
})();
