"""The production deployment (docker-compose.yml, Dockerfile, deploy/), checked without Docker:
the files parse, every dependency can be waited for, and they agree with the code they deploy
(the search attributes, the settings, the API's routes) and with deploy/env.example.

``docker compose config`` (a parser: no daemon needed) runs too where Docker Compose is
installed, and is skipped elsewhere.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices, SecretStr, ValidationError
from temporalio.common import SearchAttributeIndexedValueType

from api.main import create_app
from api.media_main import create_media_app
from switchboard.settings import Settings
from switchboard.temporal import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
MIGRATE_SCRIPT = ROOT / "deploy" / "migrate.py"

PREFIX = str(Settings.model_config.get("env_prefix", ""))
APP_SERVICES = ("switchboard-api", "switchboard-media", "switchboard-relay", "switchboard-worker")
SERVICES = {
    "postgres",
    "temporal-admin-tools",
    "temporal",
    "temporal-create-namespace",
    "temporal-ui",
    "switchboard-migrate",
    *APP_SERVICES,
}
# Compose defaults that differ from Settings' (local) defaults on purpose.
DEPLOYMENT_OVERRIDES = {
    "SWITCHBOARD_ENVIRONMENT",
    "SWITCHBOARD_TEMPORAL_ADDRESS",
    "SWITCHBOARD_TEMPORAL_UI_URL",
    "SWITCHBOARD_STT_PROVIDER",
    "SWITCHBOARD_AGENT_PROVIDER",
    "SWITCHBOARD_TTS_PROVIDER",
    "SWITCHBOARD_TWILIO_API_BASE_URL",
}
# What an operator fills in before the first `up` (the example leaves them empty or "changeme").
FILLED_IN = {
    "POSTGRES_PASSWORD": "pg-superuser-secret",
    "TEMPORAL_DB_PASSWORD": "temporalsecret",
    "APP_DB_PASSWORD": "appsecret42",
    "SWITCHBOARD_API_KEY": "a-real-api-key",
    "SWITCHBOARD_PAYLOAD_MASTER_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "SWITCHBOARD_TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "SWITCHBOARD_TWILIO_AUTH_TOKEN": "a-real-auth-token",
    "SWITCHBOARD_ASSEMBLYAI_API_KEY": "aai-key",
    "SWITCHBOARD_OPENAI_API_KEY": "sk-key",
    "SWITCHBOARD_ELEVENLABS_API_KEY": "el-key",
}


# -- reading the files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    assert isinstance(data.get("services"), dict)
    return data


def env_example() -> dict[str, str]:
    """NAME -> value of deploy/env.example; each entry must have a comment line right above."""
    entries: dict[str, str] = {}
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", name), f"line {number}: {line!r}"
        assert name not in entries, f"{name} is listed twice"
        above = lines[number - 2].strip() if number > 1 else ""
        assert above.startswith("# ") and len(above) > 2, f"{name} has no comment line above it"
        entries[name] = value
    return entries


def strings(node: object) -> Iterator[str]:
    """Every string value of the YAML tree (compose interpolates values, not keys)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def referenced_variables(compose: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for value in strings(compose):
        text = value.replace("$$", "")
        names.update(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
        names.update(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))
    return names


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    """target -> condition (the short list form means service_started)."""
    deps = service.get("depends_on", {})
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


def as_list(command: object) -> list[str]:
    """A compose command or entrypoint (string or list) as words."""
    if command is None:
        return []
    if isinstance(command, str):
        return command.split()
    assert isinstance(command, list)
    return [str(word) for word in command]


def settings_env_names() -> set[str]:
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice.upper() for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names.add(f"{PREFIX}{name}".upper())
    return names


# -- compose interpolation (docs.docker.com/reference/compose-file/interpolation) ----------


class MissingVariable(Exception):
    """A ``${NAME:?message}`` or ``${NAME?message}`` whose variable is unset (or empty)."""


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``,
    nested defaults, ``$VAR`` and ``$$``, as Compose substitutes them."""
    out: list[str] = []
    i = 0
    while i < len(value):
        if value.startswith("$$", i):
            out.append("$")
            i += 2
        elif value.startswith("${", i):
            end = _closing_brace(value, i + 2)
            out.append(_substitute(value[i + 2 : end], env))
            i = end + 1
        elif match := re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)", value[i:]):
            out.append(env.get(match.group(1), ""))
            i += match.end()
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _closing_brace(value: str, start: int) -> int:
    depth, i = 1, start
    while i < len(value):
        if value.startswith("${", i):
            depth, i = depth + 1, i + 2
            continue
        if value[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unclosed ${{ in {value!r}")


def _substitute(expression: str, env: Mapping[str, str]) -> str:
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", expression)
    if match is None:
        raise ValueError(f"bad variable in ${{{expression}}}")
    name, rest = match.group(), expression[match.end() :]
    current = env.get(name)
    for operator in (":-", ":?", "-", "?"):
        if not rest.startswith(operator):
            continue
        argument = rest[len(operator) :]
        unset = current is None or (operator.startswith(":") and current == "")
        if operator.endswith("-"):
            return interpolate(argument, env) if unset else str(current)
        if unset:
            raise MissingVariable(f"{name}: {interpolate(argument, env)}")
        return str(current)
    if rest:
        raise ValueError(f"unsupported expression ${{{expression}}}")
    return current or ""


def service_environment(
    compose: dict[str, Any], service: str, env: Mapping[str, str]
) -> dict[str, str]:
    raw = compose["services"][service].get("environment", {})
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {key: interpolate(str(value), env) for key, value in raw.items()}


def operator_env(**overrides: str) -> dict[str, str]:
    """deploy/env.example as an operator fills it in, plus ``overrides``."""
    return {**env_example(), **FILLED_IN, **overrides}


def use_container_env(environment: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's settings variables become exactly a container's ``environment``."""
    for name in list(os.environ):
        if name.upper().startswith(PREFIX) or name.upper() == "DATABASE_URL":
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


def settings_from(environment: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings as a container with ``environment`` builds them (no .env file in /app)."""
    use_container_env(environment, monkeypatch)
    return Settings()


@pytest.fixture
def no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings reads ./.env: run where there is none."""
    monkeypatch.chdir(tmp_path)


# -- the service graph -------------------------------------------------------------------------


def test_compose_has_every_service(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        assert "image" in service or "build" in service, name


def test_every_dependency_exists_and_can_be_waited_for(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        for target, condition in depends_on(service).items():
            assert target in services, f"{name} depends on unknown service {target}"
            if condition == "service_healthy":
                test = services[target].get("healthcheck", {}).get("test")
                assert test, f"{name} waits for {target} to be healthy: it has no healthcheck"
            elif condition == "service_completed_successfully":
                # A job restarted "always" never completes; one restarted on success loops.
                restart = services[target].get("restart", "no")
                assert restart == "no", f"{target} is a one-off job but restart={restart!r}"
            else:
                assert condition == "service_started", f"{name} -> {target}: {condition}"


def test_dependencies_have_no_cycle(compose: dict[str, Any]) -> None:
    graph = {name: set(depends_on(service)) for name, service in compose["services"].items()}
    done: set[str] = set()
    while graph.keys() - done:
        ready = {name for name in graph.keys() - done if graph[name] <= done}
        assert ready, f"dependency cycle among {sorted(graph.keys() - done)}"
        done |= ready


def test_api_and_worker_wait_for_migrations_and_temporal(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        deps = depends_on(compose["services"][name])
        assert deps.get("switchboard-migrate") == "service_completed_successfully", name
        assert deps.get("temporal") == "service_healthy", name
        assert deps.get("temporal-create-namespace") == "service_completed_successfully", name
        assert deps.get("postgres") == "service_healthy", name
    services = compose["services"]
    assert depends_on(services["temporal"]).get("temporal-admin-tools") == (
        "service_completed_successfully"
    )
    assert depends_on(services["switchboard-migrate"]).get("postgres") == "service_healthy"
    assert services["switchboard-migrate"]["command"] == ["python", "deploy/migrate.py"]


def test_bind_mounts_and_job_scripts_exist(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        mounts: dict[str, Path] = {}
        for volume in service.get("volumes", []):
            source, _, rest = str(volume).partition(":")
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
                mounts[rest.split(":")[0]] = ROOT / source
        words = [*as_list(service.get("entrypoint")), *as_list(service.get("command"))]
        for word in words:
            for target, directory in mounts.items():
                if word.startswith(target + "/"):
                    script = directory / word[len(target) + 1 :]
                    assert script.is_file(), f"{name} runs {word}: {script} does not exist"


# -- the image ----------------------------------------------------------------------------------


def test_image_runs_the_api_as_a_non_root_user_and_the_worker_by_command(
    compose: dict[str, Any], no_dotenv: None
) -> None:
    instructions = [
        line.split(None, 1)
        for line in DOCKERFILE.read_text().splitlines()
        if line.strip() and not line.startswith((" ", "#"))
    ]
    assert instructions[0] == ["FROM", "python:3.11-slim"]
    shell = json.loads([rest for op, rest in instructions if op == "CMD"][-1])
    assert shell[:2] == ["sh", "-c"]
    assert shlex.split(shell[2]) == [
        "exec",  # uvicorn is PID 1: it gets the container's SIGTERM
        "uvicorn",
        "--factory",
        "api.main:app",
        "--no-access-log",  # a log line per webhook cost about as much CPU as the webhook
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
        "--workers",  # as many API processes as the settings say, as `switchboard up` starts
        f"${{SWITCHBOARD_API_WORKERS:-{Settings.model_fields['api_workers'].default}}}",
    ]
    cmd = shlex.split(shell[2])[1:]
    user = [rest for op, rest in instructions if op == "USER"][-1].split(":")[0]
    assert user not in ("root", "0")

    services = compose["services"]
    assert "command" not in services["switchboard-api"]  # the image's CMD
    assert services["switchboard-worker"]["command"] == ["python", "worker.py"]
    assert (ROOT / "worker.py").is_file()
    assert "8000:8000" in services["switchboard-api"]["ports"]
    # The healthcheck asks a route the API has, on the port the CMD listens on.
    probe = " ".join(services["switchboard-api"]["healthcheck"]["test"])
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*?)'", probe)
    assert url is not None and url.group(1) == cmd[cmd.index("--port") + 1]
    routes = {getattr(route, "path", None) for route in create_app(Settings()).routes}
    assert url.group(2) in routes

    # The media process: its own command and port, a healthcheck on a route it has.
    media = services["switchboard-media"]
    assert media["command"][:3] == ["uvicorn", "--factory", "api.media_main:app"]
    port = media["command"][-1]
    assert f"{port}:{port}" in media["ports"]
    probe = " ".join(media["healthcheck"]["test"])
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*?)'", probe)
    assert url is not None and url.group(1) == port
    media_app = create_media_app(Settings())
    assert url.group(2) == media_app.url_path_for("healthz")
    assert media_app.url_path_for("twilio_stream") == "/twilio/stream"


def test_dockerignore_keeps_secrets_out_and_runtime_files_in() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ".env" in patterns
    needed = ["pyproject.toml", "alembic.ini", "migrations", "journeys", "worker.py", "deploy"]
    needed += ["switchboard", "workflows", "activities", "api", "operations", "cli"]
    for name in needed:
        assert (ROOT / name).exists(), name
        assert not any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
    for development_only in ["devtools", "tests", "bench"]:
        assert any(fnmatch.fnmatch(development_only, p) for p in patterns), development_only


# -- Temporal -----------------------------------------------------------------------------------


def test_namespace_job_registers_exactly_the_search_attributes(compose: dict[str, Any]) -> None:
    job = compose["services"]["temporal-create-namespace"]
    registered = str(job["environment"]["KEYWORD_SEARCH_ATTRIBUTES"]).split()
    assert len(registered) == len(set(registered))
    assert set(registered) == {key.name for key in SEARCH_ATTRIBUTES}
    for key in SEARCH_ATTRIBUTES:
        assert key.indexed_value_type == SearchAttributeIndexedValueType.KEYWORD, key.name

    assert job["entrypoint"] == ["/bin/sh", "/deploy/create-namespace.sh"]
    script = (ROOT / "deploy" / "temporal" / "create-namespace.sh").read_text()
    assert '"${KEYWORD_SEARCH_ATTRIBUTES:?}"' in script
    assert re.search(r'--name "\$name" --type Keyword', script)
    assert "temporal operator search-attribute create" in script
    assert "temporal operator namespace create" in script


def test_namespace_job_and_app_use_the_same_namespace(compose: dict[str, Any]) -> None:
    for chosen in ("default", "switchboard-prod"):
        env = operator_env(SWITCHBOARD_TEMPORAL_NAMESPACE=chosen)
        job = service_environment(compose, "temporal-create-namespace", env)
        ui = service_environment(compose, "temporal-ui", env)
        for name in APP_SERVICES:
            app = service_environment(compose, name, env)
            assert app["SWITCHBOARD_TEMPORAL_NAMESPACE"] == chosen
        assert job["TEMPORAL_NAMESPACE"] == ui["TEMPORAL_DEFAULT_NAMESPACE"] == chosen


def test_schema_job_and_server_agree(compose: dict[str, Any]) -> None:
    services = compose["services"]
    server = services["temporal"]["environment"]
    admin = services["temporal-admin-tools"]["environment"]
    script = (ROOT / "deploy" / "temporal" / "setup-schema.sh").read_text()
    assert server["DB"] == "postgres12" and "--plugin postgres12" in script
    assert "/etc/temporal/schema/postgresql/v12" in script
    for database, schema in (
        (server["DBNAME"], "temporal"),
        (server["VISIBILITY_DBNAME"], "visibility"),
    ):
        assert f"{database}:{schema}" in script
    for step in (
        "create",
        "setup-schema -v 0.0",
        'update-schema -d "$SCHEMA_DIR/$schema/versioned"',
    ):
        assert step in script
    assert admin["SQL_HOST"] == server["POSTGRES_SEEDS"] == "postgres"
    assert admin["SQL_USER"] == server["POSTGRES_USER"]
    assert admin["SQL_PASSWORD"] == server["POSTGRES_PWD"]
    assert str(admin["SQL_PORT"]) == str(server["DB_PORT"])
    # The admin tools carry the schema of their own version: the two tags must move together.
    tag = re.compile(r":\$\{(\w+):-([^}]+)\}$")
    server_tag = tag.search(services["temporal"]["image"])
    for job in ("temporal-admin-tools", "temporal-create-namespace"):
        job_tag = tag.search(services[job]["image"])
        assert server_tag and job_tag and job_tag.group(2) == server_tag.group(2)
    env = env_example()
    assert env["TEMPORAL_VERSION"] == env["TEMPORAL_ADMINTOOLS_VERSION"]


# -- variables and settings ---------------------------------------------------------------------


def test_switchboard_variables_are_settings_fields(compose: dict[str, Any]) -> None:
    known = settings_env_names()
    referenced = {name for name in referenced_variables(compose) if name.startswith(PREFIX)}
    assert referenced, "compose passes no SWITCHBOARD_ variable"
    assert referenced <= known, f"not Settings fields: {sorted(referenced - known)}"
    for service in APP_SERVICES + ("switchboard-migrate",):
        passed = set(compose["services"][service]["environment"])
        assert passed <= known, f"{service}: not Settings fields: {sorted(passed - known)}"


def test_env_example_lists_exactly_the_variables_compose_reads(compose: dict[str, Any]) -> None:
    listed = set(env_example())
    referenced = referenced_variables(compose)
    assert referenced - listed == set(), "missing from deploy/env.example"
    assert listed - referenced == set(), "in deploy/env.example but unused by compose"


def test_compose_defaults_agree_with_settings_and_env_example(compose: dict[str, Any]) -> None:
    example = env_example()
    defaults: dict[str, str] = {}
    for value in strings(compose):
        for name, default in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):-([^${}]*)\}", value):
            assert defaults.setdefault(name, default) == default, f"{name}: two defaults"
    for name, default in defaults.items():
        assert example[name] in ("", default), f"env.example {name}={example[name]!r}"
        if not name.startswith(PREFIX) or name in DEPLOYMENT_OVERRIDES:
            continue
        field = Settings.model_fields[name[len(PREFIX) :].lower()].default
        if isinstance(field, SecretStr):
            field = field.get_secret_value()
        assert default == ("" if field is None else str(field)), name


def test_unedited_env_example_is_refused_in_production(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    with pytest.raises(MissingVariable, match="POSTGRES_PASSWORD"):
        service_environment(compose, "postgres", env_example())
    env = {**env_example(), "APP_DB_PASSWORD": "appsecret42"}
    environment = service_environment(compose, "switchboard-api", env)
    with pytest.raises(ValidationError) as refused:
        settings_from(environment, monkeypatch)
    for name in (
        "SWITCHBOARD_TWILIO_AUTH_TOKEN",
        "SWITCHBOARD_API_KEY",
        "SWITCHBOARD_ASSEMBLYAI_API_KEY",
        "SWITCHBOARD_OPENAI_API_KEY",
        "SWITCHBOARD_ELEVENLABS_API_KEY",
    ):
        assert name in str(refused.value)


def test_filled_in_env_reaches_the_real_vendors(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    env = operator_env()
    # The API differs only in running no relay of its own (the relay service does) and in
    # the number of its processes.
    api = service_environment(compose, "switchboard-api", env)
    assert api.pop("SWITCHBOARD_INBOX_RELAY") == "false"
    assert api.pop("SWITCHBOARD_API_WORKERS") == env.get(
        "SWITCHBOARD_API_WORKERS", str(Settings.model_fields["api_workers"].default)
    )
    for name in ("switchboard-worker", "switchboard-relay", "switchboard-migrate"):
        assert service_environment(compose, name, env) == api
    settings = settings_from(api, monkeypatch)
    assert settings.environment == "production"
    assert settings.twilio_api_base_url is None  # empty: the real api.twilio.com
    assert settings.temporal_address == "temporal:7233"
    assert settings.database_url == "postgresql://switchboard:appsecret42@postgres:5432/switchboard"
    assert settings.public_base_url == env["SWITCHBOARD_PUBLIC_BASE_URL"]
    assert settings.openai_base_url is None
    assert (settings.stt_provider, settings.agent_provider, settings.tts_provider) == (
        "assemblyai",
        "openai",
        "elevenlabs",
    )
    # An external database replaces the bundled one.
    external = "postgresql://app:pw@db.internal:5432/switchboard"
    env = operator_env(DATABASE_URL=external)
    assert service_environment(compose, "switchboard-api", env)["DATABASE_URL"] == external


# -- the migration job --------------------------------------------------------------------------


def load_migrate_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_migrate", MIGRATE_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migrate_job_refuses_bad_settings_before_touching_the_database(
    compose: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_dotenv: None,
) -> None:
    migrate = load_migrate_script()
    applied: list[str] = []
    monkeypatch.setattr(migrate, "upgrade", applied.append)
    env = {**env_example(), "APP_DB_PASSWORD": "appsecret42"}
    use_container_env(service_environment(compose, "switchboard-migrate", env), monkeypatch)
    assert migrate.main() == 2
    assert "SWITCHBOARD_TWILIO_AUTH_TOKEN" in capsys.readouterr().err
    assert applied == []


def test_migrate_job_applies_migrations_to_database_url(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    migrate = load_migrate_script()
    applied: list[str] = []
    monkeypatch.setattr(migrate, "upgrade", applied.append)
    use_container_env(
        service_environment(compose, "switchboard-migrate", operator_env()), monkeypatch
    )
    assert migrate.main() == 0
    assert applied == ["postgresql://switchboard:appsecret42@postgres:5432/switchboard"]


# -- docker compose config, where Docker Compose is installed -----------------------------------


def docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@pytest.mark.skipif(not docker_compose_available(), reason="Docker Compose is not installed")
def test_docker_compose_config_accepts_the_file() -> None:
    base = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    command = ["docker", "compose", "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE_FILE)]
    ok = subprocess.run(
        [*command, "config", "--quiet"],
        env={**base, **FILLED_IN},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    unfilled = subprocess.run(
        [*command, "config", "--quiet"],
        env=base,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unfilled.returncode != 0
    assert "PASSWORD" in unfilled.stderr


def test_the_relay_is_its_own_service_and_the_api_runs_none(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    """Acks never wait on Temporal (issue 11): the API only commits and NOTIFYs; the relay
    service hands events over."""
    services = compose["services"]
    assert services["switchboard-relay"]["command"] == ["python", "-m", "cli.main", "relay"]
    api_env = service_environment(compose, "switchboard-api", operator_env())
    relay_env = service_environment(compose, "switchboard-relay", operator_env())
    assert settings_from(api_env, monkeypatch).inbox_relay is False
    assert settings_from(relay_env, monkeypatch).inbox_relay is True
