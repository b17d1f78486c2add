"""Pure translation library: bytes <-> the canonical model. No I/O, clock or logging.

The gateway uses only the names exported here.
"""

from .api import (
    WriteSettings,
    build_ack,
    detect,
    read,
    stream,
    target_backend,
    write,
    write_targets,
)
from .errors import (
    CanonicalJsonError,
    DetectError,
    GatewayError,
    Issue,
    RenderError,
    SizeLimitError,
    SyntaxFault,
    TranslationError,
    UnsafeXmlError,
    format_issue,
)
from .model import (
    DOCUMENT_TYPES,
    Document,
    from_dict,
    from_json,
    from_json_documents,
    to_dict,
    to_json,
    to_json_bytes,
)
from .result import Delimiters, GroupResult, InterchangeResult, MessageResult

__all__ = [
    "DOCUMENT_TYPES",
    "CanonicalJsonError",
    "Delimiters",
    "DetectError",
    "Document",
    "GatewayError",
    "GroupResult",
    "InterchangeResult",
    "Issue",
    "MessageResult",
    "RenderError",
    "SizeLimitError",
    "SyntaxFault",
    "TranslationError",
    "UnsafeXmlError",
    "WriteSettings",
    "build_ack",
    "detect",
    "format_issue",
    "from_dict",
    "from_json",
    "from_json_documents",
    "read",
    "stream",
    "target_backend",
    "to_dict",
    "to_json",
    "to_json_bytes",
    "write",
    "write_targets",
]
