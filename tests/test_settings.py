"""Settings: placeholders refused in production, empty URLs mean "the real vendor"."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from switchboard.settings import Settings


def test_empty_twilio_base_url_means_the_real_twilio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWITCHBOARD_TWILIO_API_BASE_URL", "")
    assert Settings().twilio_api_base_url is None


def test_production_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWITCHBOARD_ENVIRONMENT", "production")
    with pytest.raises(ValidationError) as exc:
        Settings()
    message = str(exc.value)
    assert "SWITCHBOARD_TWILIO_AUTH_TOKEN" in message
    assert "SWITCHBOARD_API_KEY" in message


def test_production_with_real_secrets_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "SWITCHBOARD_ENVIRONMENT": "production",
        "SWITCHBOARD_TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "SWITCHBOARD_TWILIO_AUTH_TOKEN": "a-real-token",
        "SWITCHBOARD_API_KEY": "a-real-key",
        "SWITCHBOARD_PAYLOAD_MASTER_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    }.items():
        monkeypatch.setenv(name, value)
    assert Settings().environment == "production"


def test_database_url_is_read_without_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/switchboard")
    assert Settings().database_url == "postgresql://u@db/switchboard"


def test_a_stack_passes_every_setting_to_its_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides made in code (the demo's always-open calendar, its ports) must reach the API
    and worker processes, which read settings from their environment."""
    from devtools.stack import settings_env

    chosen = Settings(business_hours=None, api_port=8123, twilio_api_base_url=None)
    for key, value in settings_env(chosen).items():
        monkeypatch.setenv(key, value)
    assert Settings() == chosen


def test_moving_a_port_moves_every_url_that_follows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "SWITCHBOARD_API_PORT": "9000",
        "SWITCHBOARD_FAKE_TWILIO_PORT": "9099",
        "SWITCHBOARD_TEMPORAL_PORT": "7300",
        "SWITCHBOARD_WORKER_METRICS_PORT": "9500",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.public_base_url == "http://127.0.0.1:9000"
    assert settings.twilio_api_base_url == "http://127.0.0.1:9099"
    assert settings.temporal_address == "127.0.0.1:7300"
    assert settings.worker_metrics_address == "127.0.0.1:9500"


def test_an_explicit_url_wins_over_its_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWITCHBOARD_API_PORT", "9000")
    monkeypatch.setenv("SWITCHBOARD_PUBLIC_BASE_URL", "https://switchboard.example.com")
    monkeypatch.setenv("SWITCHBOARD_WORKER_METRICS_PORT", "null")
    settings = Settings()
    assert settings.public_base_url == "https://switchboard.example.com"
    assert settings.worker_metrics_address is None, "null port: metrics off"


def test_a_stack_on_other_ports_derives_its_urls_again() -> None:
    demo = Settings(public_base_url="http://127.0.0.1:8000").on_ports(
        api_port=8001, fake_twilio_port=8098, temporal_port=7234, worker_metrics_port=9465
    )
    assert demo.public_base_url == "http://127.0.0.1:8001"
    assert demo.twilio_api_base_url == "http://127.0.0.1:8098"
    assert demo.temporal_address == "127.0.0.1:7234"
    assert demo.worker_metrics_address == "127.0.0.1:9465"
    with pytest.raises(ValueError, match="api_host"):
        Settings().on_ports(api_host=1)


def test_a_taken_port_stops_the_stack_before_it_starts_naming_the_setting() -> None:
    import socket

    from devtools.stack import Stack, StackError
    from tests.fakes.server import free_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings().on_ports(
            temporal_port=free_port(),
            temporal_ui_port=free_port(),
            api_port=free_port(),
            fake_twilio_port=free_port(),
            worker_metrics_port=port,
        )
        stack = Stack(settings)
        with pytest.raises(StackError, match=f"port {port} \\(SWITCHBOARD_WORKER_METRICS_PORT\\)"):
            stack.check_ports_free()


def test_the_worker_names_the_setting_when_its_metrics_port_is_taken() -> None:
    import socket

    from switchboard.temporal import MetricsPortTaken, prometheus_runtime

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(MetricsPortTaken, match="SWITCHBOARD_WORKER_METRICS_PORT"):
            prometheus_runtime(f"127.0.0.1:{taken.getsockname()[1]}")
