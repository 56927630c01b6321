"""Dataset description stage: what a build (or a served graph) is, for data catalogues and search
engines -> DCAT 3 and schema.org ``Dataset`` in Turtle: title, description, version, licence,
creator, the public pages it was read from, and its distributions with their SHA-256.

The build writes it beside its files (``dataset.ttl``); the server's VoID starts with it, its
distributions being the whole-dataset dumps and its SPARQL endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import __version__

__all__ = ["Distribution", "describe_dataset"]

TITLE = "IOM International Dialogue on Migration knowledge graph (idmgraph)"
ABOUT = (
    "Who moderated and who spoke, in which session of which meeting, in which post, for which "
    "state or institution, on which policy theme; every fact with its source."
)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
MEDIA = "https://www.iana.org/assignments/media-types/"
PREFIXES = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@dataclass(frozen=True)
class Distribution:
    """One way to have the whole dataset: a file of the build or a dump the server offers."""

    name: str  # the file's name
    media_type: str
    sha256: str
    byte_size: int | None = None
    url: str | None = None  # where it is downloaded, when it is served
    gzip: bool = False


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _iri(text: str) -> str:
    if any(c in text for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not an IRI that can be written: {text!r}")
    return f"<{text}>"


def _distribution(d: Distribution) -> str:
    lines = [
        "a dcat:Distribution, schema:DataDownload",
        f"dcterms:title {_literal(d.name)}",
        f"schema:name {_literal(d.name)}",
        f"dcat:mediaType <{MEDIA}{d.media_type}>",
        f"schema:encodingFormat {_literal(d.media_type)}",
        "spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
        f'spdx:checksumValue "{d.sha256}"^^xsd:hexBinary ]',
        f"schema:sha256 {_literal(d.sha256)}",
    ]
    if d.url:
        lines += [f"dcat:downloadURL {_iri(d.url)}", f"schema:contentUrl {_iri(d.url)}"]
    if d.byte_size is not None:
        lines += [
            f'dcat:byteSize "{d.byte_size}"^^xsd:nonNegativeInteger',
            f"schema:contentSize {_literal(str(d.byte_size))}",
        ]
    if d.gzip:
        lines.append(f"dcat:compressFormat <{MEDIA}application/gzip>")
    return "[ " + " ;\n        ".join(lines) + " ]"


def describe_dataset(
    iri: str,
    distributions: list[Distribution],
    sources: list[str],
    endpoint: str | None = None,
    modified: str | None = None,
) -> str:
    """The dataset's description in Turtle. ``sources``: the public pages it was read from;
    ``modified``: the day its newest source was read (``YYYY-MM-DD``), so the same sources give
    the same description."""
    lines = [
        "a dcat:Dataset, schema:Dataset",
        f"dcterms:title {_literal(TITLE)}@en",
        f"schema:name {_literal(TITLE)}@en",
        f"dcterms:description {_literal(ABOUT)}@en",
        f"schema:description {_literal(ABOUT)}@en",
        f"dcterms:license <{LICENSE}>",
        f"schema:license <{LICENSE}>",
        'dcterms:creator [ a foaf:Organization ; foaf:name "the idmgraph authors" ]',
        'schema:creator [ a schema:Organization ; schema:name "the idmgraph authors" ]',
        f'owl:versionInfo "{__version__}"',
        f'schema:version "{__version__}"',
        "dcterms:conformsTo <https://w3id.org/idmgraph/ontology>",
        "dcterms:source " + (", ".join(_iri(u) for u in sorted(set(sources))) or '"none"'),
    ]
    if modified:
        lines += [f'dcterms:modified "{modified}"^^xsd:date', f'schema:dateModified "{modified}"^^xsd:date']
    if endpoint:
        lines.append(
            f"dcat:accessService [ a dcat:DataService ; dcat:endpointURL {_iri(endpoint)} ;\n"
            "        dcterms:conformsTo <https://www.w3.org/TR/sparql11-protocol/> ]"
        )
    lines += [f"dcat:distribution {_distribution(d)}" for d in distributions]
    return PREFIXES + f"\n{_iri(iri)} " + " ;\n    ".join(lines) + " .\n"
