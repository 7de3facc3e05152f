"""The payload codec: AES-GCM under a data key per customer, unencrypted payloads passed
through, the system key for payloads about no customer; the Postgres key store wraps keys
under the master key, and erasing a key makes what it encrypted unreadable for good."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import text
from temporalio.api.common.v1 import Payload
from temporalio.converter import ActivitySerializationContext, WorkflowSerializationContext

from switchboard.db.engine import Database
from switchboard.db.erasure import erase_customer
from switchboard.db.payload_keys import LISTENER_NAME, PostgresKeyStore, lock_scope, master_key
from switchboard.payload_codec import (
    KEY_ID,
    SYSTEM,
    EncryptionCodec,
    MemoryKeyStore,
    PayloadKeyErased,
    PayloadUndecryptable,
    scope_of,
)
from switchboard.settings import Settings
from switchboard.temporal import data_converter

CUSTOMER = "+33612345678"
WORDS = "book my cat Felix for Tuesday at 10"


def plain(value: object) -> Payload:
    (payload,) = data_converter(MemoryKeyStore()).payload_converter.to_payloads([value])
    return payload


def for_workflow(codec: EncryptionCodec, workflow_id: str) -> EncryptionCodec:
    return codec.with_context(
        WorkflowSerializationContext(namespace="default", workflow_id=workflow_id)
    )


def test_the_customer_comes_from_the_workflow_id() -> None:
    assert scope_of(f"customer/{CUSTOMER}") == CUSTOMER
    assert scope_of(f"journey/appointment-reminder/{CUSTOMER}/booking-42") == CUSTOMER
    assert scope_of("retention") == SYSTEM
    assert scope_of("customer/not-a-number") == SYSTEM
    assert scope_of(None) == SYSTEM


async def test_round_trip_hides_the_words_and_restores_the_payload() -> None:
    keys = MemoryKeyStore()
    codec = for_workflow(EncryptionCodec(keys), f"customer/{CUSTOMER}")
    original = plain({"text": WORDS})

    [sealed] = await codec.encode([original])

    assert b"Felix" not in sealed.SerializeToString()
    assert sealed.metadata["encoding"] == b"binary/encrypted"
    assert (await keys.by_id(sealed.metadata[KEY_ID].decode())).scope == CUSTOMER
    # Decoding needs no context: the codec server has none.
    assert await EncryptionCodec(keys).decode([sealed]) == [original]


async def test_an_activity_of_a_customer_workflow_uses_the_customer_key() -> None:
    keys = MemoryKeyStore()
    codec = EncryptionCodec(keys).with_context(
        ActivitySerializationContext(
            namespace="default",
            activity_id="1",
            activity_type="agent.decide",
            activity_task_queue="switchboard",
            workflow_id=f"customer/{CUSTOMER}",
            workflow_type="CustomerWorkflow",
            is_local=False,
        )
    )
    [sealed] = await codec.encode([plain(WORDS)])
    assert (await keys.by_id(sealed.metadata[KEY_ID].decode())).scope == CUSTOMER


async def test_payloads_about_no_customer_use_the_system_key() -> None:
    keys = MemoryKeyStore()
    for codec in (EncryptionCodec(keys), for_workflow(EncryptionCodec(keys), "retention")):
        [sealed] = await codec.encode([plain({"older_than_days": 30})])
        assert (await keys.by_id(sealed.metadata[KEY_ID].decode())).scope == SYSTEM


async def test_unencrypted_payloads_pass_through() -> None:
    """Histories from before encryption (and the replay tests' recordings) still decode."""
    original = plain({"text": WORDS})
    assert await EncryptionCodec(MemoryKeyStore()).decode([original]) == [original]


async def test_another_key_or_a_changed_byte_does_not_open() -> None:
    keys = MemoryKeyStore()
    codec = for_workflow(EncryptionCodec(keys), f"customer/{CUSTOMER}")
    [sealed] = await codec.encode([plain(WORDS)])
    other = await keys.current("+33699999999")

    wrong_key = Payload()
    wrong_key.CopyFrom(sealed)
    wrong_key.metadata[KEY_ID] = other.id.encode()
    tampered = Payload()
    tampered.CopyFrom(sealed)
    tampered.data = sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])

    for bad in (wrong_key, tampered):
        with pytest.raises(PayloadUndecryptable):
            await codec.decode([bad])


async def test_an_erased_key_leaves_the_payload_unreadable_and_a_new_key_takes_over() -> None:
    keys = MemoryKeyStore()
    codec = for_workflow(EncryptionCodec(keys), f"customer/{CUSTOMER}")
    [before] = await codec.encode([plain(WORDS)])

    keys.erase(CUSTOMER)

    with pytest.raises(PayloadKeyErased) as erased:
        await codec.decode([before])
    assert erased.value.key_id == before.metadata[KEY_ID].decode()
    [after] = await codec.encode([plain("hi again")])
    assert after.metadata[KEY_ID] != before.metadata[KEY_ID]
    assert await codec.decode([after]) == [plain("hi again")]


