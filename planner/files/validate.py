"""Schema validation with pydantic, its errors flattened to ``file:line: place: message``."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from planner.errors import InputError, Problem
from planner.files.yaml_source import PathKey, YamlDocument, format_location

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "a text",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "dict_type": "a mapping (key: value lines)",
    "list_type": "a list (lines starting with '- ')",
    "bool_type": "true or false",
    "model_type": "a mapping (key: value lines)",
}


_BOUNDS = {
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
}
_BOUND_KEY = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[BaseModel], path: PathKey) -> list[str]:
    """The keys the schema allows at ``path`` (best effort, for 'unknown key' messages)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = _model_in(field.annotation)
        else:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: tuple[Any, ...]) -> PathKey:
    """Drop pydantic's union-branch markers (``str``, ``RoleEntry``...) from a location."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part[:1].isupper()
            or part.startswith(("function-", "literal[", "constrained-"))
            or part in {"str", "int", "float", "date", "is-instance", "lax-or-strict"}
        ):
            continue
        out.append(part)
    return tuple(out)


def problems_from(
    error: ValidationError, document: YamlDocument, model: type[BaseModel], prefix: PathKey = ()
) -> list[Problem]:
    problems: dict[tuple[PathKey, str], Problem] = {}
    type_only: set[PathKey] = set()
    for item in error.errors(include_url=False):
        path = (*prefix, *_clean_loc(tuple(item["loc"])))
        kind = item["type"]
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, path[len(prefix) : -1])
            hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
            message = f"unknown key '{path[-1]}'{hint}"
        elif kind == "missing":
            message = f"required key '{path[-1]}' is missing; add it"
        elif kind in _TYPE_WORDS:
            message = f"must be {_TYPE_WORDS[kind]}, got {_describe(item.get('input'))}"
        elif kind in _BOUNDS:
            bound = item.get("ctx", {}).get(_BOUND_KEY[kind])
            whole = isinstance(bound, int) and isinstance(item.get("input"), int)
            number = "a whole number" if whole else "a number"
            bound = f"{bound:g}" if isinstance(bound, float) else bound
            message = (
                f"must be {number} {_BOUNDS[kind]} {bound}, got {_describe(item.get('input'))}"
            )
        elif kind == "date_impossible":
            message = (
                f"{item.get('input')} is not a date: {item['msg']}; correct the day or the month"
            )
        elif kind == "literal_error":
            expected = item["msg"].replace("Input should be", "must be")
            message = f"{expected}, got {_describe(item.get('input'))}"
        elif kind == "string_pattern_mismatch":
            message = (
                f"{_describe(item.get('input'))} is not a valid id here: use lower-case "
                "letters, digits and single hyphens (kebab-case)"
                if "a-z" in str(item.get("ctx", {}).get("pattern", ""))
                else f"{_describe(item.get('input'))} does not have the expected form "
                f"{item.get('ctx', {}).get('pattern')}"
            )
        else:
            message = (
                f"{item['msg'][:1].lower()}{item['msg'][1:]}, got {_describe(item.get('input'))}"
            )
        key = (path, message)
        # a union reports each branch; keep one message per place, and prefer a branch that
        # got the right type but a wrong value (-1 people) over one of the wrong type
        if kind in _TYPE_WORDS:
            if path in type_only or any(p == path for p, _ in problems):
                continue
            type_only.add(path)
        elif path in type_only:
            type_only.discard(path)
            problems = {k: v for k, v in problems.items() if k[0] != path}
        problems[key] = Problem(
            document.source, format_location(path), message, document.line(path)
        )
    # in file order, so the messages read top to bottom like the file
    return sorted(problems.values(), key=lambda p: p.line or 0)


def validate_document(document: YamlDocument, model: type[M], what: str) -> M:
    """Validate a whole document against ``model``; all problems at once."""
    data = document.data
    if data is None:
        raise InputError(
            [Problem(document.source, "", f"the file is empty; it should hold {what}")]
        )
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    document.source,
                    "",
                    f"must be a mapping of keys (it should hold {what}), got {_describe(data)}",
                    document.line(()),
                )
            ]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, document, model)) from None
