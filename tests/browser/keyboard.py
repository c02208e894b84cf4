"""Drive a page with the keyboard alone, and check at each stop that focus is visible and moves in reading order."""

from __future__ import annotations

# What the focused element is, where it sits, and whether a focus ring shows: its own outline, the one the
# DSFR draws on its ::before (a link enlarged to its whole card or brand block), or for the DSFR's visually
# hidden radios and checkboxes, the outline drawn on their label's ::before.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const ring = (node, pseudo) => {
    const style = getComputedStyle(node, pseudo);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  };
  let visible = (ring(el, null) && getComputedStyle(el).opacity !== "0") || ring(el, "::before");
  if (!visible && el.labels) visible = [...el.labels].some((label) => ring(label, "::before"));
  const box = el.getBoundingClientRect();
  return {id: el.id, name: el.getAttribute("name"), tag: el.tagName.toLowerCase(), value: el.value ?? null,
          text: (el.innerText || "").replace(/\\s+/g, " ").trim().slice(0, 80),
          top: box.top + window.scrollY, left: box.left, ring: visible};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUS)


def press(page, key: str) -> dict:
    """Press one key and return where focus is then; fail when the focused element shows no focus ring."""
    page.keyboard.press(key)
    where = focused(page)
    assert where is not None, f"after {key} focus fell back to the page"
    assert where["ring"], f"after {key}, {where['tag']}#{where['id']} « {where['text']} » has no visible focus"
    return where


def tab_until(page, selector: str, limit: int = 80, key: str = "Tab") -> list[dict]:
    """Press Tab until the focused element matches `selector`; return every stop on the way, the last one included."""
    trail = []
    for _ in range(limit):
        trail.append(press(page, key))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return trail
    raise AssertionError(f"{selector} not reached in {limit} presses of {key}: " +
                         " → ".join(f"{s['tag']}#{s['id']}" for s in trail[-10:]))


def assert_reading_order(stops: list[dict]) -> None:
    """Each stop sits at or below the one before (same line: further right): focus follows the page as read."""
    for before, after in zip(stops, stops[1:], strict=False):
        same_line = abs(after["top"] - before["top"]) <= 4
        assert (after["top"] > before["top"] + 4) or (same_line and after["left"] >= before["left"]), (
            f"focus jumps back from {before['tag']}#{before['id']} to {after['tag']}#{after['id']}")
