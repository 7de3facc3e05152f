"""``switchboard.understanding.described``: pets spoken of by age or kind named, and left alone
when what was said does not point at one pet."""

from __future__ import annotations

import pytest

from switchboard.understanding.described import named_descriptions


@pytest.mark.parametrize(
    ("message", "earlier", "names", "expected"),
    [
        (
            "Bruno is 13 and Pip's 2. Could the older one have a dental?",
            [],
            ["Bruno", "Pip"],
            "Bruno is 13 and Pip's 2. Could Bruno have a dental?",
        ),
        (
            "can the youngest come friday",
            ["Luna (4) and Salem, 9 months old"],
            ["Luna", "Salem"],
            "can Salem come friday",
        ),
        (
            "move the cat to thursday please",
            ["our cat is Pixel and Rocco is the dog"],
            ["Pixel", "Rocco"],
            "move Pixel to thursday please",
        ),
    ],
)
def test_a_pet_described_is_named(
    message: str, earlier: list[str], names: list[str], expected: str
) -> None:
    assert named_descriptions(message, earlier, names) == expected


@pytest.mark.parametrize(
    ("message", "earlier", "names"),
    [
        # no ages said
        ("could the older one have a dental?", ["we have Bruno and Pip"], ["Bruno", "Pip"]),
        # the same age: no one oldest
        ("could the older one come?", ["Bruno is 3 and Pip is 3"], ["Bruno", "Pip"]),
        # two cats: "the cat" is neither
        ("move the cat please", ["our cat Pixel and our cat Mochi"], ["Pixel", "Mochi"]),
        # one pet only: nothing to tell apart
        ("can the cat come at 2pm", ["our cat is Pixel"], ["Pixel"]),
        # a time is no age
        ("max is 10 mins late, can the older one wait", ["Rex is 4"], ["Max", "Rex"]),
    ],
)
def test_a_description_pointing_at_no_one_pet_is_left(
    message: str, earlier: list[str], names: list[str]
) -> None:
    assert named_descriptions(message, earlier, names) == message
