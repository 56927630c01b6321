"""Seeded synthetic agendas with the shape of real ones, for benchmarks and scale tests.

Events of 8 sessions (opening, six panels, closing) plus two breaks; a moderator and 4-6
speakers per panel; people drawn with heavy-tailed reuse (a few appear at many events, most at
one); posts in organisations in about 200 states; session titles that name 1-3 themes in the
words the keyword rules know, so themes are inferred exactly as for real agendas.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from itertools import accumulate

import pycountry

from .records import Agenda, Event, Person, Session

__all__ = ["synthetic_agendas", "synthetic_agenda_text", "events_for_triples", "TRIPLES_PER_EVENT"]

# measured on builds of synthetic agendas (10 and 60 events): about 1,700 triples per event
# (a third of them the theme links of the derived graph), plus about 2,000 for the ontology,
# theme vocabularies and reference data
TRIPLES_PER_EVENT = 1700
FIXED_TRIPLES = 2000

_GIVEN = (
    "Ana Maria Jean Ahmed Fatima Li Olga Kwame Sofia Pedro Amina Yusuf Elena Raj Mei Omar Laura Peter "
    "Grace Samuel Nadia Ivan Chloe Diego Aisha Tomas Ingrid Hassan Lucia Kofi Marta Felix Zara Hugo "
    "Noor Pablo Irina Jonas Leila Mateo Anya Karim Rosa Emil Dina"
).split()
_FAMILY = (
    "Santos Dubois Okafor Chen Haddad Novak Silva Mensah Rossi Kowalski Haddou Garcia Ivanova Nguyen "
    "Diallo Schmidt Moreau Tanaka Costa Ali Jensen Rahman Petrov Lopez Mwangi Kim Fischer Sato Ortiz "
    "Nasser Varga Berg Cruz Ahmadi Lind Ramos Abebe Horvat Keller Osei"
).split()
_TOPICS = [
    ("whole-of-society approaches to migration governance", 3),
    ("whole-of-government approaches", 3),
    ("implementing the Sustainable Development Goals", 3),
    ("SDG target 10.7", 2),
    ("SDG target 8.8", 1),
    ("SDG target 17.18 and migration data", 1),
    ("labour migration and skills", 2),
    ("return and reintegration", 2),
    ("the Global Compact and follow-up mechanisms", 2),
    ("the global compact as a governance tool", 1),
    ("protection of migrants at risk", 2),
    ("migrants' rights", 1),
    ("GCM objective 21", 1),
    ("GCM objective 23", 1),
    ("mobility dimensions of crises", 1),
]
_POSTS = [
    ("Minister of the Interior", None),
    ("Director General", "Ministry of Foreign Affairs"),
    ("Permanent Representative to the United Nations", None),
    ("Director", "National Migration Service"),
    ("Mayor", "City Council"),
    ("Executive Director", "Migrant Workers Network"),
    ("Professor", "University of Migration Studies"),
    ("Director General", "International Organization for Migration"),
    ("Head of Office", "United Nations Department of Economic and Social Affairs"),
    ("President", "GFMD Business Mechanism"),
]
_STATELESS = {
    "International Organization for Migration",
    "United Nations Department of Economic and Social Affairs",
    "GFMD Business Mechanism",
}


def events_for_triples(triples: int) -> int:
    """How many synthetic events give about that many triples."""
    return max(1, round((triples - FIXED_TRIPLES) / TRIPLES_PER_EVENT))


def synthetic_agendas(n_events: int, seed: int = 2017) -> list[Agenda]:
    """``n_events`` synthetic agendas, the same for the same seed."""
    rng = random.Random(seed)
    states = sorted(c.alpha_3 for c in pycountry.countries)[:200]
    pool = max(50, n_events * 20)
    # heavy tail: person i is drawn with weight 1/(i+1); a few recur at many events
    cum = list(accumulate(1.0 / (i + 1) for i in range(pool)))
    people = []
    for i in range(pool):
        given, initial = _GIVEN[i % len(_GIVEN)], chr(65 + (i // len(_GIVEN)) % 26)
        family = _FAMILY[(i // (26 * len(_GIVEN))) % len(_FAMILY)]
        name = f"{given} {initial}. {family}"
        if i >= 26 * len(_GIVEN) * len(_FAMILY):
            name += f" {i}"
        post, org = _POSTS[rng.randrange(len(_POSTS))]
        state = None if org in _STATELESS else states[rng.randrange(len(states))]
        people.append((name, post, org, state))
    topics = [t for t, w in _TOPICS for _ in range(w)]
    agendas = []
    start = date(2001, 3, 1)
    for e in range(n_events):
        day1 = start + timedelta(days=30 * e)
        day2 = day1 + timedelta(days=1)
        event = Event(
            id=f"synthetic-{e:05d}",
            title=f"Synthetic IDM workshop {e}",
            city="Geneva",
            start_date=day1.isoformat(),
            end_date=day2.isoformat(),
            language="en",
        )
        slots = [
            ("10:00", "11:30", "opening", None, "Opening session"),
            ("11:30", "13:00", "panel", 1, None),
            ("13:00", "14:00", "break", None, "Lunch break"),
            ("14:00", "15:30", "panel", 2, None),
            ("15:30", "17:00", "panel", 3, None),
            ("10:00", "11:30", "panel", 4, None),
            ("11:30", "13:00", "panel", 5, None),
            ("13:00", "14:00", "break", None, "Lunch break"),
            ("14:00", "15:30", "panel", 6, None),
            ("15:30", "16:00", "closing", None, "Closing session"),
        ]
        sessions = []
        line = 1
        for k, (st, en, kind, number, label) in enumerate(slots):
            day = (day1 if k < 5 else day2).isoformat()
            if kind == "panel":
                chosen = rng.sample(topics, rng.randint(1, 3))
                title = " and ".join(dict.fromkeys(chosen))
                label = f"Panel {number} – {title[:1].upper()}{title[1:]}"
            else:
                title = label
            mods, speakers = [], []
            if kind != "break":
                n_speakers = 2 if kind in ("opening", "closing") else rng.randint(4, 6)
                picked: list[int] = []
                while len(picked) < n_speakers + (kind == "panel"):
                    i = rng.choices(range(pool), cum_weights=cum)[0]
                    if i not in picked:
                        picked.append(i)
                for j, i in enumerate(picked):
                    name, post, org, state = people[i]
                    contribution = {"opening": "opening-remarks", "closing": "conclusions"}.get(
                        kind, "statement"
                    )
                    is_mod = kind == "panel" and j == 0
                    person = Person(
                        name=name,
                        honorific=None,
                        posts=(post,),
                        organizations=(org,) if org else (),
                        state=state,
                        contribution=None if is_mod else contribution,
                        role="moderator" if is_mod else "speaker",
                        text=f"{name}, {post}" + (f", {org}" if org else ""),
                        line=line,
                        post_organizations=(0,) if org else (None,),
                    )
                    line += 1
                    (mods if is_mod else speakers).append(person)
            sessions.append(
                Session(
                    id=f"{day}T{st}",
                    day=day,
                    start=st,
                    end=en,
                    kind=kind,
                    number=number,
                    title=title,
                    label=label,
                    line=line,
                    moderators=tuple(mods),
                    speakers=tuple(speakers),
                )
            )
        agendas.append(
            Agenda(
                source=f"synthetic-{e:05d}",
                path=f"synthetic-{e:05d}.txt",
                event=event,
                sessions=tuple(sessions),
                context=event.title,
            )
        )
    return agendas


_HONORIFICS = ("", "", "", "Mr. ", "Ms. ", "Dr. ", "H.E. Mr. ", "H.E. Ms. ", "Prof. ")
_MARKERS = ("Statement", "Presentation", "Remarks", "Statement", "")


def _people_pool(rng: random.Random, pool: int = 3000) -> tuple[list[str], list[float]]:
    """Entries "Honorific Name, post, organisation, state" of ``pool`` people, and the cumulative
    weights that make a few of them recur often (a heavy tail)."""
    names = [c.common_name if hasattr(c, "common_name") else c.name for c in pycountry.countries]
    states = sorted(n for n in names if "," not in n and "(" not in n)
    cum = list(accumulate(1.0 / (i + 1) ** 0.8 for i in range(pool)))
    people = []
    for i in range(pool):
        given = _GIVEN[i % len(_GIVEN)]
        family = _FAMILY[(i // len(_GIVEN)) % len(_FAMILY)]
        middle = (
            f" {chr(65 + (i // (len(_GIVEN) * len(_FAMILY))) % 26)}."
            if i >= len(_GIVEN) * len(_FAMILY)
            else ""
        )
        post, org = _POSTS[rng.randrange(len(_POSTS))]
        state = "" if org in _STATELESS else states[rng.randrange(len(states))]
        parts = [f"{_HONORIFICS[rng.randrange(len(_HONORIFICS))]}{given}{middle} {family}", post]
        if org:
            parts.append(org)
        if state:
            parts.append(state)
        people.append(", ".join(parts))
    return people, cum


def synthetic_record_yaml(seed: int, start: date) -> str:
    """A curated record (``data/records/`` YAML) of an invented meeting of another series: a
    day of three sessions with a moderator and speakers drawn from the same people as the
    agendas, each fact citing an invented page. The build benchmark's records."""
    rng = random.Random(seed)
    people, cum = _people_pool(rng)
    topics = [t for t, _ in _TOPICS]

    def entries(k: int) -> list[str]:
        """``k`` different people (a record lists a person once in a session)."""
        chosen: dict[int, None] = {}
        while len(chosen) < k:
            chosen[rng.choices(range(len(people)), cum_weights=cum)[0]] = None
        return [json.dumps(people[i], ensure_ascii=False) for i in chosen]

    out = [
        "record: 1",
        f"id: synthetic-record-{seed}",
        "event:",
        f"  id: synthetic-forum-{start.isoformat()}",
        f"  title: Synthetic Forum {seed}",
        "  series: gfmd",
        f"  start_date: {start.isoformat()}",
        "  city: Geneva",
        "  language: en",
        "  cite: [programme]",
        "citations:",
        f'  programme: {{url: "https://example.org/synthetic-forum/{seed}", read: 2026-12-01, '
        "shows: agenda}",
        "sessions:",
    ]
    for k, (begin, end) in enumerate((("10:00", "11:30"), ("11:45", "13:00"), ("14:30", "16:00")), start=1):
        out += [
            f"  - title: {json.dumps(f'Panel {k}: {topics[rng.randrange(len(topics))]}')}",
            f"    day: {start.isoformat()}",
            f'    time: "{begin}-{end}"',
            "    people:",
        ]
        first, *others = entries(1 + rng.randint(3, 6))
        out += [f"      - {{text: {first}, role: moderator}}"] + [f"      - {{text: {e}}}" for e in others]
    return "\n".join(out) + "\n"


