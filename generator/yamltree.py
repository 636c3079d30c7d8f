"""Safe YAML parsing that keeps line numbers.

PyYAML's loaders throw away where a value came from, accept duplicate keys
silently and turn `2406.11717` into a float. We compose the document to nodes
(the C composer when available) and read values from the nodes ourselves, so
every value knows its line, ids stay the strings the editor wrote, only the
standard scalar, list and mapping tags are accepted, and aliases are refused
(which also stops "billion laughs" documents before anything is expanded).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from generator.problems import Problem

STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"
FLOAT_TAG = "tag:yaml.org,2002:float"


@dataclass(frozen=True, slots=True)
class Parsed:
    """The root node of a document (None for an empty one) and what went wrong."""

    root: yaml.Node | None
    problems: list[Problem]


def parse(text: str, path: str, first_line: int = 1) -> Parsed:
    """Compose `text` to nodes; `first_line` is the file line where `text` starts."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        offset = mark.line if mark is not None else 0
        what = (error.problem or error.context or "not valid YAML") + _opened(error, first_line)
        lines = text.split("\n")
        what += _hint(what, lines[offset] if offset < len(lines) else "")
        return Parsed(None, [Problem(path, first_line + offset, f"invalid YAML: {what}")])
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = first_line + text[: error.position].count("\n")
        code = error.character if isinstance(error.character, int) else ord(error.character)
        escaped = json.dumps(chr(code))[1:-1]
        message = (f"invalid YAML: the character U+{code:04X} is not allowed in YAML text "
                   f"(write it escaped in double quotes, as {escaped})")
        return Parsed(None, [Problem(path, line, message)])
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())  # one line, whatever the error says
        return Parsed(None, [Problem(path, first_line, f"invalid YAML: {message}")])
    if root is None:
        return Parsed(None, [])
    if "!" not in text and "*" not in text:
        return Parsed(root, [])  # a tag needs a `!` and an alias a `*`: nothing to look for
    return Parsed(root, _unsafe_nodes(root, text, path, first_line))


# Unclosed brackets and quotes are found where the parser gives up, often lines later:
# name the line where they were opened too.
_OPENED = {
    "while parsing a flow sequence": "in the '[' list opened on line {}",
    "while parsing a flow mapping": "in the '{{' mapping opened on line {}",
    "while scanning a quoted scalar": "in the quoted text opened on line {}",
}


def _opened(error: yaml.MarkedYAMLError, first_line: int) -> str:
    phrase = _OPENED.get(error.context or "")
    if phrase is None or error.context_mark is None or error.problem is None:
        return ""
    return f" ({phrase.format(first_line + error.context_mark.line)})"


def _hint(what: str, line_text: str) -> str:
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent or "tab" in what:
        return " (YAML indentation must use spaces, not tabs)"
    return ""


def _unsafe_nodes(root: yaml.Node, text: str, path: str, first_line: int) -> list[Problem]:
    """Report aliases and non-standard tags (e.g. `!!python/object`)."""
    problems: list[Problem] = []
    seen: set[int] = set()
    aliased = False
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            aliased = True  # a node reached twice came from an alias; never expanded
            continue
        seen.add(id(node))
        if node.tag not in STANDARD_TAGS:
            line = first_line + node.start_mark.line
            problems.append(Problem(path, line, f"unsupported YAML tag '{node.tag}'"))
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    if aliased:  # the composed node only knows its anchor's line: find each `*name` used
        lines = {
            first_line + event.start_mark.line
            for event in yaml.parse(text, Loader=_Loader)
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
        }
        message = "YAML aliases (*name) are not supported"
        problems.extend(Problem(path, line, message) for line in sorted(lines))
    return problems


def line_of(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line


def mapping_entries(
    node: yaml.MappingNode, path: str, first_line: int, problems: list[Problem]
) -> Iterator[tuple[str, yaml.Node]]:
    """(key, value node) pairs; non-string and duplicate keys are reported and skipped."""
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = line_of(key_node, first_line)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, line, "a key must be plain text"))
            continue
        key = key_node.value
        if key in seen:
            problems.append(
                Problem(path, line, f"duplicate key '{key}' (first given on line {seen[key]})")
            )
            continue
        seen[key] = line
        yield key, value_node


def describe(node: yaml.Node) -> str:
    """A short name for what a node holds, for 'expected X, found Y' messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    if node.tag in (INT_TAG, FLOAT_TAG):
        return f"the number {node.value}"
    text = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return repr(text)
