"""The settings of the app, typed: their defaults (the embedded profile) and how the environment sets them.

Order of precedence: these defaults, then instance/config.py, then environment variables
prefixed APPELS_ (and DATABASE_URL, REDIS_URL), then the test config. Every variable, and every
setting instance/config.py gives, goes through `Settings`: "60" becomes 60, and a wrong value stops
the start with one French line per variable (settings_errors.py words it). Each variable is described
in docs/production.md.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from flask import Config
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from settings_errors import SettingsError, describe, unknown_variable

__all__ = ["SettingsError", "Settings", "defaults", "from_environment", "from_instance_file", "variable_names"]

ROOT = Path(__file__).resolve().parent
PREFIX = "APPELS_"
# read by the test suite (CI flags, the fault-injection harness), never settings of the app
READ_BY_THE_TESTS = ("REQUIRE_BROWSER", "REQUIRE_SOFFICE", "REQUIRE_REDIS", "CHROMIUM",
                     "KILL_AT", "FAULTS_LOGS", "PG_BIN")
INVALID_SETTINGS = 3  # exit status: gunicorn's "worker failed to boot", so it stops instead of retrying forever
DATABASE_SCHEMES = ("postgresql+psycopg://", "postgresql://", "postgres://", "sqlite://")


def _flag(value):
    """Read « oui » / « non » as well as what pydantic reads as a boolean (true, 1, yes, on…)."""
    if isinstance(value, str):
        return {"oui": True, "non": False}.get(value.strip().lower(), value.strip())
    return value


def _optional_text(value):
    """An empty variable means "not set": MAIL_SERVER= keeps mail local."""
    return None if isinstance(value, str) and not value.strip() else value


def _seconds_list(value):
    """« 10,60,300 » from the environment as a tuple of seconds."""
    return tuple(part.strip() for part in value.split(",")) if isinstance(value, str) else value


Flag = Annotated[bool, BeforeValidator(_flag)]
Seconds = Annotated[tuple[Annotated[int, Field(ge=0)], ...], BeforeValidator(_seconds_list)]
Text = Annotated[str | None, BeforeValidator(_optional_text)]


class Settings(BaseModel):
    """Every setting an operator may give, with its type and its embedded default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    SECRET_KEY: Text = None  # generated into instance/secret_key on first start when unset
    SQLALCHEMY_DATABASE_URI: Text = None  # None: instance/appels.sqlite3
    WORKFLOWS_FOLDER: str = str(ROOT / "workflows")
    DOC_TEMPLATES_FOLDER: str = str(ROOT / "doc_templates")
    FILES_FOLDER: Text = None  # None: instance/files
    MAIL_FOLDER: Text = None  # None: instance/mail
    LEDGER_FOLDER: Text = None  # references and mail given out, never restored over; None: beside FILES_FOLDER
    DSFR_FOLDER: str = str(ROOT / "node_modules" / "@gouvfr" / "dsfr" / "dist")
    PUBLIC_URL: Text = None  # None: where `flask run` serves (served_address), else http://127.0.0.1:5000
    MAIL_SERVER: Text = None  # no SMTP: messages are kept as .eml files under instance/mail
    MAIL_PORT: Annotated[int, Field(ge=1, le=65535)] = 25
    MAIL_USE_TLS: Flag = False
    MAIL_USE_SSL: Flag = False
    MAIL_USERNAME: Text = None
    MAIL_PASSWORD: Text = None
    MAIL_DEFAULT_SENDER: str = "Appels à projets <ne-pas-repondre@appels.localhost>"
    MAIL_TIMEOUT: Annotated[float, Field(gt=0)] = 30.0
    MAIL_POLL_SECONDS: Annotated[float, Field(gt=0)] = 2.0
    MAIL_SENDING_TIMEOUT: Annotated[float, Field(gt=0)] = 600.0
    MAIL_PREPARE_TIMEOUT: Annotated[float, Field(gt=0)] = 30.0  # "preparing" without heartbeat this long: requeued
    MAIL_LINK_MIN_MINUTES: Annotated[int, Field(ge=0)] = 5  # a sign-in link with less validity left is replaced
    PROGRAMME_MAILBOX: Text = None  # defaults to the edition's contact_email
    LOGIN_LINK_MINUTES: Annotated[int, Field(ge=1)] = 30
    UPLOAD_MAX_MB: Annotated[int, Field(ge=1)] = 20
    UPLOAD_MAX_PAGES: Annotated[int, Field(ge=1)] = 200
    UPLOAD_MAX_FILES: Annotated[int, Field(ge=1)] = 5  # files per file field when the YAML gives no max_files
    MAX_CONTENT_LENGTH: Annotated[int, Field(ge=1)] = 64 * 1024 * 1024
    RATELIMIT_ENABLED: Flag = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED: Flag = True  # Redis of the limits down: count in memory, log it
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_LOGIN: str = "5 per minute;30 per hour"  # per visitor (see TRUSTED_PROXIES)
    RATELIMIT_WORKSHOP: str = "5 per minute;30 per hour"  # workshop sign-ups per visitor
    TRUSTED_PROXIES: Annotated[int, Field(ge=0)] = 0  # reverse proxies whose X-Forwarded-For is believed
    LINKS_PER_ADDRESS_PER_HOUR: Annotated[int, Field(ge=0)] = 3  # links mailed to one address; more send nothing
    STAFF_IDLE_MINUTES: Annotated[int, Field(ge=1)] = 60  # a staff or jury session ends after this idle time
    APPLICANT_IDLE_HOURS: Annotated[int, Field(ge=1)] = 24  # an applicant's session ends after this idle time
    LOG_SIGN_IN_LINKS: Flag | None = None  # sign-in links in the log of kept mail; None: yes unless LOG_JSON
    HEALTHZ_TOKEN: Text = None  # a probe sending "Authorization: Bearer <token>" reads /healthz details
    SESSION_COOKIE_HTTPONLY: Flag = True
    SESSION_COOKIE_SAMESITE: Literal["Lax", "Strict"] = "Lax"
    SESSION_COOKIE_SECURE: Flag = False  # True in production (HTTPS); see docs/production.md
    REMEMBER_COOKIE_HTTPONLY: Flag = True
    WTF_I18N_ENABLED: Flag = False  # WTForms messages come from its own French catalogue (forms.builder)
    WTF_CSRF_TIME_LIMIT: Annotated[int, Field(ge=1)] | None = None  # a step may stay open for hours
    FROZEN_NOW: AwareDatetime | None = None  # freeze the app clock (tests, previews)
    BACKGROUND_MAIL: Flag = True  # the embedded default delivers mail from a thread of the app
    SOFFICE: Text = None  # path of LibreOffice; found on PATH when unset
    SOFFICE_PROFILES: Annotated[int, Field(ge=1)] = 4  # LibreOffice user profiles in the pool (one per conversion)
    SOFFICE_WARM: Flag = True  # keep one LibreOffice running per converting process (documents/warm.py)
    SOFFICE_PYTHON: Text = None  # LibreOffice's Python, with `uno`; None: beside soffice, else /usr/bin/python3
    SOFFICE_TIMEOUT: Annotated[float, Field(gt=0)] = 120.0  # one conversion at most; then LibreOffice is killed
    SOFFICE_START_TIMEOUT: Annotated[float, Field(gt=0)] = 60.0  # seconds a warm LibreOffice may take to start
    SOFFICE_RETRY_SECONDS: Annotated[float, Field(ge=0)] = 300.0  # after a failed warm start, convert cold this long
    LOG_JSON: Flag = False  # one JSON object per log line (production)
    REDIS_URL: Text = None  # set: documents and mail go through RQ workers (`flask --app app jobs worker`)
    JOBS_EAGER: Flag = False  # run after-commit tasks at once, in the committing thread (tests)
    JOBS_IN_THREADS: Flag = True  # without Redis, run them in a thread of the app (off in tests)
    JOBS_TIMEOUT: Annotated[int, Field(ge=1)] = 600  # seconds a worker gives one document job
    JOBS_LOST_SECONDS: Annotated[float, Field(gt=0)] = 30.0  # a running job without heartbeat this long: run again
    JOBS_RETRY_DELAYS: Seconds = (10, 60, 300)  # seconds before each new try of a failed job (RQ)
    JOBS_RELAY_SECONDS: Annotated[float, Field(gt=0)] = 5.0  # how often `jobs worker` hands over missed jobs
    JOBS_RELAY_GRACE_SECONDS: Annotated[float, Field(ge=0)] = 2.0  # younger jobs are left to their request
    REDIS_TIMEOUT_SECONDS: Annotated[float, Field(gt=0)] = 0.5  # per Redis call from a request
    FAULT_INJECTION: Flag = False  # tests/faults only: honour APPELS_KILL_AT (kill_points.py); never in production
    JOBS_RAISE: Flag = False  # a failing after-commit task raises instead of being logged (tests)
    EDITIONS_REFRESH_SECONDS: Annotated[float, Field(ge=0)] = 5.0  # how often to look for edited workflows (0: never)


