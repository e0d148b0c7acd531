/*
 * crmkb search panel: what Material's result list cannot show by itself. The crmkb worker
 * (BroadcastChannel "crmkb-search") says how many pages matched the current query; this
 * script then shows, under the list, either the honest empty state with a link to the
 * repository's problem-report form (query filled in), or "show all N results", which asks
 * the worker to answer the same query again with every result. No inline script, no eval:
 * it runs as a same-origin file under the site's Content-Security-Policy.
 */
"use strict";
(() => {
  if (typeof BroadcastChannel !== "function") return;
  const TEXT = {
    zh: {
      none: "知识库里还没有能回答这个问题的记录。",
      next: "可以换个说法再搜，或者把问题报上来，项目负责人会登记并跟进。",
      report: "上报这个问题",
      lead: "请把问题报给项目负责人。",
      all: n => `还有 ${n} 条结果，显示全部`,
      count: (shown, total) => `共 ${total} 个符合条件的结果，先显示前 ${shown} 个`,
    },
    en: {
      none: "Nothing in the knowledge base answers this yet.",
      next: "Try other words, or report the problem so the project lead can track it.",
      report: "Report this problem",
      lead: "Please report the problem to the project lead.",
      all: n => `${n} more results: show all`,
      count: (shown, total) => `${total} matching documents, showing the first ${shown}`,
    },
  };
  const lang = (document.documentElement.lang || "zh").toLowerCase().startsWith("en") ? "en" : "zh";
  const text = TEXT[lang];
  const config = (() => {
    try {
      return JSON.parse(document.getElementById("__config").textContent);
    } catch (error) {
      return {};
    }
  })();
  const channel = new BroadcastChannel("crmkb-search");
  const answers = new Map(); /* query -> what the worker said about it */
  let written = null; /* the count line this script wrote, to hand back to Material's */
  const translations = config.translations || {};
  const materialCount = n => {
    const template = translations[n === 1 ? "search.result.one" : "search.result.other"];
    return template ? template.replace("#", String(n)) : null;
  };

  function reportLink(query) {
    const base = config.crmkb_report || "";
    const link = document.createElement("a");
    if (/^mailto:/i.test(base)) {
      /* The intake mailbox: the mail's subject and body come composed from crmkb.yml. */
      const words = Array.from(query).slice(0, 120).join(""); /* never half a character */
      link.href = base.split("%7Bquery%7D").join(encodeURIComponent(words));
    } else if (/^https?:\/\//.test(base)) {
      const url = new URL(base);
      url.searchParams.set("title", `[问题] ${query}`.slice(0, 200));
      url.searchParams.set("symptom", query);
      link.href = url.href;
      link.target = "_blank";
      link.rel = "noopener";
    } else {
      return null;
    }
    link.className = "md-button md-button--primary crmkb-report";
    link.textContent = text.report;
    return link;
  }

  function paragraph(value) {
    const p = document.createElement("p");
    p.textContent = value;
    return p;
  }

  function render() {
    const input = document.querySelector("input.md-search__input");
    const result = document.querySelector(".md-search-result");
    if (!input || !result) return;
    let footer = result.querySelector(".crmkb-search-footer");
    /* Nothing to say about an empty box, or about letters an input method is still composing
       (Material may still search them once, when its worker becomes ready: keep that out of
       sight until the reader has picked the characters). */
    result.classList.toggle("crmkb-composing", composing);
    if (composing || !input.value.trim()) {
      if (footer) footer.remove();
      return;
    }
    const current = answers.get(input.value.trim()) || null;
    const meta = result.querySelector(".md-search-result__meta");
    /* Only ever reword Material's count line, never fill one it has emptied. */
    if (meta && current && meta.textContent) {
      /* Material's own wording for a complete list, ours when it is cut short. */
      const wanted = current.total > current.shown
        ? text.count(current.shown, current.total)
        : meta.textContent === written ? materialCount(current.shown) : null;
      if (wanted && meta.textContent !== wanted) meta.textContent = wanted;
      written = current.total > current.shown ? wanted : null;
    }
    const wanted = current && (current.total === 0 || current.total > current.shown);
    if (!wanted) {
      if (footer) footer.remove();
      return;
    }
    const key = `${current.query}\u0000${current.total}\u0000${current.shown}`;
    if (footer && footer.dataset.key === key) return;
    if (!footer) {
      footer = document.createElement("div");
      footer.className = "crmkb-search-footer md-typeset";
      footer.setAttribute("role", "status");
      result.appendChild(footer);
    }
    footer.dataset.key = key;
    footer.replaceChildren();
    if (current.total === 0) {
      footer.classList.add("crmkb-search-empty");
      footer.append(paragraph(text.none), paragraph(text.next));
      const link = reportLink(current.query);
      footer.append(link || paragraph(text.lead));
    } else {
      footer.classList.remove("crmkb-search-empty");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button crmkb-show-all";
      button.textContent = text.all(current.total - current.shown);
      button.addEventListener("click", () => channel.postMessage({ more: current.query }));
      footer.append(button);
    }
  }

  /* An input method (pinyin, zhuyin) puts its raw letters in the box while the reader picks
     the characters: Material would search "huikuan" on every keyup. Its keyup listener sits
     on the box, so a capturing listener on the window holds those keyups back until the
     composition ends, then lets Material read the box once. */
  let composing = false;
  const isBox = target => target instanceof HTMLInputElement && target.matches(".md-search__input");
  window.addEventListener("compositionstart", event => {
    if (!isBox(event.target)) return;
    composing = true;
    render();
  }, true);
  window.addEventListener("compositionend", event => {
    if (!isBox(event.target)) return;
    composing = false;
    event.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }, true);
  window.addEventListener("keyup", event => {
    if (isBox(event.target) && (composing || event.isComposing)) event.stopImmediatePropagation();
  }, true);

  /* Words typed while the page is still loading can miss Material's keyup listener, and the
     box then keeps them under "type to start searching". When the worker's latest answer is
     for something other than what the box holds, let Material read the box again (once per
     value; Material ignores a value it has already sent). */
  let nudged = null, lastAnswered = "", timer = 0;
  function catchUp() {
    const input = document.querySelector("input.md-search__input");
    if (!input || composing) return;
    if (input.value.trim() === lastAnswered.trim() || nudged === input.value) return;
    nudged = input.value;
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
  document.addEventListener("input", event => {
    if (!(event.target instanceof HTMLInputElement) || !event.target.matches(".md-search__input"))
      return;
    clearTimeout(timer);
    timer = setTimeout(catchUp, 400);
  }, true);

  channel.addEventListener("message", event => {
    const data = event.data || {};
    if (typeof data.query === "string" && typeof data.total === "number") {
      lastAnswered = data.query;
      catchUp();
      answers.delete(data.query.trim());
      answers.set(data.query.trim(), data);
      if (answers.size > 50) answers.delete(answers.keys().next().value);
      render();
    }
  });
  document.addEventListener("input", render, true);
  document.addEventListener("keyup", render, true);
  /* The result box is not a tab stop of its own (Material makes it one, and it is focused
     while still empty and invisible): its links and buttons are, and they scroll it. */
  const scrollwrap = document.querySelector(".md-search__scrollwrap");
  if (scrollwrap) scrollwrap.removeAttribute("tabindex");
  /* Material rewrites the count line on every answer; say how many there are in all. */
  const meta = document.querySelector(".md-search-result__meta");
  if (meta) new MutationObserver(render).observe(meta, { childList: true, characterData: true });
})();
