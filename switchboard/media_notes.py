"""The bracketed notes that stand for what a WhatsApp message carried besides text.

The customer's workflow turns each media item into a note in the turn's text ("[sent a photo]",
``workflows.turn_ingest``), and the webhook does the same for a location pin or a message of a
kind without text (``operations.ingest.whatsapp_text``): the agent and the conversation log
read one line of text per message. ``split`` gives the agent those notes apart from what the
customer wrote, so that "[sent a photo]" is never read as words ("sent" is not a message sent
too soon) and a photo alone is acknowledged instead of answered with the menu.
"""

from __future__ import annotations

import re
from typing import Literal

PHOTO = "[sent a photo]"
FILE = "[sent a file]"
STICKER = "[sent a sticker]"
CONTACT = "[shared a contact card]"
LOCATION_PREFIX = "[shared a location:"  # "[shared a location: Label, Address (lat, lon)]"

Attachment = Literal["photo", "file", "sticker", "contact", "location", "other"]

_NOTE_RE = re.compile(
    r"\[(?:sent a photo|sent a file|sent a sticker|shared a contact card"
    r"|shared a location:[^\]]*|sent an? [^\]]*?message with no text)\]"
)


def no_text(kind: str) -> str:
    """The note for a message with neither text nor media: ``kind`` is Twilio's
    ``MessageType`` ("reaction"…) or ``""``: "[sent a reaction message with no text]"."""
    return f"[sent a {kind + ' ' if kind else ''}message with no text]"


def _kind(note: str) -> Attachment:
    if note == PHOTO:
        return "photo"
    if note == FILE:
        return "file"
    if note == STICKER:
        return "sticker"
    if note == CONTACT:
        return "contact"
    if note.startswith(LOCATION_PREFIX):
        return "location"
    return "other"


def split(message: str) -> tuple[list[Attachment], str]:
    """(the attachments noted in ``message``, in order; the customer's own words, the notes
    taken out and spaces tidied). ``("is this rash bad? [sent a photo]")`` →
    ``(["photo"], "is this rash bad?")``; a message without notes → ``([], message)``."""
    found = [_kind(m.group(0)) for m in _NOTE_RE.finditer(message)]
    if not found:
        return [], message
    return found, " ".join(_NOTE_RE.sub(" ", message).split())
