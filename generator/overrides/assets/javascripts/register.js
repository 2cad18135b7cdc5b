// This script makes the commissioning register's columns sortable by keyboard and screen
// reader. The vendored sorter (vendor/sortable.js) sorts when a header cell is clicked and sets
// aria-sort on it, but a bare <th> cannot be reached with the Tab key and is not announced as
// something to press. So each sortable header's words are moved into a real <button> (Enter
// and Space work, and it is announced as a button; its click reaches the sorter), and a polite
// live region says how the table is sorted now. Without JavaScript the table stays a plain
// table in its published order, and no header pretends to be a control.
(function () {
  "use strict";

  function headerText(th) {
    return th.textContent.replace(/\s+/g, " ").trim();
  }

  function describe(table) {
    var th = table.tHead && table.tHead.querySelector("th[aria-sort]");
    if (!th) return "";
    var order = th.getAttribute("aria-sort") === "ascending" ? "ascending" : "descending";
    return "Sorted by " + headerText(th) + ", " + order + ".";
  }

  function enhance(table) {
    if (!table.tHead || table.getAttribute("data-sort-ready") === "1") return;
    table.setAttribute("data-sort-ready", "1");
    var cells = table.tHead.rows[0].cells;
    for (var i = 0; i < cells.length; i++) {
      var th = cells[i];
      if (th.classList.contains("no-sort")) continue;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
    }
    var caption = table.caption;
    if (caption) {
      var hint = document.createElement("span");
      hint.className = "sort-hint";
      hint.textContent = " (select a column heading to sort by it; select it again to reverse)";
      caption.appendChild(hint);
    }
    var status = document.querySelector("[data-sort-status]");
    table.addEventListener("sort-end", function () {
      if (status) status.textContent = describe(table);
    });
  }

  function start() {
    var tables = document.querySelectorAll("table.sortable[data-sortable-register]");
    for (var i = 0; i < tables.length; i++) enhance(tables[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