def synthetic_agenda_text(target_bytes: int, seed: int = 2017, start: date | None = None) -> str:
    """An agenda as text in the common layout (time slot and title, a moderator, a bulleted list of
    speakers with posts, organisations, states and contribution markers), day after day until it
    is about ``target_bytes`` long: the input of the ingest benchmark. People recur with a heavy
    tail, as in real series, so the reader meets both new and known entries. ``start``: its first
    day (a corpus gives each agenda its own, so that each is its own meeting)."""
    rng = random.Random(seed)
    people, cum = _people_pool(rng)
    pool = len(people)

    def person() -> str:
        entry = people[rng.choices(range(pool), cum_weights=cum)[0]]
        marker = _MARKERS[rng.randrange(len(_MARKERS))]
        return f"{entry} ({marker})" if marker else entry

    topics = [t for t, _ in _TOPICS]
    day = start or date(2019, 1, 7)
    out = [
        f"International Dialogue on Migration {day.year}: synthetic agenda {seed}",
        "Geneva",
        "",
        "Agenda",
        "",
    ]
    size = sum(len(x) + 1 for x in out)
    n = 0
    while size < target_bytes:
        n += 1
        block = [f"Day {n} – {day.strftime('%A')}, {day.day} {day.strftime('%B')} {day.year}", ""]
        block += ["09:30-10:00 Opening session", f"• {person()}", f"• {person()}", ""]
        for k, (start, end) in enumerate(
            (("10:00", "11:30"), ("11:45", "13:00"), ("14:30", "16:00")), start=1
        ):
            block += [
                f"{start}-{end} Panel {k}: {topics[rng.randrange(len(topics))]}",
                f"Moderator: {person()}",
            ]
            block += ["Speakers:"] + [f"• {person()}" for _ in range(rng.randint(3, 6))] + [""]
        block += ["16:00-16:30 Closing session", f"• {person()}", ""]
        out += block
        size += sum(len(x) + 1 for x in block)
        day += timedelta(days=1)
    return "\n".join(out) + "\n"
