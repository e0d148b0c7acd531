"""Turning typed text (`--set` values, prompt answers) into field values by the field's type.

Text fields keep exactly what was typed: `#`, `[`, `:`, quotes and emoji are not YAML syntax
here. Typed fields (dates, numbers, booleans, lists) are parsed by their type, and a wrong value
gets a message naming the field.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, TypeAdapter, ValidationError

from crmkb.errors import UsageError

_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否", "错"}


def _core(annotation: Any) -> Any:
    """The annotation without Annotated metadata and without `| None`."""
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _core(args[0])
    return annotation


def _is_text(annotation: Any) -> bool:
    core = _core(annotation)
    if core is str:
        return True
    if typing.get_origin(core) is Literal:
        return all(isinstance(v, str) for v in typing.get_args(core))
    return False


def field_value(model: type[BaseModel], name: str, raw: str) -> Any:
    """The value `raw` stands for in `model`'s field `name`, or UsageError naming the field."""
    info = model.model_fields.get(name)
    if info is None:
        known = ", ".join(n for n in model.model_fields if n != "id")
        raise UsageError(f"{model.__name__.lower()} has no field {name!r}; its fields: {known}")
    annotation = info.annotation
    core = _core(annotation)
    if typing.get_origin(core) is list:
        (item,) = typing.get_args(core) or (str,)
        value: Any = [_scalar(name, item, part) for part in _split(raw)]
    else:
        value = _scalar(name, annotation, raw)
    _check(name, info.annotation, info.metadata, value)
    return value


def _check(name: str, annotation: Any, metadata: list[Any], value: Any) -> None:
    """The field's own constraints (pattern, choices, range), so a typo is caught as typed."""
    try:
        TypeAdapter(Annotated[annotation, *metadata] if metadata else annotation).validate_python(
            value
        )
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise UsageError(f"{name}: {error['msg']} (got {raw_of(value)!r})") from None


def raw_of(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _split(raw: str) -> list[str]:
    """`a, b` or `[a, b]`: a list typed on one line, items separated by commas."""
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part.strip() for part in text.split(",") if part.strip()]


def _scalar(name: str, annotation: Any, raw: str) -> Any:
    if _is_text(annotation):
        return raw
    core = _core(annotation)
    text = raw.strip()
    if core is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise UsageError(f"{name}: expected true or false, got {raw!r}")
    if core is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{name}: expected a date like 2026-11-23, got {raw!r}") from None
    try:
        return TypeAdapter(annotation).validate_python(text)
    except ValidationError as exc:
        reason = exc.errors(include_url=False)[0]["msg"]
        raise UsageError(f"{name}: {reason} (got {raw!r})") from None
