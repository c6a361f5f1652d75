"""YAML text to plain Python data, remembering where every value and key was written.

``yaml.safe_load`` forgets positions and silently keeps the last of two equal keys, so a
typo'd duplicate disables a rule without a word. Here the document is *composed* into nodes
(which carry their marks) and built into data by hand, recording a ``Span`` for every path
and a problem for every duplicate key. Keys are taken as written: plain YAML 1.1 would read the
flow key ``on`` as the boolean ``true``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from logisync.config.references import Loc

_MERGE_TAG = "tag:yaml.org,2002:merge"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass(frozen=True, order=True)
class Position:
    """A place in the file as editors count it: line and column from 1."""

    line: int
    column: int

    @classmethod
    def of(cls, mark: yaml.Mark) -> Position:
        return cls(mark.line + 1, mark.column + 1)


@dataclass(frozen=True)
class Span:
    """Where a value starts, and where its key is when it is a mapping entry."""

    value: Position
    key: Position | None = None


@dataclass(frozen=True)
class DocumentProblem:
    """Something wrong with the YAML itself rather than with what it says."""

    position: Position
    sentence: str
    loc: Loc = ()


@dataclass
class YamlDocument:
    """The data of one YAML document with the span of every path in it.

    ``data`` is ``None`` for an empty file or when the YAML could not be parsed at all; then
    ``problems`` says why.
    """

    data: Any
    spans: dict[Loc, Span] = field(default_factory=dict)
    problems: list[DocumentProblem] = field(default_factory=list)


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document; syntax errors become problems instead of exceptions."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return YamlDocument(None, problems=[_syntax_problem(error, text)])
    if root is None:
        return YamlDocument(None)
    builder = _DocumentBuilder()
    data = builder.value(root, ())
    problems = sorted(set(builder.problems), key=lambda problem: problem.position)
    return YamlDocument(data, builder.spans, problems)


def _syntax_problem(error: yaml.YAMLError, text: str) -> DocumentProblem:
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        position = Position.of(mark) if mark else Position(1, 1)
        sentence = f"the YAML cannot be read: {error.problem or 'syntax error'}"
        if error.context and error.context_mark and error.context_mark is not mark:
            sentence += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        return DocumentProblem(position, sentence)
    if isinstance(error, yaml.reader.ReaderError):
        before = text[: error.position]
        position = Position(before.count("\n") + 1, len(before) - before.rfind("\n"))
        return DocumentProblem(position, f"the YAML cannot be read: {error.reason}")
    return DocumentProblem(Position(1, 1), f"the YAML cannot be read: {error}")


class _DocumentBuilder:
    """Builds data from nodes; one instance per document."""

    def __init__(self) -> None:
        self.spans: dict[Loc, Span] = {}
        self.problems: list[DocumentProblem] = []
        self._scalars = SafeConstructor()
        self._open: set[int] = set()  # nodes being built: an alias back into one is a cycle

    def value(self, node: Node, loc: Loc, key: Position | None = None) -> Any:
        self.spans[loc] = Span(Position.of(node.start_mark), key)
        if isinstance(node, ScalarNode):
            return self._scalar(node, loc)
        if id(node) in self._open:
            self._problem(node, "an alias refers to a value that contains it", loc)
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
                return [self.value(item, (*loc, index)) for index, item in enumerate(node.value)]
            if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
                return self._mapping(node, loc)
            self._problem(node, f"the tag '{node.tag}' is not supported; write plain YAML", loc)
            return None
        finally:
            self._open.discard(id(node))

    def _scalar(self, node: ScalarNode, loc: Loc) -> Any:
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            self._problem(node, f"this value cannot be read: {error.problem}", loc)
            return None

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        """Entries merged in with ``<<`` come first; the mapping's own keys override them."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self._problem(source, "'<<' can only merge mappings", loc)
                elif id(source) in self._open:
                    self._problem(source, "an alias refers to a value that contains it", loc)
                else:
                    result.update(self._entries(source, loc))
        result.update(self._entries(node, loc))
        return result

    def _entries(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, "a key must be a plain name, not a list or mapping", loc)
                continue
            name = str(key_node.value)
            where = Position.of(key_node.start_mark)
            if name in first_seen:
                self.problems.append(
                    DocumentProblem(
                        where,
                        f"the key '{name}' appears twice in this mapping (first on line "
                        f"{first_seen[name].line}); YAML would silently keep only the last one",
                        loc,
                    )
                )
            first_seen.setdefault(name, where)
            entries[name] = self.value(value_node, (*loc, name), where)
        return entries

    def _problem(self, node: Node, sentence: str, loc: Loc) -> None:
        self.problems.append(DocumentProblem(Position.of(node.start_mark), sentence, loc))
