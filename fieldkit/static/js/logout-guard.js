/* Logging out while entries wait in this phone's outbox asks first: the entries stay on the phone, but only a
   logged-in page sends them. The outbox is counted through FK.store (outbox-store.js) where the page loads it;
   elsewhere an outbox database is opened only if it already exists, so this script never creates one. */
(function (root) {
  "use strict";
  var NAME = "fieldkit-outbox";
  var WAIT_MS = 2000; // storage that does not answer in time must not keep anyone logged in

  function countExisting() {
    var idb = root.indexedDB;
    if (!idb || !idb.databases) return Promise.resolve(0);
    return idb.databases().then(function (found) {
      if (!found.some(function (d) { return d.name === NAME; })) return 0;
      return new Promise(function (resolve) {
        var request = idb.open(NAME);
        request.onerror = function () { resolve(0); };
        request.onsuccess = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("entries")) { db.close(); resolve(0); return; }
          var counted = db.transaction(["entries"], "readonly").objectStore("entries").count();
          counted.onsuccess = function () { db.close(); resolve(counted.result); };
          counted.onerror = function () { db.close(); resolve(0); };
        };
      });
    });
  }

  function waiting() {
    var store = root.FK && root.FK.store;
    var count = store ? store.all().then(function (list) { return list.length; }) : countExisting();
    var late = new Promise(function (resolve) { setTimeout(function () { resolve(0); }, WAIT_MS); });
    return Promise.race([count, late]).catch(function () { return 0; });
  }

  // In the capture phase, before the form's other listeners (outbox.js clears the kept pages on logout): they
  // run only once the logout really goes ahead.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-logout")) return;
    if (form.dataset.confirmed === "yes") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    waiting().then(function (n) {
      var question = (form.dataset.outboxConfirm || "").replace("{n}", String(n));
      if (n > 0 && !root.confirm(question)) return;
      form.dataset.confirmed = "yes";
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
  }, true);

  // A page restored from the back-forward cache asks again.
  root.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-logout]").forEach(function (form) { delete form.dataset.confirmed; });
  });
})(self);
