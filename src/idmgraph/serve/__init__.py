"""Stage 7: the built graph -> a read-only SPARQL 1.1 endpoint (``idmgraph serve``)."""

from .app import create_app, execute, service_description
from .protocol import ProtocolError, negotiate, read_request

__all__ = ["create_app", "execute", "service_description", "ProtocolError", "negotiate", "read_request"]
