"""The command line both fit scripts share: which dev set, whether to write the weights module."""

from __future__ import annotations

import argparse
from pathlib import Path

from eval.notes import DEV_SET


def fit_parser(doc: str | None, weights_file: Path) -> argparse.ArgumentParser:
    """``--dev-set`` and ``--write``, described by the first line of the script's ``doc``; a
    script adds its own options to the parser it gets."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n", 1)[0])
    parser.add_argument("--dev-set", type=Path, default=DEV_SET)
    parser.add_argument("--write", action="store_true", help=f"write {weights_file}")
    return parser


def publish(module_text: str, weights_file: Path, write: bool) -> None:
    """Print the generated weights module; store it in the summarizer's package with ``write``."""
    print(module_text)
    if write:
        weights_file.write_text(module_text, encoding="utf-8")
        print(f"# written to {weights_file}")
