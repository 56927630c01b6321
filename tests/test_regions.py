"""UN M49 regions and groups as reference data, in the graph, and participation by region."""

import pytest

from idmgraph.query import IDMGraph
from idmgraph.regions import load_m49

# the 20 states of the 2017 workshop (speaking for them or based in them) and their M49 regions
REGIONS_2017 = {
    "ALB": "Europe", "ARE": "Asia", "AZE": "Asia", "BDI": "Africa", "BEL": "Europe", "BGD": "Asia",
    "CAN": "Americas", "CHE": "Europe", "CRI": "Americas", "DEU": "Europe", "ECU": "Americas",
    "EGY": "Africa", "ETH": "Africa", "ITA": "Europe", "KEN": "Africa", "MAR": "Africa",
    "MEX": "Americas", "SLE": "Africa", "TUR": "Asia", "USA": "Americas",
}  # fmt: skip

STATE_REGIONS = """PREFIX idm: <https://w3id.org/idmgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?iso3 ?region WHERE {
  ?s a idm:State ; idm:iso3166Alpha3 ?iso3 ; idm:m49Region ?small .
  ?small skos:broader* ?top . ?top skos:topConceptOf idm:M49Regions ; skos:prefLabel ?region .
  FILTER (LANG(?region) = "en")
}"""


@pytest.fixture(scope="module")
def g(store_2017):
    return IDMGraph(store_2017)


def test_every_state_of_2017_has_its_m49_region(g):
    df = g.sparql(STATE_REGIONS)
    assert dict(zip(df.iso3, df.region)) == REGIONS_2017


def test_regions_carry_three_languages_and_their_source(g):
    df = g.sparql(
        """PREFIX idm: <https://w3id.org/idmgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?source (LANG(?l) AS ?lang) ?l WHERE {
          idm:M49Regions dcterms:source ?source . <https://w3id.org/idmgraph/vocab/m49/202> skos:prefLabel ?l }"""
    )
    assert set(df.source) == {"https://unstats.un.org/unsd/methodology/m49/overview/"}
    assert dict(zip(df.lang, df.l)) == {
        "en": "Sub-Saharan Africa",
        "fr": "Afrique subsaharienne",
        "es": "África subsahariana",
    }


def test_groups():
    m49 = load_m49()
    assert {"199", "432"} <= m49.groups_of("ETH") and m49.groups_of("CHE") == set()
    assert "722" in m49.groups_of("HTI") and "199" in m49.groups_of("HTI")
    assert "199" not in m49.groups_of("BTN")  # Bhutan left the LDCs in December 2023
    assert len(m49.groups["199"]["members"]) == 44


def test_participation_by_region_counts_the_states_spoken_for(g):
    df = g.query("participation-by-region")
    assert dict(zip(df.area_label, df.states)) == {"Africa": 6, "Americas": 5, "Asia": 4, "Europe": 4}
    assert set(df.year) == {"2017"}
    # Belgium is there only as the country of the mayor of Mechelen: no state counted for it
    assert df.states.sum() == 19
    groups = g.query("participation-by-region", by="group")
    assert dict(zip(groups.area_code, groups.states)) == {"199": 4, "432": 3}  # BDI BGD ETH SLE; AZE BDI ETH
    sub = g.query("participation-by-region", by="subregion", lang="fr")
    assert "Afrique subsaharienne" in set(sub.area_label) and sub.states.sum() == 19
