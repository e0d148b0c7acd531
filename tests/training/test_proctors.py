"""Issue 18 items 4 and 5: who may sign exam results. Only exact person ids of active people
holding a proctor role, one per line, each with a key of their own; never cert-authority;
a copy of a result is caught however its signature is wrapped."""

from __future__ import annotations

from pathlib import Path

import pytest
from exam_kit import key_of, proctor_key
from test_exam_cli import kb, result, take
from test_integrity import PATH, problems, write

from crmkb.signatures import ALLOWED_SIGNERS, Signer
from crmkb.training.filing import seal

SIGNERS = f"{ALLOWED_SIGNERS}"


def public(name: str) -> str:
    return proctor_key(name).with_suffix(".pub").read_text(encoding="ascii").strip()


def signer_lines(root: Path, *lines: str) -> None:
    """The allowed signers file: P001's own line, then `lines`."""
    own = f'P001 namespaces="crmkb-exam-result" {public("P001")}'
    (root / ALLOWED_SIGNERS).write_text("\n".join([own, *lines]) + "\n", encoding="ascii")


def signed_by(root: Path, key: str, proctor: str, person: str = "P010") -> None:
    """EXR-0001 re-signed with `key`'s private half, claiming `proctor` signed it."""
    data = {**result(root, "EXR-0001"), "person": person}
    for field in ("id", "proctor", "signature"):
        data.pop(field)
    write(root, "EXR-0001", seal(data, Signer(proctor_key(key), root / ALLOWED_SIGNERS, proctor)))


def file_errors(root: Path) -> list[str]:
    run = kb(root, "check")
    return [line for line in run.stdout.splitlines() if line.startswith(SIGNERS)]


@pytest.mark.parametrize("principal", ["*", "P0*", "P00?", "!P999,*", '"P001"', "P001,P010"])
def test_a_pattern_or_list_of_principals_mints_no_proctor(kb_root: Path, principal: str) -> None:
    assert take(kb_root, key_of(kb_root)).exit_code == 0
    signer_lines(kb_root, f'{principal} namespaces="crmkb-exam-result" {public("OUTSIDER")}')
    signed_by(kb_root, "OUTSIDER", "P001")
    errors = file_errors(kb_root)
    assert len(errors) == 1 and errors[0].startswith(f"{SIGNERS}:2:1: error: '{principal}'")
    assert any("does not verify for proctor P001" in p for p in problems(kb_root))


def test_a_cert_authority_line_is_refused(kb_root: Path) -> None:
    assert take(kb_root, key_of(kb_root)).exit_code == 0
    signer_lines(kb_root, f'P001 cert-authority,namespaces="crmkb-exam-result" {public("CA")}')
    assert file_errors(kb_root) == [
        f"{SIGNERS}:2:6: error: cert-authority lines are not accepted: any certificate the "
        "authority issues would sign as a proctor; list each proctor's own key instead"
    ]


def test_the_candidates_key_under_a_second_name_cannot_sign(kb_root: Path) -> None:
    """The issue's `P012,P005 <candidate's key>`, and the same as two lines."""
    take(kb_root, key_of(kb_root))
    signer_lines(kb_root, f"P010 {public('P010')}", f"P001 {public('P010')}")
    signed_by(kb_root, "P010", "P001")
    errors = file_errors(kb_root)
    assert [e.split(": error: ")[0] for e in errors] == [f"{SIGNERS}:2:1", f"{SIGNERS}:3:1"]
    assert "this key is also listed for P010 (line 2)" in errors[1]
    assert any("does not verify for proctor P001" in p for p in problems(kb_root))
    stranger = take(kb_root, key_of(kb_root), seed=2)
    assert stranger.exit_code == 1  # kb exam refuses the shared key too


@pytest.mark.parametrize(
    ("proctor", "reason"),
    [
        ("P999", "P999 is not a person in records/people.yml"),
        ("P012", "P012 is not an active person (active: false)"),
        ("P011", "P011 holds no proctor role (roles with `proctor: true`: project-lead)"),
    ],
)
def test_a_proctor_must_be_an_active_person_with_a_proctor_role(
    kb_root: Path, proctor: str, reason: str
) -> None:
    take(kb_root, key_of(kb_root))
    signer_lines(kb_root, f"{proctor} {public(proctor)}")
    signed_by(kb_root, proctor, proctor)
    errors = file_errors(kb_root)
    assert len(errors) == 1 and errors[0].startswith(f"{SIGNERS}:2:1: error: {reason}")
    assert f"{PATH}:18:10: error: {proctor} is not a proctor" in "\n".join(problems(kb_root))


def test_a_copy_with_its_signature_rewrapped_is_still_a_copy(kb_root: Path) -> None:
    take(kb_root, key_of(kb_root))
    text = (kb_root / PATH).read_text("utf-8")
    head, _, rest = text.partition("signature: |\n")
    armor = [line.strip() for line in rest.splitlines()]
    inner = "".join(armor[1:-1])
    wrapped = [inner[i : i + 64] for i in range(0, len(inner), 64)]
    lines = [armor[0], *wrapped, armor[-1]]
    copy = head + "signature: |\n" + "".join(f"  {line}\n" for line in lines)
    assert copy != text
    (kb_root / "records/exam-results/EXR-0002.yml").write_text(
        copy.replace("EXR-0001", "EXR-0002"), "utf-8"
    )
    assert problems(kb_root) == [
        "records/exam-results/EXR-0002.yml:19:12: error: this is a copy of EXR-0001 (the same "
        "signed sitting); delete the copy"
    ]


def test_the_sample_proctor_is_a_proctor(tmp_path: Path) -> None:
    from crmkb.knowledge_base import load
    from crmkb.records.proctors import register

    root = Path(__file__).resolve().parents[2]
    found = register(load(root))
    assert (found.errors, found.proctors()) == ([], {"P001"})
