/* Show or hide the fields whose condition depends on another answer of the same step, as people answer.
   Without JavaScript every such field stays visible, and the server ignores those whose condition fails. */
(function () {
  "use strict";
  var form = document.getElementById("form-etape");
  if (!form) { return; }

  function answer(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value !== "") { values.push(input.value); }
    });
    if (inputs.length && inputs[0].type === "checkbox") { return values; }
    var value = values.length ? values[0] : null;
    if (value === "oui") { return true; }
    if (value === "non") { return false; }
    return value;
  }

  function matches(given, expected) {
    if (Array.isArray(given)) { return given.indexOf(expected) !== -1; }
    return given === expected;
  }

  function empty(given) {
    return given === null || given === "" || (Array.isArray(given) && given.length === 0);
  }

  function holds(condition) {
    if (condition.all) { return condition.all.every(holds); }
    if (condition.any) { return condition.any.some(holds); }
    var given = answer(condition.field);
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
  refresh();

  var summary = document.getElementById("resume-erreurs");
  if (summary) { summary.focus(); }
})();
