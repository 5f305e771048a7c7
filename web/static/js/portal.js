// enhancements

// ---- The dataset page (/dataset/{name}): print and copy buttons. ----
// The buttons are rendered `hidden` and shown here, so a reader without JavaScript never
// meets a button that does nothing (the browser's own print and copy still work).
(function () {
  'use strict';
  function datasetPrint() {
    var buttons = document.querySelectorAll('button[data-print]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener('click', function () { window.print(); });
    }
  }
  function datasetCopy() {
    var buttons = document.querySelectorAll('button[data-copy]');
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var source = document.getElementById(button.getAttribute('data-copy'));
        if (!source) { return; }
        var status = button.parentNode.querySelector('[role="status"]');
        function done() { if (status) { status.textContent = button.getAttribute('data-copied') || ''; } }
        function fallback() {
          source.focus();
          source.select();
          try { if (document.execCommand('copy')) { done(); } } catch (e) { /* selected: the reader copies */ }
        }
        button.hidden = false;
        button.addEventListener('click', function () {
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(source.value).then(done, fallback);
          } else {
            fallback();
          }
        });
      })(buttons[i]);
    }
  }
  function start() { datasetPrint(); datasetCopy(); }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
// ---- end of the dataset page ----
