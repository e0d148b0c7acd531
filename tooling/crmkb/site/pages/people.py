"""People and roles: each role's duties, data rights and certifications; who owns which module."""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.crm_module import CrmModule
from crmkb.records.person import Person
from crmkb.records.role import Role
from crmkb.site.pages.common import (
    cert_name,
    day,
    lab,
    module_name,
    page,
    person_name,
    record_meta,
    table,
    text,
)


def _role_section(kb: KnowledgeBase, role: Role) -> str:
    duties = "\n".join(f"- {text(duty)}" for duty in role.duties) or "（未列出职责）"
    rights = table(
        ["CRM 模块", "数据权限"],
        [
            (text(module_name(kb, module)), "、".join(lab(kb).of("rights", r) for r in rights))
            for module, rights in role.data_rights.items()
        ],
    )
    certs = "、".join(text(cert_name(kb, c)) for c in role.certifications) or "无"
    holders = [p for p in kb.of(Person).values() if role.id in p.roles and p.active]
    people = "、".join(text(p.name) for p in holders) or "无"
    return (
        f"### {text(role.name)} {{#role-{role.id}}}\n\n**职责**\n\n{duties}\n\n"
        f"**数据权限**\n\n{rights}\n**所需上岗证：** {certs}　**现任：** {people}\n"
    )


def render_people(kb: KnowledgeBase) -> str:
    roles = kb.of(Role)
    parts = ["## 角色与职责\n"]
    parts += [_role_section(kb, role) for role in roles.values()]
    parts.append("## CRM 模块负责人\n")
    parts.append("各模块的共享主数据（如付款条件、信用条件）由负责人统一维护。\n")
    parts.append(
        table(
            ["模块", "负责人", "主数据", "说明"],
            [
                (
                    text(m.name),
                    text(person_name(kb, m.owner)),
                    "、".join(text(d) for d in m.master_data),
                    text(m.description or ""),
                )
                for m in kb.of(CrmModule).values()
            ],
        )
    )
    parts.append("## 人员\n")
    parts.append(
        table(
            ["编号", "姓名", "角色", "部门", "入职", "在职"],
            [
                (
                    text(p.id),
                    text(p.name),
                    "、".join(text(roles[r].name if r in roles else r) for r in p.roles),
                    text(p.department or ""),
                    day(p.joined),
                    "是" if p.active else "否",
                )
                for p in sorted(kb.of(Person).values(), key=lambda p: p.id)
            ],
        )
    )
    return page("人员与角色", "\n".join(parts), **record_meta("index", []))