def defaults(instance_path: str) -> dict:
    """The embedded profile: the defaults of `Settings`, with the files of this installation's instance/."""
    config = Settings().model_dump()
    instance = Path(instance_path)
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'appels.sqlite3'}"
    config["FILES_FOLDER"] = str(instance / "files")
    config["MAIL_FOLDER"] = str(instance / "mail")
    return config


def variable_names() -> list[str]:
    """Every environment variable the app reads, as operators write them."""
    return [PREFIX + key for key in Settings.model_fields] + ["DATABASE_URL", "REDIS_URL"]


def from_instance_file(path: Path) -> dict:
    """Read instance/config.py: the settings it names are typed as the environment's; Flask's own keys pass."""
    if not path.is_file():
        return {}
    loaded = Config(str(path.parent))
    loaded.from_pyfile(path.name)
    ours = {key: value for key, value in loaded.items() if key in Settings.model_fields}
    try:
        typed = Settings.model_validate(ours)
    except ValidationError as error:
        raise SettingsError(describe(error, ours, Settings(), source=f"{path.parent.name}/{path.name}")) from None
    return {**loaded, **_as_config(typed.model_dump(exclude_unset=True))}


def from_environment(environ: Mapping[str, str] | None = None) -> dict:
    """Read the APPELS_* variables (and DATABASE_URL, REDIS_URL) into typed settings; raise SettingsError."""
    environ = os.environ if environ is None else environ
    given: dict[str, str] = {}
    problems: list[str] = []
    for name, value in sorted(environ.items()):
        if not name.startswith(PREFIX) or name[len(PREFIX):] in READ_BY_THE_TESTS:
            continue
        key = name[len(PREFIX):]
        if key in Settings.model_fields:
            given[key] = value
        else:
            problems.append(unknown_variable(name, [PREFIX + k for k in Settings.model_fields]))
    if environ.get("REDIS_URL"):
        given["REDIS_URL"] = environ["REDIS_URL"]
    if environ.get("DATABASE_URL"):
        url = _database_url(environ["DATABASE_URL"])
        if url is None:
            problems.append("la variable DATABASE_URL ne désigne pas une base PostgreSQL ou SQLite "
                            "(par exemple postgresql://appels@db/appels).")
        else:
            given["SQLALCHEMY_DATABASE_URI"] = url
    try:
        typed = Settings.model_validate(given)
    except ValidationError as error:
        problems += describe(error, given, Settings())
        typed = None
    if problems:
        raise SettingsError(problems)
    return _as_config(typed.model_dump(exclude_unset=True))


def _database_url(url: str) -> str | None:
    """The SQLAlchemy address of DATABASE_URL (postgres:// as hosts write it → psycopg), or None."""
    if not url.startswith(DATABASE_SCHEMES):
        return None
    for short in ("postgres://", "postgresql://"):
        if url.startswith(short):
            return "postgresql+psycopg://" + url[len(short):]
    return url


def _as_config(values: dict) -> dict:
    """Flask's config holds the instant of FROZEN_NOW in UTC, as the app clock does."""
    if isinstance(values.get("FROZEN_NOW"), dt.datetime):
        values["FROZEN_NOW"] = values["FROZEN_NOW"].astimezone(dt.UTC)
    return values
