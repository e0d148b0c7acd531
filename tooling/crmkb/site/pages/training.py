"""Training tracks (modules in order) and the training-module pages.

Extension hook: the quiz and certification-register work adds sections to every module page
by appending a function to `MODULE_SECTIONS`; `render_module` calls each one after the guide.
"""

from __future__ import annotations

from collections.abc import Callable

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.role import Role
from crmkb.records.training_module import TrainingModule
from crmkb.site.pages import urls
from crmkb.site.pages.common import lab, link, module_name, page, record_meta, table, text
from crmkb.site.pages.orientation import breadcrumb
from crmkb.site.record_text import fence
from crmkb.training.pages import PROGRESS, REGISTER
from crmkb.training.quiz import quiz_section

ModuleSection = Callable[[KnowledgeBase, TrainingModule], str]
MODULE_SECTIONS: list[ModuleSection] = [quiz_section]


def track(kb: KnowledgeBase, name: str) -> list[TrainingModule]:
    """The modules of one track in teaching order."""
    modules = [m for m in kb.of(TrainingModule).values() if m.track == name]
    return sorted(modules, key=lambda m: (m.order, m.id))


def _role_names(kb: KnowledgeBase, module: TrainingModule) -> str:
    roles = kb.of(Role)
    return "、".join(text(roles[r].name if r in roles else r) for r in module.roles)


def _neighbours(kb: KnowledgeBase, module: TrainingModule) -> str:
    here = urls.training(module.id)
    ordered = track(kb, module.track)
    at = ordered.index(module)
    links = []
    if at > 0:
        links.append(
            "上一课：" + link(here, urls.training(ordered[at - 1].id), ordered[at - 1].title)
        )
    if at + 1 < len(ordered):
        links.append(
            "下一课：" + link(here, urls.training(ordered[at + 1].id), ordered[at + 1].title)
        )
    return "　".join(links) + "\n" if links else ""


def render_module(
    kb: KnowledgeBase, module: TrainingModule, sections: list[ModuleSection] | None = None
) -> str:
    """A module page: facts, the guide, then each extension section (quizzes, register...)."""
    facts = table(
        ["项目", "内容"],
        [
            ("编号", text(module.id)),
            ("课程", f"{lab(kb).of('track', module.track)} 第 {module.order} 课"),
            ("适用角色", _role_names(kb, module)),
            ("涉及模块", "、".join(text(module_name(kb, m)) for m in module.modules) or "—"),
        ],
    )
    trail = breadcrumb(urls.training(module.id), ("培训课程", urls.TRAINING))
    parts = [trail, facts, fence(module.body)]
    parts += [extra(kb, module) for extra in (MODULE_SECTIONS if sections is None else sections)]
    parts.append(_neighbours(kb, module))
    meta = record_meta("training", [module.id])
    return page(f"{module.id} {module.title}", "\n".join(p for p in parts if p), **meta)


def render_tracks(kb: KnowledgeBase) -> str:
    here = urls.TRAINING
    parts = [
        "新员工先按角色学习两条课程，通过上岗考试后才开通系统权限（先培训、再考试、后上岗）。\n",
    ]
    if not kb.config.publish.public:  # a public site has no register or progress pages
        parts.append(
            f"{link(here, REGISTER, '上岗证登记册')}　{link(here, PROGRESS, '各角色培训进度')}\n"
        )
    for name, label in lab(kb).track.items():
        parts.append(f"## {label} {{#track-{name}}}\n")
        parts.append(
            table(
                ["顺序", "模块", "适用角色"],
                [
                    (
                        str(m.order),
                        link(here, urls.training(m.id), f"{m.id} {m.title}"),
                        _role_names(kb, m),
                    )
                    for m in track(kb, name)
                ],
            )
        )
    return page("培训课程", "\n".join(parts), **record_meta("index", []))
