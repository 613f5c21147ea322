"""Crisis resources per country, and the international fallback.

Only services whose numbers we are sure of are listed; every other locale gets the
international fallback (the local emergency number and findahelpline.com, which lists
services by country). To add a country, add one ``_entry`` below and a row to the table in
docs/crisis-protocol.md; tests check that every listed entry renders.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

DIRECTORY = "findahelpline.com"
INTERNATIONAL = "INTL"


class CrisisService(BaseModel):
    name: str
    contact: str = Field(description="How to reach it, e.g. 'call or text 988'.")
    numbers: list[str] = Field(description="The dialable numbers, as written locally.")


class CrisisResources(BaseModel):
    """What a crisis reply offers for one locale."""

    locale: str = Field(description="Upper-case country code, or INTL for the fallback.")
    country: str
    services: list[CrisisService]
    emergency: list[str] = Field(default_factory=list, description="Emergency numbers, e.g. 911.")
    international: bool = False
    directory: str = DIRECTORY

    def numbers(self) -> list[str]:
        """Every number a reply could cite (services, then emergency), as written."""
        return [n for s in self.services for n in s.numbers] + list(self.emergency)

    def cited_in(self, text: str) -> bool:
        """True when ``text`` gives at least one of these numbers (or, for the fallback,
        points to the local emergency number or the helpline directory)."""
        if any(number_pattern(n).search(text) for n in self.numbers()):
            return True
        if self.international:
            return bool(re.search(r"findahelpline|local emergency (?:number|services)", text, re.I))
        return False

    def block(self) -> str:
        """The resources text appended to every crisis reply."""
        lines = ["Please reach out to someone who can help right now:"]
        for service in self.services:
            lines.append(f"- {service.name}: {service.contact} (free, confidential)")
        if self.emergency:
            lines.append(f"- If you are in immediate danger, call {' or '.join(self.emergency)}.")
        else:
            lines.append("- If you are in immediate danger, call your local emergency number.")
        if self.international:
            lines.append(f"- {self.directory} lists free, confidential helplines in every country.")
        return "\n".join(lines)


def number_pattern(number: str) -> re.Pattern[str]:
    """'116 123' matches '116123', '116 123' and '116-123', never inside a longer number."""
    body = r"[\s.-]?".join(re.escape(d) for d in re.sub(r"\D", "", number))
    return re.compile(rf"(?<![\d])(?:{body})(?![\d])")


def _entry(locale: str, country: str, emergency: str, *services: tuple[str, str, list[str]]):
    return CrisisResources(
        locale=locale,
        country=country,
        emergency=emergency.split(),
        services=[CrisisService(name=n, contact=c, numbers=nums) for n, c, nums in services],
    )


_SAMARITANS = ("Samaritans", "call 116 123, any time", ["116 123"])

TABLE: dict[str, CrisisResources] = {
    r.locale: r
    for r in (
        _entry(
            "US",
            "United States",
            "911",
            ("988 Suicide & Crisis Lifeline", "call or text 988, any time", ["988"]),
        ),
        _entry(
            "CA",
            "Canada",
            "911",
            ("9-8-8 Suicide Crisis Helpline", "call or text 9-8-8, any time", ["9-8-8"]),
        ),
        _entry("GB", "United Kingdom", "999 112", _SAMARITANS),
        _entry("IE", "Ireland", "112 999", _SAMARITANS),
        _entry("AU", "Australia", "000", ("Lifeline", "call 13 11 14, any time", ["13 11 14"])),
        _entry(
            "NZ", "New Zealand", "111", ("Need to Talk?", "call or text 1737, any time", ["1737"])
        ),
        _entry(
            "DE",
            "Germany",
            "112",
            (
                "TelefonSeelsorge",
                "call 0800 111 0 111 or 0800 111 0 222",
                ["0800 111 0 111", "0800 111 0 222"],
            ),
        ),
        _entry("AT", "Austria", "112", ("TelefonSeelsorge", "call 142", ["142"])),
        _entry(
            "CH",
            "Switzerland",
            "112",
            ("Die Dargebotene Hand / La Main Tendue", "call 143", ["143"]),
        ),
        _entry(
            "FR",
            "France",
            "112",
            ("3114, national suicide prevention line", "call 3114, any time", ["3114"]),
        ),
        _entry(
            "NL",
            "Netherlands",
            "112",
            ("113 Zelfmoordpreventie", "call 113 or 0800-0113", ["113", "0800-0113"]),
        ),
        _entry("BE", "Belgium", "112", ("Zelfmoordlijn 1813", "call 1813 (in Dutch)", ["1813"])),
        _entry("ES", "Spain", "112", ("Línea 024", "call 024, any time", ["024"])),
    )
}

ALIASES = {"UK": "GB"}

FALLBACK = CrisisResources(
    locale=INTERNATIONAL,
    country="International",
    services=[],
    international=True,
)


def normalise_locale(locale: str | None) -> str | None:
    """'en-US', 'en_gb', 'us', 'UK' -> 'US', 'GB', 'US', 'GB'; None if no region is given."""
    if not locale:
        return None
    parts = [p for p in re.split(r"[-_.@]", locale.strip()) if p]
    if not parts:
        return None
    region = next((p for p in reversed(parts) if len(p) == 2 and p.isalpha()), None)
    if region is None:
        return None
    region = region.upper()
    if len(parts) > 1 and region == parts[0].upper() and region not in TABLE:
        return None  # a bare language code like 'en' names no country
    return ALIASES.get(region, region)


def crisis_resources(locale: str | None) -> CrisisResources:
    """Resources for a country code or locale tag; the international fallback otherwise."""
    code = normalise_locale(locale)
    return TABLE.get(code, FALLBACK) if code else FALLBACK
