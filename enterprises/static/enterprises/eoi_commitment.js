// The commitment step of the expression of interest: show the nominee's fields only when the CEO
// is not available (the server checks them either way).
(function () {
  "use strict";
  var box = document.getElementById("nominee-fields");
  var radios = document.querySelectorAll("input[name='commitment-ceo_available']");
  if (!box || !radios.length) return;
  function update() {
    var yes = document.querySelector("input[name='commitment-ceo_available'][value='True']");
    box.hidden = yes && yes.checked;
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
