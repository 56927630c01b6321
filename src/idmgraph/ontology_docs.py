"""Ontology documentation stage: the bundled ``ontology/idm.ttl`` -> one HTML page made by pyLODE.

pyLODE (BSD-3-Clause) is an optional extra (``pip install 'idmgraph[docs]'``; ``make`` installs
it): one of its dependencies, dominate, is LGPL-3.0, which the core keeps out. Without it the
build writes no page and the server describes the ontology with its own Linked Data page.

The page starts with a comment naming a SHA-256 of the ontology and of this module, and pyLODE's
version: a rebuild where none of them changed reuses the page it wrote before instead of
rendering it again, and the bytes stay the same.
"""

from __future__ import annotations

import hashlib
import logging
from importlib import metadata
from pathlib import Path

from .paths import bundled

__all__ = ["FILE_NAME", "render_ontology_docs"]

FILE_NAME = "ontology.html"
_MARK = (
    "<!-- idmgraph ontology documentation: sha256 {digest} (ontology and renderer), pyLODE {version} -->\n"
)


def _pylode_version() -> str | None:
    try:
        return metadata.version("pylode")
    except metadata.PackageNotFoundError:
        return None


def render_ontology_docs(previous: Path | None = None) -> bytes | None:
    """The ontology's HTML documentation, or None where pyLODE is not installed. ``previous``:
    the page an earlier build wrote, reused when it was made from the same ontology and pyLODE."""
    version = _pylode_version()
    if version is None:
        return None
    source = bundled("ontology", "idm.ttl")
    # the page changes with the ontology and with the code that prepares it for pyLODE (this file)
    digest = hashlib.sha256(source.read_bytes() + Path(__file__).read_bytes()).hexdigest()
    mark = _MARK.format(digest=digest, version=version).encode()
    if previous is not None and previous.is_file():
        with open(previous, "rb") as f:
            if f.read(len(mark)) == mark:
                return previous.read_bytes()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub  # it configures the root logger when imported
    finally:
        root.handlers[:], root.level = handlers, level
    return mark + OntPub(ontology=_for_pylode(source)).make_html().encode("utf-8")


def _for_pylode(source: Path):
    """The ontology as pyLODE should read it: pyLODE takes the title and metadata of every
    owl:Ontology *and* skos:ConceptScheme in a file (the last one wins), and idm.ttl declares its
    controlled vocabularies beside the ontology; the page documents the ontology, in English
    (the French labels stay in the ontology and on the Linked Data pages)."""
    from rdflib import RDF, SKOS, Graph

    g = Graph().parse(source, format="turtle")
    g.remove((None, RDF.type, SKOS.ConceptScheme))
    # pyLODE runs every label of a term together ("StateÉtat"): the page is the English one
    for s, p, o in list(g):
        if getattr(o, "language", None) not in (None, "en"):
            g.remove((s, p, o))
    return g
