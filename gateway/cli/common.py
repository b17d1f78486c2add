"""What every operations command needs: settings from --config, an open gateway, the actor."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from ..config import Settings, load_settings

__all__ = ["operator", "settings_of"]


def settings_of(args: argparse.Namespace, *, must_exist: bool = True) -> Settings:
    """A missing file is an error: a command run in the wrong folder must not quietly
    open (and create) a new empty store there. Only ``demo`` runs on the defaults."""
    return load_settings(Path(args.config), must_exist=must_exist)


def operator(args: argparse.Namespace) -> str:
    """Who is acting, for the audit trail: --operator, else the login name."""
    name = getattr(args, "operator", None) or os.environ.get("USER") or getpass.getuser()
    return f"operator:{name}"
