"""Static extraction with libcst: facts of each module, never importing or running it."""

from decompose.extraction.module import extract
from decompose.extraction.runner import ExtractionResult, extract_tree

__all__ = ["ExtractionResult", "extract", "extract_tree"]
