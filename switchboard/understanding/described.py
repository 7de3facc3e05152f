"""Pets spoken of by what they are rather than by name: "the older one", "the younger one", "the
cat", "the puppy" — named from what the customer said of them ("two dogs here – Bruno is 13 and
Pip's 2", "Simba who's 15 and Pearl who's 2", "our cat Pixel", "Rocco's the dog").

``named_descriptions`` writes the name in place of such a phrase, so that the rest of the agent
reads "could Bruno have a dental" where the customer wrote "could the older one have a dental".
A phrase is left as it is when what was said does not point at exactly one pet (no ages given,
two of the oldest age, two cats) or the name is written beside it already ("the cat, Pixel")."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from switchboard.understanding.text import normalise

# Kinds of animal, each with the words that say it ("the puppy" is the dog described as one).
_KINDS: dict[str, str] = {
    "dog": "dog",
    "puppy": "dog",
    "pup": "dog",
    "cat": "cat",
    "kitten": "cat",
    "kitty": "cat",
    "rabbit": "rabbit",
    "bunny": "rabbit",
    "hamster": "hamster",
    "guinea pig": "guinea pig",
    "ferret": "ferret",
    "parrot": "parrot",
    "bird": "bird",
    "tortoise": "tortoise",
}
_KIND = "|".join(
    sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _KINDS), key=len, reverse=True)
)
# Words that take a name's place in the sentences read but are no names.
_NOT_NAMES = frozenset(
    {"he", "she", "it", "they", "this", "that", "what", "who", "which", "there", "here"}
    | {"mine", "ours", "one", "and", "or", "but", "so", "then", "also", "too", "both", "the"}
    | {"my", "our", "a", "an", "is", "was"}
)
_NAME = r"(?P<name>[a-z][a-z-]{1,20})"
# "Bruno is 13", "Pip's 2", "Simba who's 15", "Bella (4)", "Max, 9,", "Luna aged 3", "Pip is 4
# months old" — never a time ("Max is 10 mins late", "Rex 2pm").
_AGE_AFTER_RE = re.compile(
    rf"\b{_NAME}\s*(?:,|\()?\s*(?:is|'s|who's|who\s+is|aged|age|turned|just\s+turned)?\s*"
    r"(?P<n>\d{1,2})(?!\d|[.:]\d)\s*(?P<unit>years?|yrs?|yo|y/o|months?|mos?|weeks?|wks?)?(?:\s*-?\s*old)?"
    r"(?!\s*(?:am|pm|:|\.\d|h\d|o'?clock|th\b|st\b|nd\b|rd\b|mins?|minutes?|hours?|hrs?|pets?"
    r"|dogs?|cats?|of\b|x\b|times?|days?|euros?|€))"
)
# "a 13 year old lab called Bruno", "our 2-year-old Pip"
_AGE_BEFORE_RE = re.compile(
    r"\b(?P<n>\d{1,2})\s*-?\s*(?P<unit>years?|yrs?|months?|weeks?)\s*-?\s*old\s+(?:[a-z]+\s+)?"
    rf"(?:(?:called|named)\s+)?{_NAME}\b"
)
# "our cat Pixel", "a puppy (Bean)", "the cat, Ziggy", "my kitten called Mochi"
_KIND_BEFORE_RE = re.compile(
    rf"\b(?:my|our|the|a|an|new)\s+(?:[a-z]+\s+)?(?P<kind>{_KIND})\s*(?:,|\(|-|–)?\s*"
    rf"(?:(?:called|named|who's\s+called|is\s+called|is|'s)\s+)?{_NAME}\b"
)
# "could the cat come at the same time? he's called Ziggy"
_KIND_THEN_NAMED_RE = re.compile(
    rf"\bthe\s+(?P<kind>{_KIND})\b[^.!?]{{0,80}}[.!?]?\s+(?:he's|she's|he\s+is|she\s+is|it's|its)"
    rf"\s+(?:called|named)\s+{_NAME}\b"
)
# "Pixel is the cat", "Pixel the cat", "Rocco's our dog", "Bean (the puppy)"
_KIND_AFTER_RE = re.compile(
    # ("Bean, our 4 month old kitten", set 148)
    rf"\b{_NAME}\s*(?:,|\()?\s*(?:is|'s)?\s*(?:the|our|my|a|an)\s+(?:[a-z0-9-]+\s+){{0,3}}"
    rf"(?P<kind>{_KIND})"
    r"\b"
)
# "Noodle (12 wk puppy)": the kind after the name and its age.
# (normalised, the brackets are gone: "noodle 12 week puppy")
_KIND_IN_BRACKETS_RE = re.compile(
    rf"\b{_NAME}\s*\(?\s*\d{{1,2}}\s*(?:weeks?|wks?|months?|mos?|years?|yrs?)(?:\s*-?\s*old)?\s+"
    rf"(?P<kind>{_KIND})\b"
)
# "… and Ralph for a check up, he's 13": an age said of the pet just named.
_AGE_OF_LAST_NAMED_RE = re.compile(
    rf"\b{_NAME}\b[^.!?(]{{0,40}}?\b(?:he's|she's|he\s+is|she\s+is)\s+(?P<n>\d{{1,2}})(?!\d|[.:]\d)"
    r"\s*(?P<unit>years?|yrs?|months?|weeks?)?(?!\s*(?:am|pm|:|o'?clock|mins?|minutes?|kg|kilos?))"
)
# The young kinds: a puppy or a kitten is the younger of two pets whose ages are not all said.
_YOUNG_KINDS = frozenset({"puppy", "pup", "kitten"})
# The phrases named: "the older one", "the oldest", "the younger dog", "the little one".
_OLDER_RE = re.compile(
    r"\bthe\s+(?:older|oldest|elder|eldest|old)\s+(?:one|1|boy|girl|lady|man|dog|cat|rabbit|fella"
    r"|gent|timer)\b"
    r"|\bthe\s+(?:oldest|eldest)\b",
    re.IGNORECASE,
)
_YOUNGER_RE = re.compile(
    r"\bthe\s+(?:younger|youngest|little|baby|young)\s+(?:one|1|boy|girl|dog|cat|rabbit)\b"
    r"|\bthe\s+youngest\b",
    re.IGNORECASE,
)
_THE_KIND_RE = re.compile(rf"\bthe\s+(?P<kind>{_KIND})\b", re.IGNORECASE)


def _years(n: str, unit: str | None) -> float:
    unit = (unit or "y").lower()
    if unit.startswith("m"):
        return int(n) / 12
    if unit.startswith("w"):
        return int(n) / 52
    return float(n)


def _ages(texts: Sequence[str], names: set[str]) -> dict[str, float]:
    ages: dict[str, float] = {}
    for text in texts:
        for found in (*_AGE_AFTER_RE.finditer(text), *_AGE_BEFORE_RE.finditer(text)):
            name = found["name"]
            if name not in names:
                continue
            ages[name] = _years(found["n"], found["unit"])
        for found in _AGE_OF_LAST_NAMED_RE.finditer(text):
            # ("Ralph for a check up, he's 13": the last of the names before the age)
            before = [n for n in re.findall(r"[a-z][a-z-]+", found.group(0)) if n in names]
            if before and before[-1] not in ages:
                ages[before[-1]] = _years(found["n"], found["unit"])
    return ages


def _kinds(texts: Sequence[str], names: set[str]) -> dict[str, set[str]]:
    """Kind → the names said to be of it."""
    kinds: dict[str, set[str]] = {}
    for text in texts:
        for found in (
            *_KIND_BEFORE_RE.finditer(text),
            *_KIND_AFTER_RE.finditer(text),
            *_KIND_THEN_NAMED_RE.finditer(text),
            *_KIND_IN_BRACKETS_RE.finditer(text),
        ):
            name = found["name"]
            if name not in names:
                continue
            kind = _KINDS[re.sub(r"\s+", " ", found["kind"])]
            kinds.setdefault(kind, set()).add(name)
            kinds.setdefault(re.sub(r"\s+", " ", found["kind"]), set()).add(name)
    return kinds


def _named_near(message: str, start: int, end: int, names: set[str]) -> bool:
    """Whether one of ``names`` (lower case) is written right beside the phrase at
    ``start:end``."""
    around = message[max(0, start - 25) : end + 25].lower()
    return any(re.search(rf"\b{re.escape(n)}\b", around) for n in names)


def _replaced(pattern: re.Pattern[str], message: str, name: str, as_written: str) -> str:
    """``message`` with each phrase of ``pattern`` read as ``name`` (lower case), written
    ``as_written``, unless the name is beside it already."""
    return pattern.sub(
        lambda m: m.group(0) if _named_near(message, m.start(), m.end(), {name}) else as_written,
        message,
    )


# A name put in while others are read, so that it does not count as written beside the next
# phrase ("the old girl at half 8 and the pup at 10": both phrases named).
_PUT_IN_RE = re.compile("\x00(\\d+)\x00")


def describes_a_pet(message: str) -> bool:
    """Whether ``message`` speaks of a pet as "the older one", "the cat", …"""
    return bool(
        _OLDER_RE.search(message) or _YOUNGER_RE.search(message) or _THE_KIND_RE.search(message)
    )


def named_descriptions(
    message: str, earlier: Sequence[str] = (), names: Collection[str] = ()
) -> str:
    """``message`` with "the older one", "the younger one", "the cat" and the like replaced by
    the one pet they point at, from what ``message`` and the customer's ``earlier`` messages
    (oldest first) say of the ages and kinds of ``names`` (the pets' names found in them and on
    record, as written). Unchanged when nothing points at exactly one pet. Raises nothing."""
    written = {n.lower(): n for n in names}
    known = set(written) - _NOT_NAMES - set(_KINDS)
    texts = [normalise(t) for t in (*earlier, message)]
    ages = _ages(texts, known)
    kinds = _kinds(texts, known)
    pets = set(ages) | {n for of_kind in kinds.values() for n in of_kind}
    mentioned = {n for n in known if any(re.search(rf"\b{re.escape(n)}\b", t) for t in texts)}
    if len(pets) < 2 and len(mentioned) != 2:
        return message
    young = {n for k in _YOUNG_KINDS for n in kinds.get(k, set())}
    if len(mentioned) == 2 and len(ages) < 2 and len(young) == 1:
        # "Dolly's our 10 yr old spaniel, peanut's the puppy" / "the old girl at half 8 and
        # the pup at 10": the puppy is the younger of the two (set 148)
        (pup,) = young
        (other,) = mentioned - young
        ages = {pup: 0.0, other: max(ages.get(other, 1.0), 1.0)}
        pets |= mentioned
    out = message
    put_in: list[str] = []

    def placed(name: str) -> str:
        put_in.append(written[name])
        return f"\x00{len(put_in) - 1}\x00"

    if len(ages) >= 2:
        oldest, youngest = max(ages.values()), min(ages.values())
        for pattern, age in ((_OLDER_RE, oldest), (_YOUNGER_RE, youngest)):
            chosen = [n for n, a in ages.items() if a == age]
            if len(chosen) != 1:
                continue
            out = _replaced(pattern, out, chosen[0], placed(chosen[0]))

    def kind_named(found: re.Match[str]) -> str:
        word = re.sub(r"\s+", " ", found["kind"].lower())
        of_kind = kinds.get(word) or kinds.get(_KINDS[word]) or set()
        if len(of_kind) != 1 or _named_near(out, found.start(), found.end(), pets):
            return found.group(0)
        return placed(next(iter(of_kind)))

    out = _THE_KIND_RE.sub(kind_named, out)
    return _PUT_IN_RE.sub(lambda m: put_in[int(m[1])], out)
