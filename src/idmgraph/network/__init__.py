"""Stage 5b: the graph -> participation networks (NetworkX), their measures and exports."""

from .graphs import (
    NetworkData,
    actor_type_theme_graph,
    co_panel_graph,
    full_graph,
    organization_graph,
    read_network_data,
    state_graph,
    state_theme_graph,
    two_mode_graph,
)
from .measures import (
    brokerage_roles,
    centrality_table,
    communities,
    persistence,
    theme_bridges,
    two_mode_centrality,
)

__all__ = [
    "NetworkData",
    "read_network_data",
    "two_mode_graph",
    "co_panel_graph",
    "state_graph",
    "organization_graph",
    "state_theme_graph",
    "actor_type_theme_graph",
    "full_graph",
    "centrality_table",
    "two_mode_centrality",
    "communities",
    "brokerage_roles",
    "theme_bridges",
    "persistence",
]
