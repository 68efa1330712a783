"""Where every benchmark writes its figures: printed, and appended to docs/benchmarks.md."""

from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def publish(text: str) -> None:
    """Print a section of figures and append it to docs/benchmarks.md (made with its heading when missing)."""
    print(text)
    if not TARGET.exists():
        TARGET.write_text("# Benchmarks\n\nFigures measured by `make bench` on this project's machines.\n")
    with TARGET.open("a", encoding="utf-8") as out:
        out.write(text)
