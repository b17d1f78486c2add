"""The gateway's branch of the exception tree rooted in ``translators.errors.GatewayError``.

::

    GatewayError (translators.errors)
    ├── TranslationError ...          (translators)
    ├── ConfigError                   gateway.toml unusable
    │   └── ProfileError              a partner profile unusable (file + key located)
    ├── StoreError                    the database failed (sqlite/asyncpg translated here)
    │   ├── LeaseLost                 a job's claim was reaped and taken again: writes undone
    │   └── StoreConflict             a guarded write lost a race (retry sees the winner)
    ├── ArchiveError                  archive file missing or not matching its hash
    ├── InputRefused                  a file named by hand cannot be taken (link, FIFO, size)
    ├── PartnerAuthError              envelope sender is not the authenticated partner
    ├── DocumentNotAllowed            document kind not in the partner's inbound list
    └── ErpError                      the ERP step failed; ``retryable`` says what to do
"""

from __future__ import annotations

from translators.errors import GatewayError

from .names import shown

__all__ = [
    "ArchiveError",
    "ConfigError",
    "DocumentNotAllowed",
    "ErpError",
    "GatewayError",
    "InputRefused",
    "LeaseLost",
    "PartnerAuthError",
    "ProfileError",
    "StoreConflict",
    "StoreError",
]


class ConfigError(GatewayError):
    """Settings that cannot be used; the message names the file and key."""


class ProfileError(ConfigError):
    def __init__(self, message: str, *, path: str, key: str | None = None) -> None:
        where = f"{shown(path)}: {key}: " if key else f"{shown(path)}: "
        super().__init__(where + message)
        self.path = path
        self.key = key


class StoreError(GatewayError):
    """A database operation failed; ``from`` the driver's own exception."""


class LeaseLost(StoreError):
    """The job's lease expired and it was claimed again; this run's unit was rolled back."""


class StoreConflict(StoreError):
    """A guarded write found another writer first (e.g. a duplicate key claimed by another
    message between our read and our commit); the unit was rolled back, a retry sees why."""


class ArchiveError(GatewayError):
    """An archived payload is missing or its bytes no longer match their sha256."""


class InputRefused(GatewayError):
    """A file an operator named (``edigw receive``) is not taken: a symbolic link not
    allowed to be followed, not a regular file, larger than the payload limit, or
    unreadable. Refused before anything is stored; the message names the file."""


class PartnerAuthError(GatewayError):
    """The envelope names a sender that the authenticated partner does not own."""

    code = "23"  # EDIFACT 0085 "unknown interchange sender"; X12 TA1 006 is the analogue


class DocumentNotAllowed(GatewayError):
    """The partner's profile does not list this document kind as inbound."""


class ErpError(GatewayError):
    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
