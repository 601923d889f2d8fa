"""Hold every request sent (and every answer given) against Microsoft's REST descriptions.

The three Swagger 2.0 files (work item tracking, work, core; version 7.1) are read where they
are kept, next to the repository (never copied in). ``openapi-core`` reads OpenAPI 3 only, so
this is a small validator of our own over the Swagger 2.0 documents: the operation is found
by method and path template; its path, query and body parameters are checked (required
ones present, no unknown query parameter, types and enums); the body and a 200 answer are
validated with ``jsonschema`` against the file's definitions.

Where the files and the service differ, exactly this is tolerated, and why:

- a path parameter marked ``x-ms-required: false`` may be left out, as Microsoft's own
  annotation says (Swagger 2.0 cannot mark a path parameter optional): the node path at the
  end of ``classificationnodes/{structureGroup}/{path}``, and the ``{team}`` segment (WIQL
  runs for the project without a team);
- the files type JSON values as a property-less ``"type": "object"`` (a JSON Patch
  operation's ``value``, a field update's ``newValue``, a work item's ``fields``), while
  their own examples send strings and numbers there: such a schema takes any JSON value
  (``JsonPatchDocument`` is the same: ``type: object`` with no properties, ``allOf`` an
  array of operations; it is checked as that array);
- the service wraps every list in ``{"count": n, "value": [...]}`` where the files describe
  a bare array (as the files' own examples show): an answer is checked by its ``value``;
- JSON Patch bodies are sent as ``application/json-patch+json``, others as
  ``application/json``: the request's media type must be one the operation consumes.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

# tests/azure_devops_standin/contract.py -> parents[3] holds the repository's folder.
CONTRACTS = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "azure-devops"
FILES = ("workItemTracking-7.1.swagger2.json", "work-7.1.swagger2.json", "core-7.1.swagger2.json")
API_VERSION = "7.1"
_PASSED: set[bytes] = set()
"""Digests of exchanges already found valid (the fault sweeps repeat many identical ones)."""


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]
    document: str
    literal_length: int


def _free_form_to_any(schema: Any) -> Any:
    """A property-less ``type: object`` becomes "any JSON value" (see the module text)."""
    if isinstance(schema, dict):
        out = {k: _free_form_to_any(v) for k, v in schema.items()}
        if (
            out.get("type") == "object"
            and not out.get("properties")
            and "additionalProperties" not in out
        ):
            del out["type"]
        return out
    if isinstance(schema, list):
        return [_free_form_to_any(v) for v in schema]
    return schema


@cache
def documents() -> dict[str, dict[str, Any]]:
    return {name: json.loads((CONTRACTS / name).read_text(encoding="utf-8")) for name in FILES}


@cache
def registry() -> Registry[Any]:
    resources = []
    for name, doc in documents().items():
        schema = {"definitions": _free_form_to_any(doc.get("definitions", {}))}
        resources.append((name, Resource.from_contents(schema, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def _parameter(doc: dict[str, Any], parameter: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in parameter:
        name = parameter["$ref"].rsplit("/", 1)[-1]
        return dict(doc["parameters"][name])
    return parameter


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for name, doc in documents().items():
        for template, entry in doc["paths"].items():
            for method, spec in entry.items():
                if method == "parameters":
                    continue
                params = {
                    p["name"]: p for p in (_parameter(doc, x) for x in spec.get("parameters", []))
                }
                regex = ""
                for part in re.split(r"(\{[^}]+\})", template):
                    if part.startswith("{"):
                        pname = part[1:-1]
                        optional = params.get(pname, {}).get("x-ms-required") is False
                        if optional and template.endswith("/" + part):
                            regex = regex[:-1] + f"(?:/(?P<{pname}>.+))?"
                        elif optional and pname == "team":
                            regex = regex[:-1] + f"(?:/(?P<{pname}>[^/]+))?"
                        else:
                            regex += f"(?P<{pname}>[^/]+)"
                    else:
                        regex += re.escape(part)
                found.append(
                    Operation(
                        method.upper(), template, re.compile(f"^{regex}$", re.IGNORECASE), spec,
                        name, len(re.sub(r"\{[^}]+\}", "", template)),
                    )
                )  # fmt: skip
    return tuple(sorted(found, key=lambda o: -o.literal_length))


def find_operation(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    for operation in operations():
        if operation.method != method:
            continue
        match = operation.pattern.match(path)
        if match:
            return operation, {k: v for k, v in match.groupdict().items() if v is not None}
    return None


def _scalar_ok(parameter: dict[str, Any], text: str) -> bool:
    kind = parameter.get("type", "string")
    if "enum" in parameter and text not in parameter["enum"]:
        return False
    if kind == "boolean":
        return text in ("true", "false")
    if kind == "integer":
        return bool(re.fullmatch(r"-?\d+", text))
    return True


def _schema_errors(document: str, schema: dict[str, Any], value: Any) -> list[str]:
    wrapped = copy.deepcopy(_free_form_to_any(schema))
    text = json.dumps(wrapped).replace('"#/definitions/', f'"{document}#/definitions/')
    validator = Draft4Validator(json.loads(text), registry=registry())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message[:200]}"
        for error in validator.iter_errors(value)
    ]


class ContractChecker:
    """Validates exchanges and collects violations (never raises)."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.checked = 0

    def check_request(
        self, method: str, url: str, headers: dict[str, str], body: Any
    ) -> Operation | None:
        self.checked += 1
        key = _digest(method, url, headers.get("Content-Type", ""), body)
        found = find_operation(method, unquote(urlsplit(url).path))
        if key in _PASSED and found is not None:
            return found[0]
        before = len(self.violations)
        operation = self._check_request(method, url, headers, body)
        if len(self.violations) == before:
            _PASSED.add(key)
        return operation

    def _check_request(
        self, method: str, url: str, headers: dict[str, str], body: Any
    ) -> Operation | None:
        parts = urlsplit(url)
        path = unquote(parts.path)
        where = f"{method} {path}"
        found = find_operation(method, path)
        if found is None:
            self.violations.append(f"request {where}: no such operation in the 7.1 files")
            return None
        operation, path_values = found
        doc = documents()[operation.document]
        params = [_parameter(doc, p) for p in operation.spec.get("parameters", [])]
        query = parse_qs(parts.query, keep_blank_values=True)
        known = {p["name"] for p in params if p["in"] == "query"}
        for name in query:
            if name not in known:
                self.violations.append(f"request {where}: unknown query parameter {name!r}")
        for parameter in params:
            name, place = parameter["name"], parameter["in"]
            if place == "query":
                values = query.get(name)
                if values is None:
                    if parameter.get("required"):
                        self.violations.append(f"request {where}: missing {name}")
                    continue
                if any(not _scalar_ok(parameter, v) for v in values):
                    self.violations.append(f"request {where}: bad {name}={values}")
            elif place == "path":
                value = path_values.get(name)
                if value is not None and not _scalar_ok(parameter, value):
                    self.violations.append(f"request {where}: bad path parameter {name}={value}")
            elif place == "body":
                if body is None:
                    if parameter.get("required"):
                        self.violations.append(f"request {where}: missing body")
                    continue
                media = headers.get("Content-Type", "").split(";")[0].strip()
                consumes = operation.spec.get("consumes") or ["application/json"]
                if media not in consumes:
                    self.violations.append(
                        f"request {where}: Content-Type {media!r} not in {consumes}"
                    )
                for problem in _schema_errors(operation.document, parameter["schema"], body):
                    self.violations.append(f"request {where}: {problem}")
        if query.get("api-version", [API_VERSION]) != [API_VERSION]:
            self.violations.append(f"request {where}: api-version must be {API_VERSION}")
        return operation

    def check_response(
        self, operation: Operation, method: str, url: str, status: int, body: Any
    ) -> None:
        if status != 200:
            return  # error bodies are the stand-in's choice; their status is checked by tests
        schema = (operation.spec.get("responses", {}).get("200") or {}).get("schema")
        if schema is None:
            return
        key = _digest(method, url, str(status), body)
        if key in _PASSED:
            return
        before = len(self.violations)
        if (
            schema.get("type") == "array"
            and isinstance(body, dict)
            and set(body) == {"count", "value"}
        ):
            body = body["value"]
        where = f"{method} {unquote(urlsplit(url).path)}"
        for problem in _schema_errors(operation.document, schema, body):
            self.violations.append(f"response {where} 200: {problem}")
        if len(self.violations) == before:
            _PASSED.add(key)


def _digest(*parts: Any) -> bytes:
    import hashlib

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
