"""The device page's chart: calories eaten per day against the goal, as inline SVG.

Drawn on the server from the daily totals: no script, no stylesheet, no
asset from elsewhere, so it renders under a strict Content-Security-Policy.
Colours and lines are SVG presentation attributes, not ``style``.
"""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from countonme.base.numbers import readable_number

WIDTH, HEIGHT = 820, 260
# The right margin holds the goal's label, clear of the bars.
LEFT, RIGHT, TOP, BOTTOM = 56, 112, 16, 40
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# The Django admin's own palette, so the chart sits well on its pages.
UNDER_GOAL, OVER_GOAL, NO_GOAL = "#79aec8", "#ba2121", "#417690"
GOAL_LINE, GRID, TEXT = "#e1a000", "#e8e8e8", "#666666"


def kcal(value: Decimal | int) -> str:
    """Whole kilocalories as people read them: "1,850" (the locale's separators)."""
    return readable_number(value, places=0, localize=True)


def _n(coordinate: float) -> str:
    """A coordinate with one decimal: short markup, sub-pixel precision."""
    return f"{coordinate:.1f}"


def _scale_top(highest: Decimal) -> tuple[int, int]:
    """The y axis' top and gridline step: round numbers a little above ``highest``."""
    step = 500 if highest <= 4000 else 1000
    top = max(step * 2, int((highest * Decimal("1.1") + step - 1) // step) * step)
    return top, step


def _value_label(x: float, bar_top: float, bar_height: float, value: Decimal) -> SafeString:
    """The bar's kcal written on it, upright text read bottom to top.

    Inside the bar's top (white) when it is tall enough, above it otherwise:
    30 bars leave no room for horizontal numbers.
    """
    if not value:
        return SafeString("")
    inside = bar_height > 40
    anchor_y = bar_top + 4 if inside else bar_top - 4
    return format_html(
        '<text class="bar-value" x="{}" y="{}" transform="rotate(-90 {} {})" '
        'text-anchor="{}" dominant-baseline="central" font-size="10" fill="{}">{}</text>',
        _n(x),
        _n(anchor_y),
        _n(x),
        _n(anchor_y),
        "end" if inside else "start",
        "#ffffff" if inside else TEXT,
        kcal(value),
    )


def calorie_chart_svg(
    days: Sequence[tuple[date, Decimal]],
    goal_kcal: int | None,
    link: Callable[[date], str] | None = None,
) -> SafeString:
    """An SVG bar chart of ``(day, kcal)`` with the daily goal as a dashed line.

    Bars above the goal are red; with no goal all bars are blue. Each bar
    shows its kcal as text and has a ``<title>`` (the day and its kcal) that
    browsers show on hover and screen readers read. With ``link``, each bar
    and its value link to ``link(day)`` (the device page's day).
    """
    highest = max([value for _, value in days] + [Decimal(goal_kcal or 0), Decimal(1)])
    top, step = _scale_top(highest)
    slot = PLOT_WIDTH / max(len(days), 1)

    def y(value: Decimal | int, shift: float = 0) -> str:
        return _n(TOP + PLOT_HEIGHT * (1 - float(value) / top) + shift)

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>',
        (
            (LEFT, y(v), WIDTH - RIGHT, y(v), GRID, LEFT - 6, y(v, 4), TEXT, kcal(v))
            for v in range(0, top + 1, step)
        ),
    )

    def bar(index: int, day: date, value: Decimal) -> SafeString:
        height = PLOT_HEIGHT * float(value) / top
        drawn = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} kcal</title></rect>'
            "{}",
            _n(LEFT + slot * (index + 0.15)),
            y(value),
            _n(slot * 0.7),
            _n(height),
            NO_GOAL if goal_kcal is None else OVER_GOAL if value > goal_kcal else UNDER_GOAL,
            f"{day:%a %d %b}",
            kcal(value),
            _value_label(LEFT + slot * (index + 0.5), float(y(value)), height, value),
        )
        if link is None:
            return drawn
        return format_html(
            '<a href="{}" aria-label="{}: {} kcal">{}</a>',
            link(day),
            f"{day:%a %d %b}",
            kcal(value),
            drawn,
        )

    bars = format_html_join("", "{}", ((bar(i, d, v),) for i, (d, v) in enumerate(days)))
    labelled = [i for i in range(len(days)) if i % 5 == 0 or i == len(days) - 1]
    day_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        (
            (_n(LEFT + slot * (i + 0.5)), HEIGHT - BOTTOM + 16, TEXT, f"{days[i][0]:%d %b}")
            for i in labelled
        ),
    )
    goal = ""
    if goal_kcal is not None:
        goal = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
            '<text x="{}" y="{}" font-size="12" font-weight="bold" '
            'fill="{}">goal {} kcal</text>',
            LEFT,
            y(goal_kcal),
            WIDTH - RIGHT,
            y(goal_kcal),
            GOAL_LINE,
            WIDTH - RIGHT + 6,
            y(goal_kcal, 4),
            GOAL_LINE,
            kcal(goal_kcal),
        )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
        LEFT,
        TOP + PLOT_HEIGHT,
        WIDTH - RIGHT,
        TOP + PLOT_HEIGHT,
        TEXT,
    )
    summary = (
        f"Calories per day from {days[0][0]:%d %b %Y} to {days[-1][0]:%d %b %Y}"
        if days
        else "No days"
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="calorie-chart" role="img" '
        'viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}" '
        'font-family="sans-serif">{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        summary,
        grid,
        bars,
        axis,
        day_labels,
        goal,
    )
