"""``manage.py audit_numbers [--fix]``: stored rows that break the number rules, and their fixes.

The checks and the fixes are ``entries.number_audit``'s; this command prints
each finding, then what it fixed or could fix. It exits 1 when a problem is
left (so a scheduled run alerts), 0 when the numbers are clean.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from entries.number_audit import audit_numbers


class Command(BaseCommand):
    help = (
        "Find catalog foods and portions, device portions and food entries whose numbers "
        "break the physical limits, the gram weights or the rounding rule (README "
        '"Numbers"). --fix rewrites what can be derived again with certainty and prints '
        "every change; the rest is reported only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Apply the certain fixes (each is printed with the finding it answers).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_numbers(fix=options["fix"], emit=self.stdout.write)
        left = len(report.findings) - report.fixed
        if not report.findings:
            self.stdout.write("Every stored number is within the rules.")
            return
        if options["fix"]:
            self.stdout.write(f"Fixed {report.fixed} rows; {left} findings left to a person.")
        else:
            self.stdout.write(
                f"{len(report.findings)} findings, {report.fixable} with a certain fix "
                '(marked "fix:"): run with --fix to apply them.'
            )
        if left:
            raise SystemExit(1)