# -- the Postgres key store ---------------------------------------------------------------------


@pytest.fixture
async def store(db: Database, database_url: str) -> PostgresKeyStore:
    return PostgresKeyStore.from_settings(Settings(), database_url=database_url)


async def wrapped_keys(db: Database) -> dict[str, bytes]:
    async with db.session() as s:
        conn = await s.connection()
        rows = await conn.execute(text("SELECT scope, wrapped FROM payload_key"))
        return {scope: bytes(wrapped) for scope, wrapped in rows}


async def test_keys_are_stored_wrapped_one_per_customer(
    store: PostgresKeyStore, db: Database
) -> None:
    first = await store.current(CUSTOMER)
    again = await store.current(CUSTOMER)
    system = await store.current(SYSTEM)

    assert first.id == again.id != system.id
    stored = await wrapped_keys(db)
    assert set(stored) == {CUSTOMER, SYSTEM}
    # Only the wrapped form is stored: the AES key itself is nowhere in the row.
    assert len(stored[CUSTOMER]) == 12 + 32 + 16  # nonce, key, GCM tag
    await store.aclose()


async def test_another_process_reads_the_key_and_erasure_removes_it(
    store: PostgresKeyStore, db: Database, database_url: str
) -> None:
    codec = for_workflow(EncryptionCodec(store), f"customer/{CUSTOMER}")
    [sealed] = await codec.encode([plain(WORDS)])
    elsewhere = PostgresKeyStore.from_settings(Settings(), database_url=database_url)
    assert await EncryptionCodec(elsewhere).decode([sealed]) == [plain(WORDS)]

    async with db.session() as s:
        counts = await erase_customer(s, e164=CUSTOMER)
    store.forget(CUSTOMER)

    assert counts["payload_key"] == 1
    with pytest.raises(PayloadKeyErased):
        await codec.decode([sealed])
    # Another process notices within the recheck interval (1 s by default).
    await asyncio.sleep(Settings().payload_key_recheck_s)
    with pytest.raises(PayloadKeyErased):
        await EncryptionCodec(elsewhere).decode([sealed])
    await store.aclose()
    await elsewhere.aclose()


async def test_processes_creating_a_new_customers_key_at_once_agree_on_one(
    database_url: str, db: Database
) -> None:
    """A new number reaches the API, the relay and the worker at the same moment: one key,
    and no process fails on a lock (each would otherwise wait for the other's upgrade)."""
    stores = [
        PostgresKeyStore.from_settings(Settings(), database_url=database_url) for _ in range(4)
    ]
    keys = await asyncio.wait_for(asyncio.gather(*(s.current(CUSTOMER) for s in stores)), 30)

    assert len({k.id for k in keys}) == 1
    assert set(await wrapped_keys(db)) == {CUSTOMER}
    for store in stores:
        await store.aclose()


async def test_a_launch_prepares_its_members_keys_at_once_and_keeps_existing_ones(
    store: PostgresKeyStore, db: Database, database_url: str
) -> None:
    """A launch prepares a slice's keys in one transaction (``operations/launch.py``): every
    member gets one key, a member who had one keeps it, and two launches preparing overlapping
    slices at once agree on one key each."""
    known = await store.current(CUSTOMER)
    members = [f"+3361234{n:04d}" for n in range(50)]
    others = [PostgresKeyStore.from_settings(Settings(), database_url=database_url) for _ in (1, 2)]
    await asyncio.wait_for(
        asyncio.gather(others[0].prepare([CUSTOMER, *members]), others[1].prepare(members[::-1])),
        30,
    )

    stored = await wrapped_keys(db)
    assert set(stored) == {CUSTOMER, *members}
    assert (await others[0].current(CUSTOMER)).id == known.id
    for member in members:  # each process encrypts under the one stored key
        assert (await others[0].current(member)).id == (await others[1].current(member)).id
    for other in others:
        await other.aclose()
    await store.aclose()


async def test_a_key_created_while_the_customer_is_erased_is_never_the_old_one(
    store: PostgresKeyStore, db: Database
) -> None:
    """Creation waits for an erasure under way; what it creates afterwards is a new key."""
    old = await store.current(CUSTOMER)
    store.forget(CUSTOMER)
    async with db.session() as s:
        await s.exec(text("DELETE FROM payload_key WHERE scope = :e").bindparams(e=CUSTOMER))  # type: ignore[call-overload]
        await lock_scope(s, CUSTOMER)  # as erase_customer holds it until its commit
        creating = asyncio.create_task(store.current(CUSTOMER))
        await asyncio.sleep(0.3)
        assert not creating.done()  # waits for the erasure's commit
    new = await asyncio.wait_for(creating, 10)
    assert new.id != old.id
    with pytest.raises(PayloadKeyErased):
        await store.by_id(old.id)
    await store.aclose()


