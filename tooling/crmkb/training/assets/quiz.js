/* crmkb practice quiz: turns the module's practice questions into a quiz graded in the browser.
   The page holds plain markup (it passes the site's HTML sanitiser); this script adds the
   inputs and buttons. No network, no storage: practice pools are public by design. */
(function () {
  "use strict";

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function headingId(name) {
    var headings = document.querySelectorAll("article h2[id], article h3[id], article h4[id]");
    for (var i = 0; i < headings.length; i++) {
      var text = headings[i].textContent.replace(/¶\s*$/, "").trim();
      if (text === name) return headings[i].id;
    }
    return null;
  }

  function enhance(quiz, number) {
    var questions = quiz.querySelectorAll(".crmkb-quiz-question");
    questions.forEach(function (question, q) {
      var multiple = question.classList.contains("crmkb-quiz-multiple");
      question.querySelectorAll(".crmkb-quiz-option").forEach(function (option, o) {
        var label = make("label");
        var input = make("input");
        input.type = multiple ? "checkbox" : "radio";
        input.name = "crmkb-quiz-" + number + "-" + q;
        input.value = String(o);
        while (option.firstChild) label.appendChild(option.firstChild);
        label.insertBefore(document.createTextNode(" "), label.firstChild);
        label.insertBefore(input, label.firstChild);
        option.appendChild(label);
      });
      var explanation = question.querySelector(".crmkb-quiz-explanation");
      explanation.insertBefore(make("p", "crmkb-quiz-verdict"), explanation.firstChild);
      explanation.hidden = true;
      var link = question.querySelector("a.crmkb-quiz-section");
      var id = link && headingId(link.querySelector("span").textContent.trim());
      if (id) link.setAttribute("href", "#" + id);
    });
    var actions = make("div", "crmkb-quiz-actions");
    var submit = make("button", "md-button md-button--primary crmkb-quiz-submit", "提交答案");
    var again = make("button", "md-button crmkb-quiz-reset", "重做");
    submit.type = again.type = "button";
    actions.appendChild(submit);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(again);
    var score = make("p", "crmkb-quiz-score");
    score.setAttribute("role", "status");
    score.setAttribute("tabindex", "-1");  // focus moves here after grading, so it is read
    score.hidden = true;
    quiz.appendChild(actions);
    quiz.appendChild(score);
    submit.addEventListener("click", function () { grade(quiz, score); });
    again.addEventListener("click", function () { reset(quiz, score); });
    quiz.classList.add("crmkb-quiz-ready");
  }

  function grade(quiz, score) {
    var questions = quiz.querySelectorAll(".crmkb-quiz-question");
    var right = 0;
    questions.forEach(function (question) {
      var answered = false;
      var ok = true;
      question.querySelectorAll(".crmkb-quiz-option").forEach(function (option) {
        var checked = option.querySelector("input").checked;
        answered = answered || checked;
        if (checked !== option.classList.contains("crmkb-quiz-correct")) ok = false;
      });
      ok = ok && answered;
      if (ok) right += 1;
      question.classList.toggle("crmkb-quiz-right", ok);
      question.classList.toggle("crmkb-quiz-wrong", !ok);
      question.querySelector(".crmkb-quiz-verdict").textContent =
        ok ? "✔ 回答正确" : answered ? "✘ 回答错误" : "✘ 未作答";
      question.querySelector(".crmkb-quiz-explanation").hidden = false;
    });
    score.textContent = "得分：" + right + " / " + questions.length +
      (right === questions.length ? "，全部正确！" : "。请阅读解析，复习相应小节后再做一次。");
    score.hidden = false;
    score.focus();
    score.scrollIntoView({ block: "center" });
  }

  function reset(quiz, score) {
    quiz.querySelectorAll(".crmkb-quiz-question").forEach(function (question) {
      question.classList.remove("crmkb-quiz-right", "crmkb-quiz-wrong");
      question.querySelectorAll("input").forEach(function (input) { input.checked = false; });
      question.querySelector(".crmkb-quiz-explanation").hidden = true;
    });
    score.hidden = true;
  }

  function setup() {
    document.querySelectorAll(".crmkb-quiz:not(.crmkb-quiz-ready)").forEach(enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  // Material: also after instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
