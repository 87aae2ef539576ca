"""Static extraction with libcst: facts of each module, never importing or running it.

`decompose.extraction.module.extract` does one file; importing this package does not
import libcst, so a run answered from the cache never loads the parser.
"""

from decompose.extraction.runner import ExtractionResult, extract_tree

__all__ = ["ExtractionResult", "extract_tree"]
