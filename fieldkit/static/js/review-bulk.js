/* The review queue's "tick every entry on this page" box: shown only with this script, it ticks or clears every
   entry's box, and shows itself as mixed when only some are ticked. */
(function () {
  'use strict';
  var all = document.querySelector('[data-tick-all]');
  if (!all) return;
  var boxes = Array.from(document.querySelectorAll('input[name=entry][form=bulk-form]'));
  if (!boxes.length) return;
  all.closest('[data-tick-all-label]').hidden = false;
  function show() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.addEventListener('change', function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    show();
  });
  boxes.forEach(function (box) { box.addEventListener('change', show); });
  show();
})();
