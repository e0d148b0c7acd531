/* crmkb listing pages: filter, sort and page through every row of a list.
   The page shows its first rows as a plain table and links its rows as JSON
   (a.crmkb-list-data). The JSON is fetched when the reader first uses the controls (or the
   URL carries a preset filter such as #module=应收与回款), so the page itself stays light.
   Cells are set with textContent and links built from the column's URL pattern: no record
   text is ever parsed as HTML. No outside script, no storage. */
(function () {
  "use strict";

  var PAGE = 50;

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function presets() {
    var found = {};
    var hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    hash.split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) found[pair.slice(0, at)] = pair.slice(at + 1);
    });
    return found;
  }

  function List(link) {
    this.link = link;
    this.table = null;
    var node = link.closest("p") || link;
    while ((node = node.nextElementSibling)) {
      this.table = node.matches("table") ? node : node.querySelector("table");
      if (this.table) break;
    }
    if (!this.table) return;
    this.data = null;
    this.loading = null;
    this.sortBy = -1;
    this.sortDir = 1;
    this.page = 0;
    this.build(node);
  }

  List.prototype.build = function (tableBlock) {
    var self = this;
    var tools = make("div", "crmkb-list-tools");
    tools.setAttribute("role", "search");
    var text = make("input", "crmkb-list-text");
    text.type = "search";
    text.placeholder = "筛选：输入编号、标题或任意文字";
    text.setAttribute("aria-label", "按文字筛选");
    tools.appendChild(text);
    this.text = text;
    this.selects = [];
    var headers = this.table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      var label = th.textContent.trim();
      var button = make("button", "crmkb-sort", label);
      button.type = "button";
      button.setAttribute("aria-label", "按" + label + "排序");
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { self.sort(index); });
    });
    this.headers = headers;
    this.status = make("p", "crmkb-list-status");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    var pager = make("div", "crmkb-list-pager");
    this.prev = make("button", "md-button", "上一页");
    this.next = make("button", "md-button", "下一页");
    this.prev.type = this.next.type = "button";
    pager.appendChild(this.prev);
    pager.appendChild(this.next);
    this.prev.addEventListener("click", function () { self.turn(-1); });
    this.next.addEventListener("click", function () { self.turn(1); });
    this.pager = pager;
    var block = tableBlock.closest(".md-typeset__scrollwrap") || tableBlock;
    block.parentNode.insertBefore(tools, block);
    block.parentNode.insertBefore(this.status, block);
    block.parentNode.insertBefore(pager, block.nextSibling);
    text.addEventListener("input", function () { self.update(); });
    tools.addEventListener("focusin", function () { self.load(); });
    tools.addEventListener("pointerdown", function () { self.load(); });
    this.tools = tools;
    this.pager.hidden = true;
    var preset = presets();
    if (Object.keys(preset).length) this.load().then(function () { self.apply(preset); });
  };

  List.prototype.load = function () {
    var self = this;
    if (this.loading) return this.loading;
    this.status.textContent = "正在加载全部数据…";
    this.loading = fetch(this.link.href)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        self.data = data;
        self.root = new URL(data.root, self.link.href);
        self.addFacets();
        self.update();
      })
      .catch(function () {
        self.status.textContent = "无法加载全部数据，只显示上面的部分。";
      });
    return this.loading;
  };

  List.prototype.addFacets = function () {
    var self = this;
    this.data.columns.forEach(function (column, index) {
      if (!column.facet) return;
      var values = {};
      self.data.rows.forEach(function (row) {
        row[index].split("、").forEach(function (v) { if (v) values[v] = true; });
      });
      var select = make("select", "crmkb-list-facet");
      select.setAttribute("aria-label", "按" + column.label + "筛选");
      select.appendChild(make("option", null, "全部" + column.label)).value = "";
      Object.keys(values).sort().forEach(function (value) {
        select.appendChild(make("option", null, value)).value = value;
      });
      select.dataset.column = String(index);
      select.dataset.key = column.key;
      select.addEventListener("change", function () { self.update(); });
      self.tools.appendChild(select);
      self.selects.push(select);
    });
  };

  List.prototype.apply = function (preset) {
    var self = this;
    if (preset.q) this.text.value = preset.q;
    this.selects.forEach(function (select) {
      var value = preset[select.dataset.key];
      if (value !== undefined) select.value = value;
    });
    self.update();
  };

  List.prototype.matches = function () {
    var words = this.text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var facets = this.selects
      .filter(function (s) { return s.value; })
      .map(function (s) { return [Number(s.dataset.column), s.value]; });
    return this.data.rows.filter(function (row) {
      for (var f = 0; f < facets.length; f++) {
        if (row[facets[f][0]].split("、").indexOf(facets[f][1]) < 0) return false;
      }
      if (!words.length) return true;
      var all = row.join(" ").toLowerCase();
      return words.every(function (w) { return all.indexOf(w) >= 0; });
    });
  };

  List.prototype.sort = function (index) {
    var self = this;
    this.load().then(function () {
      if (!self.data) return;
      self.sortDir = self.sortBy === index ? -self.sortDir : 1;
      self.sortBy = index;
      self.headers.forEach(function (th, i) {
        if (i === index) th.setAttribute("aria-sort", self.sortDir > 0 ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      self.page = 0;
      self.update(true);
    });
  };

  List.prototype.turn = function (step) {
    this.page += step;
    this.update(true);
  };

  List.prototype.update = function (keepPage) {
    if (!this.data) return;
    if (!keepPage) this.page = 0;
    var rows = this.matches();
    var index = this.sortBy;
    if (index >= 0) {
      var numeric = this.data.columns[index].numeric;
      var dir = this.sortDir;
      rows = rows.slice().sort(function (a, b) {
        var x = a[index], y = b[index];
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-Hans-CN");
        return dir * order;
      });
    }
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    this.render(rows.slice(this.page * PAGE, (this.page + 1) * PAGE));
    this.status.textContent = "共 " + rows.length + " 条" +
      (pages > 1 ? "，第 " + (this.page + 1) + " / " + pages + " 页" : "") + "。";
    this.pager.hidden = pages <= 1;
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
  };

  List.prototype.render = function (rows) {
    var columns = this.data.columns;
    var root = this.root;
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (value, i) {
        var td = document.createElement("td");
        td.setAttribute("data-label", columns[i].label);
        var pattern = columns[i].link;
        if (pattern && value && value !== "—") {
          var a = make("a", null, value);
          a.href = new URL(pattern.replace("{}", encodeURIComponent(value)), root).href;
          td.appendChild(a);
        } else {
          td.textContent = value;
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var old = this.table.querySelector("tbody");
    if (old) this.table.replaceChild(body, old); else this.table.appendChild(body);
  };

  function setup() {
    document.querySelectorAll("article a.crmkb-list-data").forEach(function (link) {
      if (!link.dataset.ready) {
        link.dataset.ready = "1";
        new List(link);
      }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
