"""The asyncio EDI gateway service: transports, pipeline, store, connectors, CLI."""
