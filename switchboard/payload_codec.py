"""Encrypted Temporal payloads with one data key per customer (crypto-shredding).

Every payload a Switchboard client or worker sends to Temporal (workflow and activity inputs and
results, signals, updates, queries, failures' messages) is encrypted by ``EncryptionCodec``
before it leaves the process, with AES-256-GCM (``cryptography``'s ``AESGCM``) under the data
key of the customer it is about. Erasing a customer deletes their data key
(``switchboard.db.erasure``), so their workflow histories, which the Temporal server keeps
until the namespace's retention period ends, can no longer be read by anyone: crypto-shredding.

Whose payload it is comes from Temporal's serialization context (temporalio >= 1.18,
``WithSerializationContext``): the SDK hands the codec the ID of the workflow a payload belongs
to (a workflow's own inputs and results, its activities', a child's or a signalled workflow's),
and Switchboard's workflow IDs name the customer (``customer/<E164>``,
``journey/<name>/<E164>/<key>``; ``switchboard.temporal``). Payloads of anything else
(schedules, the retention workflow, context-free calls) use the shared ``system`` key.

An encrypted payload is ``metadata = {encoding: binary/encrypted, switchboard-key-id: <id>}``
and ``data = nonce (12 bytes) ‖ AES-GCM(key, nonce, original Payload protobuf, aad=key id)``:
the whole original payload, metadata included, is inside, as Temporal's docs recommend
("Codec Server - Temporal Platform feature guide",
https://docs.temporal.io/production-deployment/data-encryption). Decoding needs only the
payload, never the context, so the codec server (``api/routes/codec.py``) reads any history.

Payloads without that encoding pass through ``decode`` unchanged (the same page: "If your
Payload is not encoded, it is recommended to pass the unencoded data to the decode function"):
histories written before encryption, the checked-in replay histories and workflows that were
running at the upgrade keep working.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec, SerializationContext, WithSerializationContext

ENCODING = b"binary/encrypted"  # the encoding name Temporal's encryption samples use
KEY_ID = "switchboard-key-id"
SYSTEM = "system"  # the scope of payloads that are about no customer
NONCE_BYTES = 12  # 96-bit nonces: AES-GCM's recommended size (NIST SP 800-38D, 8.2)
KEY_BYTES = 32  # AES-256

_CUSTOMER_ID = re.compile(r"^customer/(\+[1-9]\d{1,14})$")
_JOURNEY_ID = re.compile(r"^journey/[^/]+/(\+[1-9]\d{1,14})/")


@dataclass(frozen=True)
class DataKey:
    """A data key: ``id`` (32 hex digits, random: never derived from the customer, so a
    deleted key is never re-created), ``scope`` (the customer's E.164, or ``SYSTEM``) and
    the AES-256-GCM cipher under it."""

    id: str
    scope: str
    aead: AESGCM


class PayloadKeyErased(LookupError):
    """The data key ``key_id`` does not exist: its customer was erased (or it never existed).
    What was encrypted under it cannot be read any more."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"payload data key {key_id} does not exist (its customer was erased)")
        self.key_id = key_id


class PayloadUndecryptable(ValueError):
    """An encrypted payload that its key does not open (tampered with, or not ours)."""


class KeyStore(Protocol):
    """Where data keys live (``switchboard.db.payload_keys.PostgresKeyStore``, or
    ``MemoryKeyStore`` for dry runs and unit tests)."""

    async def current(self, scope: str) -> DataKey:
        """The key to encrypt ``scope``'s payloads with, created on first use."""
        ...

    async def by_id(self, key_id: str) -> DataKey:
        """The key ``key_id``. Raises ``PayloadKeyErased`` when it does not exist."""
        ...

    async def prepare(self, scopes: Sequence[str]) -> None:
        """Have the current keys of ``scopes`` at hand (created if need be), as many calls
        to ``current`` would, before a batch of payloads about them is encoded."""
        ...

    def forget(self, scope: str) -> None:
        """Drop ``scope``'s keys from this process's cache (after erasing them)."""
        ...


def scope_of(workflow_id: str | None) -> str:
    """The customer a workflow's payloads are about: the E.164 in ``customer/<E164>`` or
    ``journey/<name>/<E164>/<key>``; ``SYSTEM`` for any other ID, or none."""
    if workflow_id:
        match = _CUSTOMER_ID.match(workflow_id) or _JOURNEY_ID.match(workflow_id)
        if match:
            return match.group(1)
    return SYSTEM


def new_data_key() -> tuple[str, bytes]:
    """A fresh key ID (128 random bits, hex) and 256-bit key material (``os.urandom``)."""
    return os.urandom(16).hex(), AESGCM.generate_key(bit_length=KEY_BYTES * 8)


class EncryptionCodec(PayloadCodec, WithSerializationContext):
    """AES-256-GCM under the data key of the payloads' customer (module docstring). Cost: one
    cached key lookup per ``encode`` call and per key in ``decode`` (a database query at
    most once a second per key, ``PostgresKeyStore``), plus the cipher itself.

    ``decode`` raises ``PayloadKeyErased`` for a payload whose key was deleted and
    ``PayloadUndecryptable`` for one its key does not open; unencrypted payloads pass through.
    """

    def __init__(self, keys: KeyStore, scope: str = SYSTEM) -> None:
        self.keys = keys
        self.scope = scope

    def with_context(self, context: SerializationContext) -> Self:
        workflow_id: str | None = getattr(context, "workflow_id", None)
        return type(self)(self.keys, scope_of(workflow_id))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        if not payloads:
            return []
        key = await self.keys.current(self.scope)
        aad = key.id.encode()
        out = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            sealed = key.aead.encrypt(nonce, payload.SerializeToString(), aad)
            out.append(Payload(metadata={"encoding": ENCODING, KEY_ID: aad}, data=nonce + sealed))
        return out

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        out = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                out.append(payload)
                continue
            raw_id = payload.metadata.get(KEY_ID)
            if not raw_id:
                raise PayloadUndecryptable("an encrypted payload without a switchboard-key-id")
            key = await self.keys.by_id(raw_id.decode())
            data = payload.data
            try:
                plain = key.aead.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], raw_id)
            except InvalidTag as exc:
                raise PayloadUndecryptable(
                    f"payload does not open with key {key.id} (tampered with?)"
                ) from exc
            out.append(Payload.FromString(plain))
        return out


