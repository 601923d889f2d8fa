"""Safe YAML reading that remembers where every value stands in the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import InputError, Problem

PathKey = tuple[str | int, ...]


MAX_VALUES = 100_000
"""The most keys and items a file may hold once its aliases are expanded: far above any
real catalog or engagement, far below what a nested-alias "bomb" expands to."""


_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictSafeLoader(_Loader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader (libyaml's when installed, ten times faster): tags such as
    ``!!python/object`` build nothing."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """An impossible date (``2027-02-30``) stays text; the schema check explains it."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


StrictSafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictSafeLoader.construct_yaml_timestamp
)


@dataclass(frozen=True)
class YamlDocument:
    """The data of one YAML file and the line of every key and item in it."""

    source: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def format_location(path: PathKey) -> str:
    """``('team', 'roles', 'ml-engineer')`` -> ``team.roles.ml-engineer``; indices as ``[3]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_yaml(text: str, source: str) -> YamlDocument:
    """Parse ``text`` safely; every problem is an :class:`InputError` naming ``source``."""
    loader = StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        tag = ""
        if exc.problem and "tag" in exc.problem:
            tag = exc.problem.split("tag", 1)[1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        raise InputError(
            [
                Problem(
                    source,
                    "",
                    f"the YAML tag {tag or '(unknown)'} is not allowed: only plain YAML "
                    "(mappings, lists, strings, numbers, dates) is read; remove the tag",
                    line,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{what} ({context})" if context else what
        raise InputError(
            [Problem(source, "", f"not valid YAML: {detail}; fix the syntax at this line", line)]
        ) from None
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    problems: list[Problem] = []
    if node is not None:
        lines[()] = node.start_mark.line + 1
        repeated: list[int] = []  # the line of the first node reached twice (an alias)
        for count, (path, line, duplicate) in enumerate(_walk(node, (), set(), repeated)):
            if count >= MAX_VALUES:
                raise InputError(
                    [
                        Problem(
                            source,
                            "",
                            f"the aliases (*name) of the anchor here expand to more than "
                            f"{MAX_VALUES:,} values; aliases are not needed in planner "
                            "files: write the values out instead",
                            repeated[0] if repeated else None,
                        )
                    ]
                )
            if duplicate:
                problems.append(
                    Problem(
                        source,
                        format_location(path),
                        "this key appears twice in the same mapping; keep only one",
                        line,
                    )
                )
            else:
                lines.setdefault(path, line)
    if problems:
        raise InputError(problems)
    return YamlDocument(source, data, lines)


def _walk(
    node: yaml.Node, path: PathKey, seen: set[int], repeated: list[int]
) -> Iterator[tuple[PathKey, int, bool]]:
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if id(node) in seen and not repeated:
            repeated.append(node.start_mark.line + 1)
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key: str | int = key_node.value
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":int"):
                key = int(key_node.value)
            child = (*path, key)
            yield child, key_node.start_mark.line + 1, str(key) in keys
            keys.add(str(key))
            yield from _walk(value_node, child, seen, repeated)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            yield child, item.start_mark.line + 1, False
            yield from _walk(item, child, seen, repeated)


def read_yaml(path: Path, source: str | None = None) -> YamlDocument:
    """Read and parse a YAML file; a missing or unreadable file is an input problem."""
    name = source or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(name, "", "file not found; check the path")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(name, "", "not a UTF-8 text file; save it as UTF-8")]) from None
    except OSError as exc:
        raise InputError([Problem(name, "", f"cannot be read: {exc.strerror}")]) from None
    return parse_yaml(text, name)
