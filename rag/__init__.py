"""paperchat: cited answers over a corpus of research-paper abstracts."""

from .config import Settings, load_settings
from .errors import RagError
from .types import Answer, Citation, Paper, Source

__all__ = ["Answer", "Citation", "Paper", "RagError", "Settings", "Source", "load_settings"]
