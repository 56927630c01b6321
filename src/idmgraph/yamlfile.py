"""YAML files as idmgraph reads them: plain data only (PyYAML's safe loader), no aliases (an alias
can expand without bound: a few lines that ask for gigabytes), a size cap, and the line of every
key, so that an error names the file, the line and the field.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date, datetime
from pathlib import Path

__all__ = ["YamlError", "load_yaml_lines", "MAX_YAML_BYTES"]

MAX_YAML_BYTES = 5 * 1024 * 1024  # the largest reference file is under 100 KB
# files read in this process, by content: a build reads the curation files once per source; each
# caller gets its own copy of the data
_READ: dict[bytes, tuple[object, dict[tuple, int]]] = {}


class YamlError(ValueError):
    """A YAML file idmgraph will not read; ``line`` where it could tell (1-based)."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def _yaml():
    """PyYAML, imported where a file is read (a rebuild whose YAML files did not change reads
    them from its caches: 17 ms of start-up less) and its loader: libyaml's where PyYAML was
    built with it (the same safe constructors, some ten times faster)."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _bad_scalar(node) -> int | None:
    """The line of the first scalar YAML cannot turn into a value (a date that is none)."""
    yaml, _ = _yaml()
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
    from .lexicon import kept_lines

    kept = kept_lines(f"{_KEPT_FORMAT}-{key.hex()}")
    if key not in _READ:
        if len(_READ) >= 256:  # a long-lived process (the server) keeps the files it reads last
            _READ.clear()
        found = None if kept is None else _read_kept(kept)
        if found is None:
            found = _read(path, raw)
            if kept is not None:
                _keep(kept, found)
        _READ[key] = found
    data, lines = _READ[key]
    return copy.deepcopy(data), dict(lines)


# what a kept read holds and how (``_keep``): a change of it, or of what a read gives, misses
# every kept read
_KEPT_FORMAT = 1
# a date or a time as the JSON of a kept read holds it (a key no YAML file of idmgraph's has;
# data that holds it is not kept, as it would not be read back the same)
_DATES = {"\u0000date": date, "\u0000datetime": datetime}


def _keep(path: Path, found: tuple[object, dict[tuple, int]]) -> None:
    """A file's (data, lines) kept as JSON at ``path`` (``lexicon.keep_reads_in``: a build's cache
    folder), if JSON gives them back as they are: a build whose YAML files did not change reads
    them without importing PyYAML (17 ms of its start)."""
    from .files import write_file_atomically

    def tagged(value: object) -> dict:
        for tag, kind in _DATES.items():
            if type(value) is kind:
                return {tag: value.isoformat()}
        raise TypeError(f"not kept: {type(value).__name__}")

    data, lines = found
    try:
        text = json.dumps({"data": data, "lines": [[list(k), n] for k, n in lines.items()]}, default=tagged)
        if _read_text(text) == found:
            write_file_atomically(path, text.encode("utf-8"), "yaml")
    except (TypeError, ValueError, OSError):
        pass


def _read_kept(path: Path) -> tuple[object, dict[tuple, int]] | None:
    """What ``_keep`` kept at ``path``, or None (no such file, or not one it wrote)."""
    try:
        return _read_text(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_text(text: str) -> tuple[object, dict[tuple, int]]:
    def untagged(found: dict) -> object:
        if len(found) == 1:
            ((tag, value),) = found.items()
            if tag in _DATES:
                return _DATES[tag].fromisoformat(value)
        return found

    kept = json.loads(text, object_hook=untagged)
    return kept["data"], {tuple(k): int(n) for k, n in kept["lines"]}


def _read(path: Path, raw: bytes) -> tuple[object, dict[tuple, int]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(path, None, f"not UTF-8 text: {exc}") from exc
    yaml, loader = _yaml()
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(path, event.start_mark.line + 1, "YAML aliases (*name) are not allowed here")
        root = yaml.compose(text, Loader=loader)
        try:
            data = yaml.load(text, Loader=loader)
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
