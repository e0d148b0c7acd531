"""The practice quiz at the end of each module page: public questions, graded in the browser.

Only banks with `pool: practice` are ever rendered; `practice_banks` refuses anything else, so
an exam pool cannot reach the site through this module. The HTML carries the practice key in
data attributes and `assets/quiz.js` grades it locally: no server, no outside host.
"""

from __future__ import annotations

from pathlib import Path

from crmkb.escape import html_text
from crmkb.i18n import N_, _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.question_bank import Question, QuestionBank
from crmkb.records.training_module import TrainingModule

ASSET_DIR = Path(__file__).parent / "assets"
# Site path -> packaged file; the site plugin copies these and links them on every page.
ASSETS = {
    "assets/crmkb-quiz/quiz.js": ASSET_DIR / "quiz.js",
    "assets/crmkb-quiz/quiz.css": ASSET_DIR / "quiz.css",
}
KIND_LABEL = {"single": "单选", "multiple": "多选", "true_false": "判断"}
TRUE_FALSE = (("true", "对"), ("false", "错"))


def practice_banks(kb: KnowledgeBase, module_id: str) -> list[QuestionBank]:
    """The public practice banks of one training module, never an exam pool."""
    banks = [
        b for b in kb.of(QuestionBank).values() if b.module == module_id and b.pool == "practice"
    ]
    return sorted(banks, key=lambda b: b.id)


def quiz_section(kb: KnowledgeBase, module: TrainingModule) -> str:
    """Markdown for the end of a module page: a heading and the quiz, or '' without questions."""
    questions = [q for bank in practice_banks(kb, module.id) for q in bank.questions]
    if not questions:
        return ""
    return "## 练习题 {#crmkb-quiz}\n\n" + render_quiz(module.id, questions) + "\n"


EXAM_NOTE = N_(
    "The certification exam is separate, with other questions: ask the project lead to proctor it."
)


def render_quiz(quiz_id: str, questions: list[Question]) -> str:
    """The quiz as one raw HTML block that survives the site's sanitiser.

    Only plain document markup and classes are used (no form controls, no data attributes,
    no script): `quiz.js` adds the inputs and buttons and grades by the `crmkb-quiz-correct`
    class. Without JavaScript the reader still sees each question with its explanation.
    """
    parts = [
        f'<div class="crmkb-quiz" id="crmkb-quiz-{_attr(quiz_id)}">',
        f'<p class="crmkb-quiz-intro">共 {len(questions)} 题。'
        '<span class="crmkb-quiz-howto">选好答案后点“提交答案”，在本页判分并显示解析；'
        "成绩不会记录。</span>"
        f"{html_text(_(EXAM_NOTE))}</p>",
        '<ol class="crmkb-quiz-questions">',
        *(_question(q) for q in questions),
        "</ol>",
        "</div>",
    ]
    return "\n".join(parts)


def _question(q: Question) -> str:
    if q.type == "true_false":
        choices = [(label, value == str(q.answer).lower()) for value, label in TRUE_FALSE]
        key = "对" if q.answer is True else "错"
    else:
        answer = q.answer if isinstance(q.answer, list) else [str(q.answer)]
        choices = [(f"{k}. {label}", k in answer) for k, label in sorted(q.options.items())]
        key = "、".join(sorted(answer))
    options = "".join(
        f'<li class="crmkb-quiz-option{" crmkb-quiz-correct" if correct else ""}">'
        f"{_text(label)}</li>"
        for label, correct in choices
    )
    return (
        f'<li class="crmkb-quiz-question crmkb-quiz-{q.type.replace("_", "-")}">'
        f'<p class="crmkb-quiz-text"><span class="crmkb-quiz-kind">[{KIND_LABEL[q.type]}]</span> '
        f"{_text(q.text)}</p>"
        f'<ul class="crmkb-quiz-options">{options}</ul>'
        '<div class="crmkb-quiz-explanation">'
        f'<p><strong class="crmkb-quiz-key">答案：{_text(key)}</strong> {_text(q.explanation)} '
        f'<a class="crmkb-quiz-section" href="#">参见：<span>{_text(q.section)}</span></a></p>'
        "</div>"
        "</li>"
    )


# One line each (a blank line would end the raw HTML block), escaped like every page's text.
_text = _attr = html_text
