"""Typed, located reads from a parsed TOML table: every error names the file and the key."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError, ProfileError
from .names import shown

__all__ = ["Table", "load_toml"]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: far above any real profile or gateway.toml; bounds what a wrong file can cost
MAX_TOML_BYTES = 1 << 20


def load_toml(path: Path) -> dict[str, Any]:
    """The parsed file. Profiles come from people and tools, so anything may be there:
    only a regular file of bounded size is read (a FIFO would block, /dev/zero never
    ends), and undecodable or absurdly nested content is a located error, not a crash."""
    data = _read_bounded(path)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"not a text file (byte {exc.start} is not UTF-8; TOML files are UTF-8 text)",
            path=str(path),
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not valid TOML: {exc}", path=str(path)) from exc
    except RecursionError as exc:
        raise ProfileError("not valid TOML: nested too deeply", path=str(path)) from exc


def _read_bounded(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ProfileError("not a regular file", path=str(path))
            data = fh.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_TOML_BYTES:
        limit = f"larger than {MAX_TOML_BYTES} bytes: not a settings file"
        raise ProfileError(limit, path=str(path))
    return data


class Table:
    """One TOML table with its file and dotted prefix, for located messages."""

    def __init__(self, data: Mapping[str, Any], *, path: Path, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, message: str) -> ProfileError:
        return ProfileError(message, path=str(self.path), key=self._key(key))

    def has(self, key: str) -> bool:
        return key in self.data

    def table(self, key: str) -> Table | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a table")
        return Table(value, path=self.path, prefix=f"{self._key(key)}.")

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self.data.get(key, default)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "must be a non-empty string")
        return value

    def req(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)} (got {value!r})")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def number(self, key: str, default: float, *, minimum: float = 0) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self.fail(key, f"must be a number >= {minimum}")
        return float(value)

    def str_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        return tuple(value)

    def str_map(self, key: str) -> dict[str, str]:
        value = self.data.get(key, {})
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(key, "must be a table of strings")
        return {str(k): v for k, v in value.items()}

    def sha256(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _HEX64.match(value):
            raise self.fail(key, "must be 64 lower-case hex digits (sha256 of the secret)")
        return value

    def secret(self, key: str, environ: Mapping[str, str] = os.environ) -> str | None:
        """``key = "value"`` or ``key_env = "VAR"``: resolved here, at the edge, once."""
        env_name = self.text(f"{key}_env")
        if env_name is not None:
            if env_name not in environ:
                raise self.fail(f"{key}_env", f"environment variable {env_name} is not set")
            return environ[env_name]
        return self.text(key)

    def path_of(self, key: str, default: str | None = None) -> Path | None:
        """Relative paths are relative to the file that names them."""
        value = self.text(key, default)
        if value is None:
            return None
        p = Path(value)
        return p if p.is_absolute() else (self.path.parent / p)
