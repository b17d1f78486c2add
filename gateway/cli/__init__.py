"""``edigw``: one entry point; each command group lives in its own module.

A module registers its sub-commands with ``add_parser(subparsers)`` and sets
``func`` (returning the exit status) on each parser it adds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from translators import GatewayError

from . import demo, ops, partners, translate

__all__ = ["main"]

_COMMAND_MODULES = (translate, partners, ops, demo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edigw", description="EDI partner gateway")
    parser.add_argument(
        "--config", default="gateway.toml", help="gateway settings (default ./gateway.toml)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except BrokenPipeError:  # `edigw translate big.x12 | head` is normal use
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except GatewayError as exc:  # e.g. an unusable gateway.toml: one line, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return status
