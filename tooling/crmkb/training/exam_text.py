"""What the exam screen says, in the content language (`language` in crmkb.yml).

The candidate reads one language from the first line to the last; the keys are the same in
every language, and a test checks that.
"""

from __future__ import annotations

ZH = {
    "header": "{cert} {name}　考生：{person}（{pid}）",
    "rules": (
        "共 {count} 题，限时 {minutes} 分钟，{mark} 分及格。超时后作答不计分；直接回车可跳过一题。"
        "一旦显示第一题，Ctrl-C、Ctrl-\\ 或关闭终端都会把本次考试记为未完成（计为未通过）。"
    ),
    "start": "开始考试？",
    "not_started": "考试未开始，没有留下记录。",
    "question": "第 {i}/{count} 题　剩余时间 {left}",
    "single": "单选，输入一个选项，如 A",
    "multiple": "多选，输入全部正确选项，如 A,C 或 AC",
    "true_false": "判断，输入 对 或 错（T/F）",
    "prompt": "答案（{hint}）",
    "unreadable": "无法识别“{raw}”：{why}",
    "why_true_false": "请输入 对 或 错（T/F）",
    "why_keys": "请用选项字母作答（{keys}）",
    "why_single": "本题只有一个正确选项，请只输入一个字母",
    "late": "时间到：该答案在截止时间之后提交，不计分。",
    "time_up": "时间到，考试结束。",
    "verdict": "{id}：得分 {score}（及格线 {mark}），{outcome}",
    "passed": "通过",
    "failed": "未通过",
    "expires": "，有效期至 {date}",
    "timed_out": "（超时，按截止前的作答评分）",
    "retake": "可于 {date} 起重考。",
    "review": "建议复习：{modules}",
    "written": "已写入 {path}，请项目负责人通过 pull request 提交。",
    "interrupted": "考试已中断（{cause}），已作答 {answered} 题，记为未完成（计为一次未通过）。",
    "fallback": (
        "无法写入 {problem}。完整的考试记录（已签名）保存在 {path}。"
        "请项目负责人在问题解决后运行：kb exam import {path}"
    ),
    "on_screen": (
        "无法写入 {problem}，也无法写入任何备用文件。以下是完整的考试记录（已签名）："
        "请复制保存为文件，再运行 kb exam import 文件名"
    ),
    "cause_int": "Ctrl-C",
    "cause_quit": "Ctrl-\\",
    "cause_hup": "终端已关闭",
    "cause_term": "进程被终止",
    "cause_eof": "输入已结束",
}

EN = {
    "header": "{cert} {name} — candidate: {person} ({pid})",
    "rules": (
        "{count} questions, {minutes} minutes, pass mark {mark}. Answers after the time limit do "
        "not count; Enter skips a question. Once the first question is shown, Ctrl-C, Ctrl-\\ "
        "or closing the terminal records the sitting as incomplete (a failed attempt)."
    ),
    "start": "Start the exam?",
    "not_started": "The exam did not start; nothing was recorded.",
    "question": "Question {i}/{count}  time left {left}",
    "single": "one answer, e.g. A",
    "multiple": "every correct option, e.g. A,C or AC",
    "true_false": "true or false (T/F)",
    "prompt": "Answer ({hint})",
    "unreadable": "Cannot read '{raw}': {why}",
    "why_true_false": "answer true or false (T/F)",
    "why_keys": "answer with the option letters ({keys})",
    "why_single": "this question has one correct option; give one letter",
    "late": "Time is up: that answer came after the deadline and does not count.",
    "time_up": "Time is up; the exam is over.",
    "verdict": "{id}: score {score} (pass mark {mark}), {outcome}",
    "passed": "passed",
    "failed": "not passed",
    "expires": ", valid until {date}",
    "timed_out": " (time ran out; graded on the answers given in time)",
    "retake": "A retake is allowed from {date}.",
    "review": "Revise: {modules}",
    "written": "Written to {path}; the project lead commits it through a pull request.",
    "interrupted": (
        "The exam was interrupted ({cause}) after {answered} answers and is recorded as "
        "incomplete (a failed attempt)."
    ),
    "fallback": (
        "Could not write {problem}. The whole signed result is saved in {path}. Once that is "
        "fixed, the project lead runs: kb exam import {path}"
    ),
    "on_screen": (
        "Could not write {problem}, nor any fallback file. The whole signed result follows: "
        "save it to a file, then run kb exam import FILE"
    ),
    "cause_int": "Ctrl-C",
    "cause_quit": "Ctrl-\\",
    "cause_hup": "terminal closed",
    "cause_term": "process terminated",
    "cause_eof": "end of input",
}

TEXT = {"zh": ZH, "en": EN}


def screen_text(language: str) -> dict[str, str]:
    return TEXT.get(language, EN)
