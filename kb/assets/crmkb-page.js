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

  function setup() {
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

  window.addEventListener("beforeprint", printMeta);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
