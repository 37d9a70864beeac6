"""Herald: publish a Markdown knowledge base to chat."""

__version__ = "0.1.0"
