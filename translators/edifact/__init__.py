"""UN/EDIFACT backend: ORDERS, ORDRSP, DESADV, INVOIC, CONTRL and APERAK.

Implements the ``translators.api.Backend`` protocol.
"""

from ..acks.edifact import build_ack
from .reader import read, stream
from .tokenizer import Segment, tokenize
from .writer import write

__all__ = ["Segment", "build_ack", "read", "stream", "tokenize", "write"]
