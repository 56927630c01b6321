"""YAML files as idmgraph reads them: plain data only (PyYAML's safe loader), no aliases (an alias
can expand without bound: a few lines that ask for gigabytes), a size cap, and the line of every
key, so that an error names the file, the line and the field.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import yaml

__all__ = ["YamlError", "load_yaml_lines", "MAX_YAML_BYTES"]

MAX_YAML_BYTES = 5 * 1024 * 1024  # the largest reference file is under 100 KB
# libyaml's loader where PyYAML was built with it (the same safe constructors, some ten times faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# files read in this process, by content: a build reads the curation files once per source; each
# caller gets its own copy of the data
_READ: dict[bytes, tuple[object, dict[tuple, int]]] = {}


class YamlError(ValueError):
    """A YAML file idmgraph will not read; ``line`` where it could tell (1-based)."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def _bad_scalar(node) -> int | None:
    """The line of the first scalar YAML cannot turn into a value (a date that is none)."""
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.safe_load(node.value)
        except ValueError:
            return node.start_mark.line + 1
        return None
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    for child in children:
        line = _bad_scalar(child)
        if line:
            return line
    return None


def load_yaml_lines(path: Path, max_bytes: int = MAX_YAML_BYTES) -> tuple[object, dict[tuple, int]]:
    """(data, lines): the file's data, and the 1-based line of each key and list item, by its path
    in the data (``("event", "themes", 2)``)."""
    path = Path(path)
    if not path.is_file():
        raise YamlError(path, None, "not a regular file")
    if path.stat().st_size > max_bytes:
        raise YamlError(path, None, f"larger than {max_bytes:,} bytes: not a file idmgraph writes or reads")
    raw = path.read_bytes()
    key = hashlib.sha256(raw).digest()
    if key not in _READ:
        if len(_READ) >= 256:  # a long-lived process (the server) keeps the files it reads last
            _READ.clear()
        _READ[key] = _read(path, raw)
    data, lines = _READ[key]
    return copy.deepcopy(data), dict(lines)


def _read(path: Path, raw: bytes) -> tuple[object, dict[tuple, int]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(path, None, f"not UTF-8 text: {exc}") from exc
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(path, event.start_mark.line + 1, "YAML aliases (*name) are not allowed here")
        root = yaml.compose(text, Loader=_LOADER)
        try:
            data = yaml.load(text, Loader=_LOADER)
        except ValueError as exc:  # a value YAML reads as a date but is none (2026-13-01)
            raise YamlError(path, _bad_scalar(root), f"not a valid date: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(path, mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc
    lines: dict[tuple, int] = {}

    def walk(node, at: tuple) -> None:
        lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = key.value
                lines[(*at, k)] = key.start_mark.line + 1
                walk(value, (*at, k))
                lines[(*at, k)] = key.start_mark.line + 1  # the key's own line, not its value's
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*at, i))

    if root is not None:
        walk(root, ())
    return data, lines
