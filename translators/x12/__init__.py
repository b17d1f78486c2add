"""X12 (ANSI ASC X12) backend: 850, 855, 856, 810, 997, 999 and TA1, both directions.

Implements the ``translators.api.Backend`` protocol.
"""

from ..acks.x12 import build_ack
from .reader import read, stream
from .tokenizer import Segment, tokenize
from .writer import write

__all__ = ["Segment", "build_ack", "read", "stream", "tokenize", "write"]
