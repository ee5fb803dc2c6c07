"""The project's error family: every boundary failure becomes one of these, with a message that says what to do."""


class RagError(Exception):
    """Base class for errors the user can act on."""


class SeedError(RagError):
    """A seed file could not be read or parsed (names the file and line)."""

    def __init__(self, path: str, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


class ConfigError(RagError):
    """A setting is invalid."""


class BackendUnavailable(RagError):
    """A model or vector-store backend cannot be reached."""


class ModelMissing(RagError):
    """A model is not installed, not pulled, or its file is corrupt."""


class IndexBusy(RagError):
    """Another ingest holds the index lock."""


class IndexMissing(RagError):
    """The index has not been built yet."""


class PromptError(RagError):
    """A prompt file is missing or lacks a placeholder."""


class GenerationError(RagError):
    """The LLM failed while answering (timeout, dropped stream)."""


class InputError(RagError):
    """A question or an option from a page or an API call is not acceptable (the message says why)."""
