"""The extraction prompt: system text, the fields wanted, few-shot turns, the text.

Small models need a tight prompt: one line per field (name, type, description) in schema
order, then worked examples as prior user/assistant turns, then the text.

Example:
    >>> from inhouse.chains.schemas import Contacts
    >>> from inhouse.extract.schema import Schema
    >>> print(describe(Schema.of(Contacts).json_schema).splitlines()[0])
    - people (list of strings): Full names of people, as written in the text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from inhouse.errors import ConfigError
from inhouse.extract.schema import InvalidOutput, Schema

DEFAULT_SYSTEM = "You extract facts from text into JSON. Copy values exactly as written."
INSTRUCTIONS = (
    "Answer with one JSON object with exactly these keys, in this order:\n{fields}\n"
    "Use null for a value the text does not give and [] for an empty list. Answer with the"
    " JSON object only."
)
REPAIR = (
    "That answer is not valid: {problem}. Answer again with only the corrected JSON object,"
    " with exactly the keys listed before."
)


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    return defs.get(ref.rsplit("/", 1)[-1], node) if ref else node


def type_name(node: dict[str, Any], defs: dict[str, Any]) -> str:
    """A short human name for a JSON Schema type: ``list of strings``, ``number or null``."""
    node = _resolve(node, defs)
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        return " or ".join(type_name(o, defs) for o in options)
    kind = node.get("type", "value")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        item = type_name(node.get("items", {}), defs)
        return f"list of {item}s" if " " not in item else f"list of ({item})"
    if kind == "object" and "properties" in node:
        return "object with " + ", ".join(node["properties"])
    if "enum" in node:
        return "one of " + ", ".join(json.dumps(v) for v in node["enum"])
    return str(kind)


def describe(json_schema: dict[str, Any]) -> str:
    """One line per top-level field: name, type and description, in schema order."""
    defs = json_schema.get("$defs", {})
    lines = []
    for name, node in json_schema.get("properties", {}).items():
        text = node.get("description") or _resolve(node, defs).get("description", "")
        lines.append(f"- {name} ({type_name(node, defs)})" + (f": {text}" if text else ""))
    return "\n".join(lines)


def fill(template: str, text: str) -> str:
    """`template` with ``{text}`` replaced (other braces are left alone)."""
    return template.replace("{text}", text)


def example_turns(
    schema: Schema, template: str, examples: Sequence[tuple[str, dict[str, Any]]]
) -> list[BaseMessage]:
    """Few-shot examples as prior turns; each answer is validated and in schema order."""
    turns: list[BaseMessage] = []
    for i, (text, answer) in enumerate(examples):
        try:
            value = schema.dump(schema.validate_value(answer))
        except InvalidOutput as exc:
            msg = f"example {i + 1} does not match schema {schema.name}: {exc}; fix the example"
            raise ConfigError(msg) from exc
        turns += [HumanMessage(fill(template, text)), AIMessage(json.dumps(value))]
    return turns


def build_messages(
    schema: Schema,
    text: str,
    *,
    system: str | None,
    template: str,
    examples: Sequence[BaseMessage],
) -> list[BaseMessage]:
    """The whole prompt for one text (or one piece of a long text)."""
    instructions = INSTRUCTIONS.format(fields=describe(schema.json_schema))
    head = f"{system or DEFAULT_SYSTEM}\n\n{instructions}"
    return [SystemMessage(head), *examples, HumanMessage(fill(template, text))]


def repair_messages(messages: Sequence[BaseMessage], raw: str, problem: str) -> list[BaseMessage]:
    """The prompt again, the invalid answer, and the validation error to fix."""
    return [*messages, AIMessage(raw), HumanMessage(REPAIR.format(problem=problem))]
