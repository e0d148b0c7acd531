/* crmkb page helpers: a printed page carries its address and the print date; section
   permalinks stay clickable but are not tab stops in front of the content. */
(function () {
  "use strict";

  function printMeta() {
    var article = document.querySelector("article");
    if (!article) return;
    var meta = article.querySelector(".crmkb-print-meta");
    if (!meta) {
      meta = document.createElement("p");
      meta.className = "crmkb-print-meta";
      article.insertBefore(meta, article.firstChild);
    }
    var today = new Date();
    var date = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") +
      "-" + String(today.getDate()).padStart(2, "0");
    meta.textContent = "本页地址：" + location.href.split("#")[0] + "　打印日期：" + date;
  }

  // Each cell carries its column's name: on a phone a wide table is shown as cards, one per
  // row, with the names beside the values (crmkb.css).
  function labelCells() {
    document.querySelectorAll("article table").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
        });
      });
    });
  }

  function setup() {
    labelCells();
    headerButtons();
    closedParts();
    // Material's search dialog has no accessible name; screen readers announce "dialog".
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索知识库");
    document.querySelectorAll("article .headerlink").forEach(function (link) {
      link.setAttribute("tabindex", "-1");
    });
    // A table box that scrolls sideways must be reachable by keyboard to scroll it.
    document.querySelectorAll("article .md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      }
    });
    printMeta();
  }

  // Nothing hidden takes keyboard focus. While closed, a phone's navigation drawer and the
  // search dialog (all of it on a phone, its results elsewhere) are inert; the header buttons
  // that open them, labels in Material, become buttons a keyboard can reach. The widths are
  // Material's own breakpoints for the drawer and the search overlay.
  var drawerWidth = matchMedia("(max-width: 76.1875em)");
  var searchWidth = matchMedia("(max-width: 59.9375em)");

  function closedParts() {
    var drawer = document.getElementById("__drawer");
    var search = document.getElementById("__search");
    var sidebar = document.querySelector(".md-sidebar--primary");
    var inner = document.querySelector(".md-search__inner");
    var output = document.querySelector(".md-search__output");
    if (drawer && sidebar) sidebar.inert = drawerWidth.matches && !drawer.checked;
    if (search && inner && output) {
      inner.inert = !search.checked && searchWidth.matches;
      output.inert = !search.checked && !searchWidth.matches;
    }
  }

  function headerButtons() {
    var names = {
      __drawer: document.querySelector(".md-nav--primary"),
      __search: document.querySelector("input.md-search__input"),
    };
    Object.keys(names).forEach(function (id) {
      var label = document.querySelector(".md-header label.md-header__button[for=" + id + "]");
      if (!label || label.hasAttribute("tabindex")) return;
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      var name = names[id] && names[id].getAttribute("aria-label");
      if (name) label.setAttribute("aria-label", name);
      label.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          label.click();
        }
      });
    });
  }

  // Capturing on the window: the dialog is live before Material's own listener moves focus.
  window.addEventListener("change", closedParts, true);
  drawerWidth.addEventListener("change", closedParts);
  searchWidth.addEventListener("change", closedParts);

  window.addEventListener("beforeprint", printMeta);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
