"""The durable inbound pipeline: accept -> process -> acks / ERP, driven by jobs."""

from .handlers import HANDLERS
from .inbox import Accepted, Inbox
from .worker import Worker

__all__ = ["HANDLERS", "Accepted", "Inbox", "Worker"]
