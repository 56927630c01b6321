"""Stage 2: agenda records -> resolved entities (people, states, organisations, posts, holdings).

People are one person when their names, without honorifics and folded for case and
accents, are equal, or when a reviewed decision of ``data/curation/people.yml`` says so (it also
keeps apart two people who share a name); never by similarity alone. Similar names that are not merged are
reported as near misses for curation (Laura Thompson and Peter Thomson stay two people).
Organisations are keyed by a reviewed reference key, else by their folded name plus the
state of the person who holds a post in them.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from .curation import PeopleDecisions, load_people_decisions
from .organizations import OrganizationIndex, load_organizations, strip_acronym
from .posts import post_key
from .records import Agenda, Person, Session, Warning_
from .states import StateIndex, load_states
from .text import fold, slug

__all__ = [
    "Resolution",
    "ResolvedOrganization",
    "ResolvedPost",
    "ResolvedParticipation",
    "resolve_agendas",
    "near_misses",
]


@dataclass(frozen=True)
class ResolvedOrganization:
    key: str
    name: str  # as first stated (or the reference name in the source's language)
    lang: str
    type: str | None
    state: str | None
    parent: str | None
    known: bool
    collaboration: bool = False
    name_en: str | None = None
    name_fr: str | None = None
    acronyms: tuple[str, ...] = ()
    country: str | None = None  # where it is based (idm:basedIn)


@dataclass
class ResolvedPost:
    key: str
    title: str  # as first met
    lang: str
    organization: str | None  # organisation key
    state: str | None  # the post is in the state itself (no named organisation)
    # every wording met, by language, in the order met: one post in English and French agendas
    titles: dict[str, list[str]] = field(default_factory=dict)

    def add_title(self, title: str, lang: str) -> None:
        seen = self.titles.setdefault(lang, [])
        if title not in seen:
            seen.append(title)


@dataclass
class ResolvedPerson:
    key: str
    name: str
    names: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)


@dataclass
class ResolvedHolding:
    key: str
    person: str
    post: str
    dates: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ResolvedParticipation:
    source: str
    event_id: str
    session: Session
    role: str
    order: int
    person: str  # person key
    entry: Person
    holdings: tuple[str, ...]
    posts: tuple[str, ...]  # post keys, in the agenda's order
    organizations: tuple[str, ...]  # organisation keys, in the agenda's order
    on_behalf_of: tuple[str, str] | None  # ("state", "MEX") or ("organization", key)
    author: str | None = None  # person key of the author of a contribution this person delivered


@dataclass
class Resolution:
    agendas: list[Agenda]
    persons: dict[str, ResolvedPerson] = field(default_factory=dict)
    organizations: dict[str, ResolvedOrganization] = field(default_factory=dict)
    posts: dict[str, ResolvedPost] = field(default_factory=dict)
    holdings: dict[str, ResolvedHolding] = field(default_factory=dict)
    participations: list[ResolvedParticipation] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    warnings: list[Warning_] = field(default_factory=list)

    def participations_by_source(self) -> dict[str, list[ResolvedParticipation]]:
        """The participations of each source (every agenda's, none or more), in their order:
        one pass, not one a source."""
        out: dict[str, list[ResolvedParticipation]] = {a.source: [] for a in self.agendas}
        for p in self.participations:
            out.setdefault(p.source, []).append(p)
        return out


class _Resolver:
    def __init__(self, states: StateIndex, orgs: OrganizationIndex, people: PeopleDecisions | None = None):
        self.states, self.orgs = states, orgs
        self.people = people or PeopleDecisions()
        self.seen: dict[tuple[str, str, str, str], int] = {}  # participation -> the line met first
        # what the reference data says of each organisation's name, read once for a name (a
        # corpus names the same ministries and agencies thousands of times)
        self._named: dict[str, tuple] = {}
        self._post_keys: dict[tuple[str, str | None], str] = {}  # the same, for a post's title

    def _read_name(self, name: str) -> tuple:
        """(the known organisation, the name without its acronym, the acronym, the type by the
        fallback rules) of an organisation's name as an agenda gives it."""
        found = self._named.get(name)
        if found is None:
            known = self.orgs.lookup(name) or self.orgs.by_pattern(name)
            base, acronym = strip_acronym(name)
            found = self._named[name] = (known, base, acronym, None if known else self.orgs.type_of(base))
        return found

    def organization(
        self, res: Resolution, name: str, entry: Person, lang: str, source: str, line: int
    ) -> str:
        known, base, acronym, org_type = self._read_name(name)
        if known:
            if known.key not in res.organizations:
                self._add_known(res, known.key, lang)
            return known.key
        # keyed by its country, so Italy's and Egypt's "Ministère des affaires étrangères" stay two
        country = entry.country
        key = slug(base) + (f"-{country.lower()}" if country else "")
        if key not in res.organizations:
            if org_type is None:
                res.warnings.append(
                    Warning_(
                        source,
                        line,
                        "organization-type",
                        f"no type for organisation '{name}': add it to data/reference/organizations.yml",
                        entry.page,
                    )
                )
            public = org_type in ("national-government", "parliamentary") and entry.state == country
            res.organizations[key] = ResolvedOrganization(
                key=key,
                name=base,
                lang=lang,
                type=org_type,
                state=country if public else None,
                parent=None,
                known=False,
                acronyms=(acronym,) if acronym else (),
                country=country,
            )
            if country:
                res.states.add(country)
        return key

    def _add_known(self, res: Resolution, key: str, lang: str) -> None:
        k = self.orgs.known[key]
        res.organizations[key] = ResolvedOrganization(
            key=k.key,
            name=k.name_fr if lang == "fr" else k.name_en,
            lang=lang,
            type=k.type,
            state=k.state,
            parent=k.parent,
            known=True,
            collaboration=k.collaboration,
            name_en=k.name_en,
            name_fr=k.name_fr,
            acronyms=k.acronyms,
            country=k.country or k.state,
        )
        for code in {k.state, k.country} - {None}:
            res.states.add(code)
        if k.parent and k.parent not in res.organizations:
            self._add_known(res, k.parent, lang)

    def participation(
        self, res: Resolution, agenda: Agenda, session: Session, entry: Person, role: str, order: int
    ) -> None:
        lang, source = agenda.event.language, agenda.source
        pkey = self.people.key(entry.name, source)  # reviewed decisions first, else the folded name
        # one participation per person, session and role: an agenda that lists someone twice in a
        # session (twice the same line, or two contributions) keeps the first, and says so
        once = (agenda.event.id, session.id, role, pkey)
        if once in self.seen:
            first = self.seen[once]
            res.warnings.append(
                Warning_(
                    source,
                    entry.line,
                    "listed-twice",
                    f"{entry.name} is already {role} in '{session.label[:60]}' (line {first}): one "
                    "participation kept; if the agenda means two people, settle it in data/curation/",
                    entry.page,
                )
            )
            return
        self.seen[once] = entry.line
        # each record made only where it is new (most of a corpus's participations meet a
        # person, post and holding met before)
        person = res.persons.get(pkey)
        if person is None:
            person = res.persons[pkey] = ResolvedPerson(pkey, self.people.kept_names.get(pkey, entry.name))
        person.names.add(entry.name)
        if entry.honorific:
            person.honorifics.add(entry.honorific)
        for code in {entry.state, entry.country} - {None}:
            res.states.add(code)
        author = None
        if entry.on_behalf_of_person is not None:
            author = self.people.key(entry.on_behalf_of_person.name, source)
            ap = res.persons.get(author)
            if ap is None:
                ap = res.persons[author] = ResolvedPerson(author, entry.on_behalf_of_person.name)
            ap.names.add(entry.on_behalf_of_person.name)
            if entry.on_behalf_of_person.honorific:
                ap.honorifics.add(entry.on_behalf_of_person.honorific)
        org_keys = [self.organization(res, o, entry, lang, source, entry.line) for o in entry.organizations]
        post_keys, holding_keys = [], []
        for i, title in enumerate(entry.posts):
            idx = entry.post_organizations[i] if i < len(entry.post_organizations) else None
            org_key = org_keys[idx] if idx is not None else None
            owner = org_key or (f"state-{entry.state.lower()}" if entry.state else "unattached")
            # a post without portfolio has a key of the lexicon's, the same in every language
            org_text = entry.organizations[idx] if idx is not None else None
            titled = self._post_keys.get((title, org_text))
            if titled is None:
                titled = self._post_keys[(title, org_text)] = post_key(title, org_text) or slug(title, 60)
            key = f"{owner}/{titled}"
            if org_key is None and entry.state is None:
                res.warnings.append(
                    Warning_(
                        source,
                        entry.line,
                        "post-without-organization",
                        f"post '{title}' of {entry.name} names no organisation and no state",
                        entry.page,
                    )
                )
            post = res.posts.get(key)
            if post is None:
                state = None if org_key else entry.state
                post = res.posts[key] = ResolvedPost(key, title, lang, org_key, state)
            post.add_title(title, lang)
            hkey = f"{pkey}/{key}"
            holding = res.holdings.get(hkey)
            if holding is None:
                holding = res.holdings[hkey] = ResolvedHolding(hkey, pkey, key)
            attested = session.day or agenda.event.start_date  # a session of the whole event: its first day
            if attested:
                holding.dates.add(attested)
            holding.sources.add(source)
            post_keys.append(key)
            holding_keys.append(hkey)
        behalf: tuple[str, str] | None = None
        if entry.state:
            behalf = ("state", entry.state)
        elif org_keys:
            behalf = ("organization", org_keys[0])
        res.participations.append(
            ResolvedParticipation(
                source=source,
                event_id=agenda.event.id,
                session=session,
                role=role,
                order=order,
                person=pkey,
                entry=entry,
                holdings=tuple(holding_keys),
                posts=tuple(post_keys),
                organizations=tuple(org_keys),
                on_behalf_of=behalf,
                author=author,
            )
        )


def resolve_agendas(agendas: list[Agenda], near_miss: bool = True) -> Resolution:
    """Resolve the people, organisations, posts and holdings of several agendas together.
    A participation's role is the one the agenda gives the entry (moderator, chair, speaker ...)."""
    resolver = _Resolver(load_states(), load_organizations(), load_people_decisions())
    res = Resolution(agendas=list(agendas))
    for agenda in agendas:
        res.warnings.extend(agenda.warnings)
        for session in agenda.sessions:
            for order, entry in enumerate(session.moderators, start=1):
                resolver.participation(res, agenda, session, entry, entry.role, order)
            for order, entry in enumerate(session.speakers, start=1):
                resolver.participation(res, agenda, session, entry, entry.role, order)
    pairs = near_misses({k: p.name for k, p in res.persons.items()}) if near_miss else []
    for a, b, why in pairs:
        res.warnings.append(
            Warning_(
                "resolution",
                None,
                "near-miss",
                f"'{a}' and '{b}' are kept as two people ({why}); "
                "if they are one, add the variant to data/curation/",
            )
        )
    res.warnings.sort(key=lambda w: (w.source, w.line or 0, w.code, w.message))
    return res


def _family(name: str) -> str:
    tokens = [t for t in fold(name).split() if t not in {"jr.", "jr", "sr.", "ii", "iii"}]
    return tokens[-1] if tokens else ""


def near_misses(names: dict[str, str], threshold: float = 0.85) -> list[tuple[str, str, str]]:
    """Pairs of distinct people whose names are close enough to be one person misspelt.

    Two tests, each blocked so that large graphs stay fast: whole names at least
    ``threshold`` similar (blocked by the first two letters of the family name and the first
    letter of the name), and family names one edit apart (found through their one-letter
    deletions, in time linear in the names).

    >>> near_misses({"laura-thompson": "Laura Thompson", "peter-thomson": "Peter Thomson"})
    [('Laura Thompson', 'Peter Thomson', "family names 'thompson' and 'thomson' differ by one letter")]
    >>> near_misses({"a": "Ahmed Hussen", "b": "Hisham Badr"})
    []
    """
    out: dict[tuple[str, str], str] = {}
    by_initial: dict[str, list[str]] = defaultdict(list)
    folded = {key: fold(name) for key, name in names.items()}
    for key in sorted(names):
        by_initial[_family(names[key])[:2] + folded[key][:1]].append(key)
    for keys in by_initial.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pair = difflib.SequenceMatcher(None, folded[a], folded[b])
                # the two quick ratios are upper bounds of the ratio: most pairs end there
                if pair.real_quick_ratio() < threshold or pair.quick_ratio() < threshold:
                    continue
                ratio = pair.ratio()
                if ratio >= threshold:
                    out[tuple(sorted((names[a], names[b])))] = f"names {ratio:.0%} alike"
    # family names one edit apart share a key among themselves and their one-letter deletions
    # (a substitution deletes to the same string, an insertion to the other name): found in
    # time linear in the names, not by comparing every pair of the same length
    people_of: dict[str, list[str]] = defaultdict(list)
    for key in sorted(names):
        people_of[_family(names[key])].append(key)
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for fam in people_of:
        if len(fam) >= 4:
            for variant in {fam, *(fam[:i] + fam[i + 1 :] for i in range(len(fam)))}:
                by_deletion[variant].add(fam)
    close: set[tuple[str, str]] = set()
    for fams in by_deletion.values():
        if len(fams) > 1:
            ordered = sorted(fams)
            close.update(
                (fa, fb) for i, fa in enumerate(ordered) for fb in ordered[i + 1 :] if _one_edit(fa, fb)
            )
    for fa, fb in sorted(close):
        for a in people_of[fa]:
            for b in people_of[fb]:
                pair = tuple(sorted((names[a], names[b])))
                out.setdefault(pair, _family_msg(pair))
    return sorted((a, b, why) for (a, b), why in out.items())


def _family_msg(pair: tuple[str, str]) -> str:
    return f"family names '{_family(pair[0])}' and '{_family(pair[1])}' differ by one letter"


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one substitution, insertion or deletion."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1 :] == a for i in range(len(b)))