class MemoryKeyStore:
    """Keys in this process only: dry runs on the time-skipping server (whose histories die
    with it) and unit tests. ``erase(scope)`` deletes a scope's keys, as erasure does."""

    def __init__(self) -> None:
        self._current: dict[str, DataKey] = {}
        self._by_id: dict[str, DataKey] = {}

    async def current(self, scope: str) -> DataKey:
        key = self._current.get(scope)
        if key is None:
            key_id, material = new_data_key()
            key = self._current[scope] = self._by_id[key_id] = DataKey(
                key_id, scope, AESGCM(material)
            )
        return key

    async def prepare(self, scopes: Sequence[str]) -> None:
        for scope in scopes:
            await self.current(scope)

    async def by_id(self, key_id: str) -> DataKey:
        key = self._by_id.get(key_id)
        if key is None:
            raise PayloadKeyErased(key_id)
        return key

    def forget(self, scope: str) -> None:
        """The store is its own cache: forgetting a scope erases its keys."""
        self.erase(scope)

    def erase(self, scope: str) -> None:
        self._current.pop(scope, None)
        self._by_id = {k: v for k, v in self._by_id.items() if v.scope != scope}


_ENCODING_JSON = base64.b64encode(ENCODING).decode()


async def decode_json(codec: PayloadCodec, tree: object) -> None:
    """Decode, in place, every encrypted payload in ``tree``: a workflow history (or any part
    of one) in protobuf JSON, as ``WorkflowHistory.to_json()`` writes it. Used to save
    readable histories for the replay tests and to read histories in tests. Raises what
    ``EncryptionCodec.decode`` raises."""
    if isinstance(tree, list):
        for item in tree:
            await decode_json(codec, item)
        return
    if not isinstance(tree, dict):
        return
    metadata = tree.get("metadata")
    if isinstance(metadata, dict) and metadata.get("encoding") == _ENCODING_JSON:
        payload = json_format.ParseDict(tree, Payload())
        (plain,) = await codec.decode([payload])
        tree.clear()
        tree.update(json_format.MessageToDict(plain))
        return
    for value in tree.values():
        await decode_json(codec, value)
