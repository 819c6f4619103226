"""docs/api.md: every citation of it in the code names a section it has."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "api.md"
CODE = ("countonme", "devices", "products", "entries", "tests")


def cited_sections() -> dict[str, set[str]]:
    """``{"§3": {"products/views.py", ...}}`` for every "docs/api.md §N" (", §M") in the code."""
    cited: dict[str, set[str]] = {}
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            for citation in re.findall(r"docs/api\.md((?:,? §\d+)+)", path.read_text()):
                for section in re.findall(r"§\d+", citation):
                    cited.setdefault(section, set()).add(str(path.relative_to(ROOT)))
    return cited


def test_every_cited_section_exists() -> None:
    headings = set(re.findall(r"^##+ (§\d+)\b", REFERENCE.read_text(), flags=re.MULTILINE))
    cited = cited_sections()
    assert len(cited) >= 10
    missing = {section: files for section, files in cited.items() if section not in headings}
    assert missing == {}


def test_no_citation_points_outside_the_repository() -> None:
    outside = {}
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            found = re.findall(r"(?<!docs/)\b(?:API|STYLE)\.md\b[^\n]*", text)
            if found and path.name != "test_docs.py":
                outside[str(path.relative_to(ROOT))] = found
    assert outside == {}
