"""The practice quiz at the end of each module page: public questions, graded in the browser.

Only banks with `pool: practice` are ever rendered; `practice_banks` refuses anything else, so
an exam pool cannot reach the site through this module. The HTML carries the practice key in
data attributes and `assets/quiz.js` grades it locally: no server, no outside host.
"""

from __future__ import annotations

import html
from pathlib import Path

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


def render_quiz(quiz_id: str, questions: list[Question]) -> str:
    """The quiz as one raw HTML block (no blank lines, so Markdown leaves it alone)."""
    parts = [
        f'<div class="crmkb-quiz" data-quiz="{_attr(quiz_id)}">',
        f'<p class="crmkb-quiz-intro">共 {len(questions)} 题。'
        "选好答案后点“提交答案”，在本页判分并显示解析；成绩不会记录。"
        "上岗考试另行用 <code>kb exam</code> 进行，题目与练习题不同。</p>",
        '<form class="crmkb-quiz-form" novalidate>',
    ]
    for number, question in enumerate(questions, 1):
        parts.append(_question(number, question))
    parts += [
        '<div class="crmkb-quiz-actions">'
        '<button type="submit" class="md-button md-button--primary">提交答案</button> '
        '<button type="reset" class="md-button">重做</button></div>',
        '<p class="crmkb-quiz-score" role="status" hidden></p>',
        "</form>",
        "</div>",
    ]
    return "\n".join(parts)


def _question(number: int, q: Question) -> str:
    if q.type == "true_false":
        answer = "true" if q.answer is True else "false"
        choices = list(TRUE_FALSE)
    else:
        answer = ",".join(sorted(q.answer)) if isinstance(q.answer, list) else str(q.answer)
        choices = [(key, f"{key}. {label}") for key, label in sorted(q.options.items())]
    control = "checkbox" if q.type == "multiple" else "radio"
    inputs = "".join(
        f'<label class="crmkb-quiz-option"><input type="{control}" name="{_attr(q.id)}" '
        f'value="{_attr(value)}"> {_text(label)}</label>'
        for value, label in choices
    )
    return (
        f'<fieldset class="crmkb-quiz-question" data-qid="{_attr(q.id)}" data-type="{q.type}" '
        f'data-answer="{_attr(answer)}">'
        f'<legend><span class="crmkb-quiz-number">{number}.</span> '
        f'<span class="crmkb-quiz-kind">[{KIND_LABEL[q.type]}]</span> {_text(q.text)}</legend>'
        f"{inputs}"
        '<div class="crmkb-quiz-feedback" hidden>'
        '<p class="crmkb-quiz-verdict"></p>'
        f'<p class="crmkb-quiz-explanation">{_text(q.explanation)} '
        f'<a class="crmkb-quiz-section" href="#" data-section="{_attr(q.section)}">'
        f"参见：{_text(q.section)}</a></p>"
        "</div>"
        "</fieldset>"
    )


def _text(value: str) -> str:
    # Collapse newlines (a blank line would end the raw HTML block) and escape Markdown-free.
    return html.escape(" ".join(value.split()), quote=False)


def _attr(value: str) -> str:
    return html.escape(" ".join(value.split()), quote=True)