async def test_a_process_that_decoded_a_customers_payload_encrypts_for_them_without_reading_again(
    store: PostgresKeyStore, database_url: str
) -> None:
    """A worker decodes a new journey run's input, then encodes its first activity's input
    for the same customer: the key read to decode is the one it encrypts with, read once."""
    codec = for_workflow(EncryptionCodec(store), f"customer/{CUSTOMER}")
    [sealed] = await codec.encode([plain(WORDS)])
    worker = PostgresKeyStore.from_settings(Settings(), database_url=database_url)
    reads = 0
    read = worker._read

    async def counted(*args: object, **kwargs: object) -> object:
        nonlocal reads
        reads += 1
        return await read(*args, **kwargs)  # type: ignore[arg-type]

    worker._read = counted  # type: ignore[method-assign]
    worker_codec = for_workflow(EncryptionCodec(worker), f"journey/j/{CUSTOMER}/k")

    assert await worker_codec.decode([sealed]) == [plain(WORDS)]
    [again] = await worker_codec.encode([plain("hi")])

    assert again.metadata[KEY_ID] == sealed.metadata[KEY_ID]
    assert reads == 1
    await store.aclose()
    await worker.aclose()


async def test_decoding_waits_for_an_erasure_under_way_then_finds_no_key(
    store: PostgresKeyStore, db: Database, database_url: str
) -> None:
    """A key read by its ID is read under its customer's lock, like the key to encrypt with:
    never cached as current while an erasure is deleting it."""
    codec = for_workflow(EncryptionCodec(store), f"customer/{CUSTOMER}")
    [sealed] = await codec.encode([plain(WORDS)])
    other = PostgresKeyStore.from_settings(Settings(), database_url=database_url)
    async with db.session() as s:
        await lock_scope(s, CUSTOMER)  # as erase_customer holds it until its commit
        await s.exec(text("DELETE FROM payload_key WHERE scope = :e").bindparams(e=CUSTOMER))  # type: ignore[call-overload]
        decoding = asyncio.create_task(EncryptionCodec(other).decode([sealed]))
        await asyncio.sleep(0.3)
        assert not decoding.done()  # waits for the erasure's commit
    with pytest.raises(PayloadKeyErased):
        await asyncio.wait_for(decoding, 10)
    assert (await other.current(CUSTOMER)).id != sealed.metadata[KEY_ID].decode()
    await store.aclose()
    await other.aclose()


async def test_a_different_master_key_cannot_open_the_stored_keys(
    store: PostgresKeyStore, database_url: str
) -> None:
    await store.current(CUSTOMER)
    other = Settings(payload_master_key="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
    intruder = PostgresKeyStore.from_settings(other, database_url=database_url)
    with pytest.raises(RuntimeError, match="master key"):
        await intruder.current(CUSTOMER)
    await store.aclose()
    await intruder.aclose()


def test_the_master_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 random bytes"):
        Settings(payload_master_key="c2hvcnQ=")


async def _until(
    condition: Callable[[], Awaitable[bool]], what: str, timeout_s: float = 10
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not {what} after {timeout_s} s")
        await asyncio.sleep(0.05)


async def test_a_listening_process_trusts_its_key_until_an_erasure_says_otherwise(
    store: PostgresKeyStore, db: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the recheck interval a listening process encrypts without asking the database
    again, and forgets the key as soon as an erasure commits; once its listener is gone, it
    asks the database again."""
    codec = for_workflow(EncryptionCodec(store), f"customer/{CUSTOMER}")
    [sealed] = await codec.encode([plain(WORDS)])
    elsewhere = PostgresKeyStore(database_url, master_key(Settings()), recheck_s=0.2)
    other = EncryptionCodec(elsewhere)
    await other.decode([sealed])

    async def listening() -> bool:
        return elsewhere.listening

    await _until(listening, "listening")
    elsewhere.forget_all()
    assert await other.decode([sealed]) == [plain(WORDS)]  # read once the listener is up

    async def unreachable(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the database is not asked")

    monkeypatch.setattr(elsewhere, "_read", unreachable)
    await asyncio.sleep(0.5)  # past the recheck interval
    assert await other.decode([sealed]) == [plain(WORDS)]
    monkeypatch.undo()

    async with db.session() as s:
        await erase_customer(s, e164=CUSTOMER)
    store.forget(CUSTOMER)  # the erasing process (operations.erasure)

    async def erased() -> bool:
        try:
            await other.decode([sealed])
        except PayloadKeyErased:
            return True
        return False

    await _until(erased, "told of the erasure", timeout_s=5)

    # The listener's connection dropped: back to reading keys again every recheck interval.
    [again] = await codec.encode([plain(WORDS)])  # a new key for the number
    await other.decode([again])
    async with db.session() as s:
        await (await s.connection()).execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :n"
            ),
            {"n": LISTENER_NAME},
        )

    async def lost() -> bool:
        return not elsewhere.listening

    await _until(lost, "back to rechecks")
    monkeypatch.setattr(elsewhere, "_read", unreachable)
    await asyncio.sleep(0.3)
    with pytest.raises(ConnectionError):
        await other.decode([again])
    monkeypatch.undo()
    await store.aclose()
    await elsewhere.aclose()
