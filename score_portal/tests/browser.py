"""What the browser tests measure on a page: axe-core's serious and critical violations, a phone page that scrolls
sideways, touch targets under 24 × 24 px and focus that cannot be seen.

axe-core comes from the pinned test package axe-playwright-python (its bundled axe.min.js), injected by the test
into the page: nothing is fetched from a network and the portal itself never serves it.
"""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0 to 2.2, A and AA (target-size is in wcag22aa), and axe's best practices (landmarks, headings).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "correct-horse-battery"  # the personas' password (conftest.make_user)

_AXE = None


def axe_problems(page) -> list[str]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    global _AXE
    if _AXE is None:
        _AXE = Axe()
    page.evaluate(_AXE.axe_script)
    # Only the violations are worked out in full and sent back: axe's passes and inapplicable rules, on a
    # page with a full table, cost more to describe than to check.
    violations = page.evaluate(
        """async (tags) => {
             const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
             const results = await axe.run(document, options);
             return results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                                    targets: v.nodes.slice(0, 3).map((n) => n.target)}));
           }""",
        AXE_TAGS,
    )
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} at {v['targets']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth")


# Every control a finger presses, as it is drawn. WCAG 2.5.8 leaves out links inside a sentence (display: inline),
# and a visually hidden element (the skip link, 1 px until it has the focus) is not a target until it shows.
_SMALL_TARGETS = """() => {
  const small = [];
  const controls = 'input:not([type=hidden]), select, textarea, button, summary, [role=button], a[href]';
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || (el.tagName === 'A' && style.display === 'inline')) continue;
    if (box.width < 24 || box.height < 24) {
      const name = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
      const size = `${Math.round(box.width)}x${Math.round(box.height)} px`;
      small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${name}" ${size}`);
    }
  }
  return small;
}"""


def small_targets(page) -> list[str]:
    """The controls on the page smaller than 24 × 24 px."""
    return [f"{page.url} {target}" for target in page.evaluate(_SMALL_TARGETS)]


_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // The calendar button inside a date or time field: the field is the active element without matching :focus,
  // and Chromium rings the button itself.
  if (!el.matches(':focus')) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const name = (el.innerText || el.value || '').trim().slice(0, 30);
  return {ring, what: `${el.tagName.toLowerCase()}.${el.className} "${name}"`};
}"""


def unseen_focus(page, presses: int) -> list[str]:
    """Tab through the page from its top: each element that takes the focus must draw a solid ring of 2 px or more."""
    problems = []
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUS_RING)
        if focused and not focused["ring"]:
            problems.append(f"{page.url} no visible focus on {focused['what']}")
    return problems


def log_in(page, base_url: str, username: str, password: str = PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("[name='username']", username)
    page.fill("[name='password']", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
