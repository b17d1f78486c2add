"""``edigw``: one entry point; each command group lives in its own module.

A module registers its sub-commands with ``add_parser(subparsers)`` and sets
``func`` (returning the exit status) on each parser it adds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from ..errors import GatewayError
from . import demo, ops, partners, translate

__all__ = ["main"]

_COMMAND_MODULES = (translate, partners, ops, demo)
_CONFIG_HELP = "gateway settings (default ./gateway.toml); before or after the command"


def _version() -> str:
    try:
        return f"edigw {version('edigw')}"
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "edigw (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edigw", description="EDI partner gateway")
    parser.add_argument("--config", default="gateway.toml", help=_CONFIG_HELP)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.add_parser(sub)
    return parser


def _split_config(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """``--config PATH`` taken from anywhere before ``--`` (people put it after the
    command as often as before); the rest of the command line is left as it was."""
    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    pre.add_argument("--config")
    cut = list(argv).index("--") if "--" in argv else len(argv)
    found, rest = pre.parse_known_args(list(argv[:cut]))
    return found.config, rest + list(argv[cut:])


def main(argv: Sequence[str] | None = None) -> int:
    config, rest = _split_config(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(rest)
    if config is not None:
        args.config = config
    try:
        status: int = args.func(args)
    except BrokenPipeError:  # `edigw translate big.x12 | head` is normal use
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except GatewayError as exc:  # ours: the message names the file or key and the cause
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder or file the command needs (read-only, disk full ...)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    return status
