# Switchboard: one image for the API (default command), the worker (`python worker.py`) and the
# migration job (`python deploy/migrate.py`). See docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# 1. The runtime dependencies alone, read from pyproject.toml, so this layer is rebuilt only when
#    they change. Not the `local` extra (embedded Postgres, Temporal dev server, Whisper,
#    espeak-ng): production talks to a cluster and the vendors (docs/architecture.md;
#    tests/test_runtime_without_local_engines.py). Every dependency has a manylinux wheel for
#    CPython 3.11: no compiler needed.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# 2. The project. The source tree stays in /app and comes first on sys.path (PYTHONPATH):
#    switchboard.db.migrate finds alembic.ini and migrations/, and switchboard.message_templates finds
#    journeys/templates.yaml, relative to the package's own files.
COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# 3. A non-root user; /data is the only writable directory (settings.data_dir).
RUN groupadd --system --gid 10001 switchboard \
    && useradd --system --uid 10001 --gid switchboard --home-dir /home/switchboard \
        --create-home --shell /usr/sbin/nologin switchboard \
    && mkdir -p /data \
    && cp -r journeys /data/journeys \
    && chown -R switchboard:switchboard /data

# The processes listen on every interface (the uvicorn commands say --host 0.0.0.0); the settings
# must know it, so that they refuse to start with placeholder secrets (fail closed).
ENV PYTHONPATH=/app \
    SWITCHBOARD_DATA_DIR=/data \
    SWITCHBOARD_API_HOST=0.0.0.0

USER 10001:10001
EXPOSE 8000

# No access log: uvicorn writes one line per request at its default level, through the log
# redaction (switchboard.logs), ~1.4 ms of CPU a line measured on the benchmark machine (loaded
# at the time) against ~1.5 ms for a whole signed webhook (issue 11); the proxy in front and
# Twilio's request inspector log the requests. Errors and warnings are still logged.
# SWITCHBOARD_API_WORKERS processes share the port (settings.api_workers), as `switchboard up`
# starts them; the shell only reads the variable, exec hands PID 1 (and SIGTERM) to uvicorn.
CMD ["sh", "-c", "exec uvicorn --factory api.main:app --no-access-log --host 0.0.0.0 --port 8000 --workers \"${SWITCHBOARD_API_WORKERS:-1}\""]
