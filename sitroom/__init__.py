"""sitroom: a sourced knowledge graph of the conflicts that news reporting describes."""

__version__ = "0.1.0"
