"""Acknowledgement builders: from a read interchange to the ack its standard prescribes."""
