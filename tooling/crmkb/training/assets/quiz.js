/* crmkb practice quiz: grades the module's public practice questions in the browser.
   No network, no storage: the key is in the page (practice pools are public by design). */
(function () {
  "use strict";

  function chosen(fieldset) {
    var values = [];
    fieldset.querySelectorAll("input:checked").forEach(function (input) {
      values.push(input.value);
    });
    return values.sort();
  }

  function expected(fieldset) {
    return fieldset.getAttribute("data-answer").split(",").sort();
  }

  function same(a, b) {
    return a.length === b.length && a.every(function (v, i) { return v === b[i]; });
  }

  function headingId(name) {
    var headings = document.querySelectorAll(
      ".md-content h2[id], .md-content h3[id], .md-content h4[id], article h2[id], article h3[id]"
    );
    for (var i = 0; i < headings.length; i++) {
      var text = headings[i].textContent.replace(/¶$/, "").trim();
      if (text === name) return headings[i].id;
    }
    return null;
  }

  function grade(form) {
    var questions = form.querySelectorAll(".crmkb-quiz-question");
    var right = 0;
    questions.forEach(function (fieldset) {
      var given = chosen(fieldset);
      var ok = given.length > 0 && same(given, expected(fieldset));
      if (ok) right += 1;
      var key = expected(fieldset).map(function (v) {
        return v === "true" ? "对" : v === "false" ? "错" : v;
      }).join("、");
      fieldset.classList.toggle("crmkb-quiz-right", ok);
      fieldset.classList.toggle("crmkb-quiz-wrong", !ok);
      var verdict = fieldset.querySelector(".crmkb-quiz-verdict");
      verdict.textContent = ok ? "✔ 回答正确" :
        (given.length ? "✘ 回答错误，" : "✘ 未作答，") + "正确答案：" + key;
      fieldset.querySelector(".crmkb-quiz-feedback").hidden = false;
    });
    var score = form.querySelector(".crmkb-quiz-score");
    score.textContent = "得分：" + right + " / " + questions.length +
      (right === questions.length ? "，全部正确！" : "，请阅读解析后复习相应小节。");
    score.hidden = false;
  }

  function reset(form) {
    form.querySelectorAll(".crmkb-quiz-question").forEach(function (fieldset) {
      fieldset.classList.remove("crmkb-quiz-right", "crmkb-quiz-wrong");
      fieldset.querySelector(".crmkb-quiz-feedback").hidden = true;
    });
    form.querySelector(".crmkb-quiz-score").hidden = true;
  }

  function setup() {
    document.querySelectorAll(".crmkb-quiz-form").forEach(function (form) {
      if (form.getAttribute("data-ready")) return;
      form.setAttribute("data-ready", "1");
      form.querySelectorAll("a.crmkb-quiz-section").forEach(function (link) {
        var id = headingId(link.getAttribute("data-section"));
        if (id) link.setAttribute("href", "#" + id);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        grade(form);
      });
      form.addEventListener("reset", function () { reset(form); });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  // Material: also after instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
