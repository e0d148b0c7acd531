/* The reader's clock (see crmkb/site/clock/__init__.py): recompute every moving SLA deadline
 * for the day the page is read, from its due date and the working-day calendar in
 * calendar.js. A deadline on the page is either a <time class="crmkb-due" datetime=DUE>
 * (issue pages) or a cell of the open list's deadline column holding a phrase the build
 * wrote (listed in calendar.js with its due date). Text only: nothing is parsed as HTML. */
(function () {
  "use strict";
  var data = window.crmkbClock;
  if (!data) return;
  var DAY = 86400000;
  var off = new Set(data.off);
  var on = new Set(data.on);

  function parse(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
  }
  function iso(day) {
    return new Date(day).toISOString().slice(0, 10);
  }
  function workday(day) {
    var key = iso(day);
    if (on.has(key)) return true;
    if (off.has(key)) return false;
    var weekday = new Date(day).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }
  /* Working days after `start` up to and including `end` (crmkb.workdays Calendar.between). */
  function between(start, end) {
    var count = 0;
    for (var day = start + DAY; day <= end; day += DAY) if (workday(day)) count++;
    return count;
  }
  function phrase(due, today) {
    var shown = iso(due);
    if (today < due) return { state: "on_track", text: data.words.on_track.replace("{due}", shown) };
    if (today === due) return { state: "due_today", text: data.words.due_today };
    var late = String(between(due, today));
    return {
      state: "overdue",
      text: data.words.overdue.replace("{late}", late).replace("{due}", shown),
    };
  }

  var now = new Date();
  var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  var built = parse(data.built);
  if (built === null || today <= built) return; // the page is as true as when it was built

  function mark(node, due) {
    var found = phrase(due, today);
    node.textContent = found.text;
    node.setAttribute("data-crmkb-state", found.state);
    var box = node.closest(".admonition");
    if (box && found.state === "overdue" && box.classList.contains("warning")) {
      box.classList.replace("warning", "danger");
    }
  }
  /* Whether the page shows a deadline the script recomputes. */
  var moving = false;
  function deadlines(root) {
    root.querySelectorAll("time.crmkb-due[datetime]:not([data-crmkb-state])").forEach(function (t) {
      var due = parse(t.getAttribute("datetime"));
      if (due !== null) (moving = true), mark(t, due);
    });
    root.querySelectorAll("table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      var column = heads.indexOf(data.column);
      if (column < 0) return;
      var reported = heads.indexOf(data.reported_column);
      var age = heads.indexOf(data.age_column);
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var cell = row.children[column];
        if (cell && !cell.hasAttribute("data-crmkb-state")) {
          var due = parse(data.dues[cell.textContent.trim()]);
          if (due !== null) (moving = true), mark(cell, due);
        }
        // Calendar days since the report, counted to the reader's day as well.
        var since = reported >= 0 && row.children[reported];
        var days = age >= 0 && row.children[age];
        if (since && days && !days.hasAttribute("data-crmkb-age")) {
          var day = parse(since.textContent.trim());
          if (day !== null && day <= today) {
            days.textContent = String(Math.round((today - day) / DAY));
            days.setAttribute("data-crmkb-age", iso(today));
          }
        }
      });
    });
  }
  function stamp() {
    document.querySelectorAll(".crmkb-asof:not([data-crmkb-today])").forEach(function (line) {
      line.setAttribute("data-crmkb-today", iso(today));
      var note = document.createElement("span");
      note.className = "crmkb-asof-today";
      var words = moving ? data.today : data.read_on;
      note.textContent = " · " + words.replace("{today}", iso(today));
      line.appendChild(note);
    });
  }
  function run() {
    var content = document.querySelector(".md-content") || document.body;
    deadlines(content);
    stamp();
    // The open list draws its rows again when the reader filters, sorts or pages.
    new MutationObserver(function () {
      deadlines(content);
    }).observe(content, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
