"""What the fake Twilio holds: the messages, calls and media it accepted, and its journal.

``Message.resource()`` and ``Call.resource()`` are the JSON Twilio returns for a Message
(Twilio docs, "Message resource", https://www.twilio.com/docs/messaging/api/message-resource)
and a Call ("Call resource", https://www.twilio.com/docs/voice/api/call-resource);
``record()`` is the fake's own shape, for ``GET /_fake/messages``, ``GET /_fake/calls`` and the
journal.

State lives in memory. With ``journal_path``, each accepted message and call is also appended as
one JSON line (``{"kind": "message"|"call", …record()}``) and replayed at start, so a later tool
can count sends from the fake's own records. ``Store.reset`` empties both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from devtools.fake_twilio.wire import API_VERSION, rfc2822


@dataclass
class Message:
    sid: str
    account_sid: str
    to: str
    from_: str
    body: str | None
    content_sid: str | None
    content_variables: str | None
    status_callback: str | None
    media_urls: list[str]
    created_at: datetime
    status: str = "queued"
    error_code: str | None = None  # Twilio's ErrorCode once failed/undelivered

    def resource(self) -> dict[str, Any]:
        """The Message resource as Twilio returns it (Twilio docs, "Message resource")."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body or "",
            "date_created": rfc2822(self.created_at),
            "date_sent": rfc2822(self.created_at),
            "date_updated": rfc2822(self.created_at),
            "direction": "outbound-api",
            "error_code": None if self.error_code is None else int(self.error_code),
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": None,
            "num_media": str(len(self.media_urls)),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {
                "media": f"{uri}/Media.json",
                "feedback": f"{uri}/Feedback.json",
            },
            "to": self.to,
            "uri": f"{uri}.json",
        }

    def record(self) -> dict[str, Any]:
        """The inspection (``GET /_fake/messages``) and journal shape."""
        return {
            "sid": self.sid,
            "account_sid": self.account_sid,
            "to": self.to,
            "from": self.from_,
            "body": self.body,
            "content_sid": self.content_sid,
            # Parsed (validated on receipt as a JSON object) so readers need not decode it.
            "content_variables": (
                None if self.content_variables is None else json.loads(self.content_variables)
            ),
            "status_callback": self.status_callback,
            "media_urls": self.media_urls,
            "status": self.status,
            "error_code": self.error_code,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class Call:
    """A call placed through the Calls API. ``machine_detection`` (``Enable`` or
    ``DetectMessageEnd``), ``async_amd`` and ``amd_status_callback`` are its answering machine
    detection parameters; ``answered_by`` the result once answered. ``twiml_updates``: the
    ``Twiml`` of each update, oldest first. ``webhook_base_url``: where the fake delivers this
    call's webhooks (``POST /_fake/calls/{sid}/answer``), None for the URLs as given."""

    sid: str
    account_sid: str
    to: str
    from_: str
    url: str
    status_callback: str | None
    created_at: datetime
    status: str = "queued"
    machine_detection: str | None = None
    async_amd: bool = False
    amd_status_callback: str | None = None
    answered_by: str | None = None
    twiml_updates: list[str] = field(default_factory=list)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    webhook_base_url: str | None = None

    @property
    def duration_s(self) -> int | None:
        """Whole seconds from answer to end, once ended (Twilio's ``duration``)."""
        if self.ended_at is None:
            return None
        if self.started_at is None:
            return 0
        return int((self.ended_at - self.started_at).total_seconds())

    def resource(self) -> dict[str, Any]:
        """The Call resource as Twilio returns it (Twilio docs, "Call resource")."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{self.sid}"
        duration = self.duration_s
        return {
            "account_sid": self.account_sid,
            "answered_by": self.answered_by,
            "api_version": API_VERSION,
            "caller_name": None,
            "date_created": rfc2822(self.created_at),
            "date_updated": rfc2822(self.ended_at or self.started_at or self.created_at),
            "direction": "outbound-api",
            "duration": None if duration is None else str(duration),
            "end_time": None if self.ended_at is None else rfc2822(self.ended_at),
            "forwarded_from": None,
            "from": self.from_,
            "from_formatted": self.from_,
            "group_sid": None,
            "parent_call_sid": None,
            "phone_number_sid": None,
            "price": None,
            "price_unit": "USD",
            "queue_time": "0",
            "sid": self.sid,
            "start_time": None if self.started_at is None else rfc2822(self.started_at),
            "status": self.status,
            "subresource_uris": {"recordings": f"{uri}/Recordings.json"},
            "to": self.to,
            "to_formatted": self.to,
            "trunk_sid": None,
            "uri": f"{uri}.json",
        }

    def record(self) -> dict[str, Any]:
        """The inspection (``GET /_fake/calls``) and journal shape."""
        return {
            "sid": self.sid,
            "account_sid": self.account_sid,
            "to": self.to,
            "from": self.from_,
            "url": self.url,
            "status_callback": self.status_callback,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "machine_detection": self.machine_detection,
            "async_amd": self.async_amd,
            "async_amd_status_callback": self.amd_status_callback,
            "answered_by": self.answered_by,
            "twiml_updates": self.twiml_updates,
        }


@dataclass
class Media:
    sid: str
    content_type: str
    data: bytes
    ready_at: float = 0.0  # time.monotonic() before which a recording answers 404


@dataclass
class Store:
    journal_path: Path | None
    messages: dict[str, Message] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    cdn: dict[str, tuple[str, float]] = field(default_factory=dict)  # token → (sid, deadline)
    deleted_recordings: list[str] = field(default_factory=list)  # Recording DELETEs, in order

    def add_message(self, message: Message) -> None:
        self.messages[message.sid] = message
        self._journal("message", message.record())

    def add_call(self, call: Call) -> None:
        self.calls[call.sid] = call
        self._journal("call", call.record())

    def _journal(self, kind: Literal["message", "call"], row: dict[str, Any]) -> None:
        if self.journal_path is None:
            return
        with self.journal_path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps({"kind": kind, **row}) + "\n")

    def load(self) -> None:
        """Replay the journal. Messages come back ``delivered`` (only the create is journaled,
        not the lifecycle that followed it)."""
        if self.journal_path is None:
            return
        self.journal_path.parent.mkdir(parents=True, exist_ok=True)
        if not self.journal_path.exists():
            return
        for line in self.journal_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            created_at = datetime.fromisoformat(row["created_at"])
            if row["kind"] == "message":
                self.messages[row["sid"]] = Message(
                    sid=row["sid"],
                    account_sid=row["account_sid"],
                    to=row["to"],
                    from_=row["from"],
                    body=row["body"],
                    content_sid=row["content_sid"],
                    content_variables=(
                        None
                        if row["content_variables"] is None
                        else json.dumps(row["content_variables"])
                    ),
                    status_callback=row["status_callback"],
                    media_urls=row["media_urls"],
                    created_at=created_at,
                    status="delivered",
                )
            elif row["kind"] == "call":
                self.calls[row["sid"]] = Call(
                    sid=row["sid"],
                    account_sid=row["account_sid"],
                    to=row["to"],
                    from_=row["from"],
                    url=row["url"],
                    status_callback=row["status_callback"],
                    created_at=created_at,
                    status=row["status"],
                    # Absent from journals written before answering machine detection.
                    machine_detection=row.get("machine_detection"),
                    async_amd=bool(row.get("async_amd", False)),
                    amd_status_callback=row.get("async_amd_status_callback"),
                )

    def reset(self) -> None:
        """Forget messages, calls and media, and empty the journal."""
        self.messages.clear()
        self.calls.clear()
        self.media.clear()
        self.cdn.clear()
        self.deleted_recordings.clear()
        if self.journal_path is not None:
            self.journal_path.write_text("", encoding="utf-8")
