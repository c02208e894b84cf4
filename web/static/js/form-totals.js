/* Recompute the totals under a repeated group as people type (rules/computed.py computes them on the server:
   the sum of a column, or one sum per value of another column). Each total is a paragraph
   data-total-of="group" data-total-column="column" [data-total-by="column"] [data-total-whole="true"];
   its text is rewritten in the server's French format (« 150 000,00 € »). Without JavaScript the total
   shown is the one of the last page load. */
(function () {
  "use strict";
  var form = document.getElementById("form-etape");
  if (!form) { return; }
  var SPACES = /[\s\u00a0\u202f]/g;  // forms/fields.py SPACES

  /* An amount in cents as forms.fields.parse_amount reads it; null when it is not one (counts as 0). */
  function cents(text) {
    var cleaned = text.replace(SPACES, "").split("€").join("").split("EUR").join("");
    if (cleaned.split(",").length === 2 && cleaned.indexOf(".") === -1) { cleaned = cleaned.replace(",", "."); }
    var parts = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(cleaned);
    if (!parts) { return null; }
    var value = parseInt(parts[2], 10) * 100 + parseInt(((parts[3] || "") + "00").slice(0, 2), 10);
    return parts[1] ? -value : value;
  }

  function whole(text) {  // forms.fields.WholeNumberField
    var cleaned = text.replace(SPACES, "");
    return /^[+-]?[0-9]+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  function grouped(number) {  // thousands apart by a narrow no-break space, as documents/formatting.py
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  function shown(value, isWhole) {
    var sign = value < 0 ? "-" : "";
    var size = Math.abs(value);
    if (isWhole) { return sign + grouped(size); }
    var rest = String(size % 100);
    return sign + grouped(Math.floor(size / 100)) + "," + (rest.length < 2 ? "0" + rest : rest) + "\u00a0€";
  }

  /* The value of one cell as people read it (the label of a chosen option), "" when empty. */
  function reading(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      if (input.tagName === "SELECT") {
        return input.value ? input.options[input.selectedIndex].text.trim() : "";
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          var label = form.querySelector('label[for="' + input.id + '"]');
          return label ? label.textContent.trim() : input.value;
        }
        continue;
      }
      return input.value.trim();
    }
    return "";
  }

  function rows(group) {
    var pattern = new RegExp("^" + group + "-(\\d+)-");
    var found = {};
    form.querySelectorAll("[name^='" + group + "-']").forEach(function (input) {
      var match = pattern.exec(input.name);
      if (match) { found[match[1]] = true; }
    });
    return Object.keys(found).sort(function (a, b) { return a - b; });
  }

  function refresh(block) {
    var group = block.getAttribute("data-total-of");
    var column = block.getAttribute("data-total-column");
    var by = block.getAttribute("data-total-by");
    var isWhole = block.getAttribute("data-total-whole") === "true";
    var total = 0;
    var order = [];
    var sums = {};
    rows(group).forEach(function (index) {
      var text = reading(group + "-" + index + "-" + column);
      var value = (isWhole ? whole(text) : cents(text)) || 0;
      total += value;
      if (by) {
        var key = reading(group + "-" + index + "-" + by);
        if (/^[+-]?[0-9][0-9\s\u00a0\u202f]*$/.test(key)) { key = key.replace(SPACES, "").replace(/^\+/, ""); }
        if (key === "") { return; }
        if (!(key in sums)) { sums[key] = 0; order.push(key); }
        sums[key] += value;
      }
    });
    var target = block.querySelector(".appels-group__total-value");
    if (!target) { return; }
    if (!by) { target.textContent = shown(total, isWhole); return; }
    target.textContent = order.length ? order.map(function (key) {
      return key + " : " + shown(sums[key], isWhole);
    }).join(" ; ") : "—";
  }

  function refreshAll() { form.querySelectorAll("[data-total-of]").forEach(refresh); }
  form.addEventListener("input", refreshAll);
  form.addEventListener("change", refreshAll);
  refreshAll();
})();
