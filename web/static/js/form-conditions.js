/* Show or hide the fields whose condition depends on another answer of the same step, as people answer.
   Without JavaScript every such field stays visible, and the server ignores those whose condition fails.
   The rules are the server's: each input is read as forms/answers.py keeps it for its field type, then
   compared in the canonical form of editions/conditions.py (text trimmed, numbers as numbers, booleans
   apart). tests/fixtures/condition-vectors.json holds both sides to the same answers. */
(function () {
  "use strict";
  var form = document.getElementById("form-etape");
  if (!form) { return; }
  var SPACES = /[\s\u00a0\u202f]/g;            // forms/fields.py SPACES
  var NUMBER = /^[+-]?[0-9]+(\.[0-9]+)?$/;      // editions/conditions.py NUMBER

  /* What the browser would post for `name`: the ticked boxes as a list, else one value or null. */
  function posted(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      values.push(input.value);
    });
    if (inputs.length && inputs[0].type === "checkbox") { return values; }
    return values.length ? values[0] : null;
  }

  /* The answer the server keeps for this posted value and field type (null: not given or not valid). */
  function kept(type, value) {
    if (value === null || Array.isArray(value)) { return value; }
    var text = value.trim();
    if (type === "integer") { return wholeNumber(text); }
    if (type === "amount") { return amount(value); }
    if (type === "date") { return isoDate(text); }
    if (type === "yes_no") {
      if (value === "oui" || value === "true" || value === "True") { return true; }
      if (value === "non" || value === "false" || value === "False") { return false; }
      return null;
    }
    return text === "" ? null : text;
  }

  function wholeNumber(text) {  // forms.fields.WholeNumberField
    var cleaned = text.replace(SPACES, "");
    return /^[+-]?[0-9]+$/.test(cleaned) ? cleaned : null;
  }

  function amount(text) {  // forms.fields.parse_amount
    var cleaned = text.replace(SPACES, "").split("€").join("").split("EUR").join("");
    if (cleaned.split(",").length === 2 && cleaned.indexOf(".") === -1) { cleaned = cleaned.replace(",", "."); }
    return /^-?[0-9]+(\.[0-9]{1,2})?$/.test(cleaned) ? cleaned : null;
  }

  function isoDate(text) {  // forms.fields.FrenchDateField: 2019-09-06 or 06/09/2019
    var parts = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(text);
    var year, month, day;
    if (parts) { year = +parts[1]; month = +parts[2]; day = +parts[3]; } else {
      parts = /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/.exec(text);
      if (!parts) { return null; }
      year = +parts[3]; month = +parts[2]; day = +parts[1];
    }
    var date = new Date(Date.UTC(year, month - 1, day));
    if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      return null;
    }
    return date.toISOString().slice(0, 10);
  }

  /* editions.conditions.canonical: one comparable text per value, null when not given. */
  function canonical(value) {
    if (value === null || value === undefined) { return null; }
    if (typeof value === "boolean") { return value ? "b:true" : "b:false"; }
    var text = String(value).trim();
    if (text === "") { return null; }
    return NUMBER.test(text) ? number(text) : "s:" + text;
  }

  function number(text) {
    var sign = text.charAt(0) === "-" ? "-" : "";
    var parts = text.replace(/^[+-]/, "").split(".");
    var whole = parts[0].replace(/^0+/, "") || "0";
    var fraction = (parts[1] || "").replace(/0+$/, "");
    var digits = whole + (fraction ? "." + fraction : "");
    return "n:" + (digits === "0" ? "" : sign) + digits;
  }

  function matches(given, expected) {
    var wanted = canonical(expected);
    if (wanted === null) { return false; }
    if (Array.isArray(given)) { return given.some(function (item) { return canonical(item) === wanted; }); }
    return canonical(given) === wanted;
  }

  function empty(given) {
    return given === null || (Array.isArray(given) && given.length === 0);
  }

  function holds(condition) {
    if (condition.settled !== undefined) { return condition.settled; }  // an answer of an earlier step
    if (condition.all) { return condition.all.every(holds); }
    if (condition.any) { return condition.any.some(holds); }
    var given = kept(condition.type, posted(condition.field));
    if (condition.is_set !== undefined && condition.is_set === empty(given)) { return false; }
    if (condition.equals !== undefined && !matches(given, condition.equals)) { return false; }
    if (condition.not_equals !== undefined && matches(given, condition.not_equals)) { return false; }
    if (condition["in"] !== undefined && !condition["in"].some(function (v) { return matches(given, v); })) { return false; }
    return true;
  }

  function refresh() {
    form.querySelectorAll("[data-condition]").forEach(function (block) {
      block.hidden = !holds(JSON.parse(block.getAttribute("data-condition")));
    });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);  // as people type, not only when they leave the field
  refresh();

  var summary = document.getElementById("resume-erreurs");
  if (summary) { summary.focus(); }
})();
