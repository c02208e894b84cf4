// Read by tests/browser/conftest.py: what a person would stumble on among the page's buttons and links.
// Returns {overflow: [...], duplicates: [...]} for the controls rendered at the current width.
() => {
  const rendered = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const controls = [...document.querySelectorAll("a[href], button, input[type=submit], input[type=button]")]
    .filter(rendered);
  const describe = (el) => `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}> « ${nameOf(el)} »`;
  // The name a person reads or hears: the text (hidden helper text included) or the label given in ARIA.
  const nameOf = (el) => (el.getAttribute("aria-label") || el.innerText || el.value || el.title || "")
    .replace(/\s+/g, " ").trim();
  // Where the control leads: a link's address; a submit button's form action, its own name=value and the
  // form's other hidden fields (the CSRF token aside); any other button, the element it controls.
  const targetOf = (el) => {
    if (el.tagName === "A") return "link " + el.href;
    const form = el.form;
    if (form && (el.type || "submit") === "submit") {
      const hidden = [...form.querySelectorAll("input[type=hidden]")]
        .filter((i) => i.name !== "csrf_token").map((i) => `${i.name}=${i.value}`).join("&");
      // Read the attribute: `form.action` would be a control named « action » (the step buttons are).
      const action = new URL(el.getAttribute("formaction") || form.getAttribute("action") || "", document.baseURI).href;
      return `form ${action} ${el.name}=${el.value} ${hidden}`;
    }
    return "button " + (el.getAttribute("aria-controls") || el.id || el.outerHTML);
  };
  // Two shapes are the design system's own and stay readable: an icon-only button whose label is its title
  // (the header's « Menu »), and the République française block, whose drawing spills past its link on purpose.
  const designed = (el) => el.title.trim() === nameOf(el) || el.querySelector(".fr-logo") !== null;
  const overflow = controls
    .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !designed(el))
    .map((el) => `${describe(el)} shows ${el.clientWidth} of ${el.scrollWidth} px`);
  const byName = new Map();
  for (const el of controls) {
    const name = nameOf(el).toLowerCase();
    if (!name) continue;
    if (!byName.has(name)) byName.set(name, new Map());
    byName.get(name).set(targetOf(el), el);
  }
  const duplicates = [...byName.entries()].filter(([, targets]) => targets.size > 1)
    .map(([name, targets]) => `« ${name} » leads to ${targets.size} places: ${[...targets.keys()].join(" | ")}`);
  return {overflow, duplicates};
}
