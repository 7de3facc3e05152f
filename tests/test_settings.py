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
