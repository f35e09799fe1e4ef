// Starts Signalboard without any inline script, so the page runs under a strict
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'). trunk writes the hashed
// names of the wasm-bindgen module and the wasm binary into this tag's data attributes
// (Trunk.toml `pattern_script`); a classic script, so document.currentScript finds the tag.
(function () {
  'use strict';
  var tag = document.currentScript;
  var js = new URL(tag.dataset.js, document.baseURI).href;
  var wasm = new URL(tag.dataset.wasm, document.baseURI).href;
  import(js)
    .then(function (bindings) { return bindings.default({ module_or_path: wasm }); })
    .catch(function (error) {
      console.error('Signalboard failed to start:', error);
      var note = document.createElement('p');
      note.className = 'boot-error';
      note.textContent = 'Signalboard failed to start: ' + error + '. Reload the page; if it persists, ' +
        'check that the server delivers .wasm files as application/wasm.';
      document.body.appendChild(note);
    });
})();
