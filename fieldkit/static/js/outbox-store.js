// The outbox: entries saved on the phone, in IndexedDB, with their photos. Used by the pages and the service
// worker alike, so it does not depend on the service worker's version: the schema has its own version, and each
// upgrade step only adds to what is there.
(function (root) {
  "use strict";
  var NAME = "fieldkit-outbox", VERSION = 1, opening = null;

  function upgrade(db, oldVersion) {
    // Add a case per new version; never drop a store that may hold entries.
    if (oldVersion < 1) {
      db.createObjectStore("entries", {keyPath: "uuid"});
      db.createObjectStore("photos", {keyPath: ["uuid", "index"]});
      db.createObjectStore("meta", {keyPath: "key"});
    }
  }

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      if (!root.indexedDB) { reject(new Error("IndexedDB is not available")); return; }
      var request = root.indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function (event) { upgrade(request.result, event.oldVersion); };
      request.onsuccess = function () {
        var db = request.result;
        // A newer page wants to upgrade the schema: let it (this page reopens on its next use).
        db.onversionchange = function () { db.close(); opening = null; };
        db.onclose = function () { opening = null; };
        resolve(db);
      };
      request.onerror = function () { opening = null; reject(request.error); };
      request.onblocked = function () { /* waits for older tabs to close their connection */ };
    });
    return opening;
  }

  // Run fn(stores) in one transaction; resolve with what fn returned once the transaction has committed.
  function tx(names, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(names, mode), result;
        var stores = {};
        names.forEach(function (n) { stores[n] = t.objectStore(n); });
        t.oncomplete = function () { resolve(result && result.__request ? result.__request.result : result); };
        t.onerror = t.onabort = function () { reject(t.error || new Error("transaction aborted")); };
        try {
          result = fn(stores, t);
        } catch (error) {
          try { t.abort(); } catch (e) { /* already over */ }
          reject(error);
        }
      });
    });
  }

  function req(request) { return {__request: request}; }

  function photoRecords(uuid, photos, asBuffers) {
    return Promise.all(photos.map(function (p) {
      var data = asBuffers ? p.blob.arrayBuffer() : Promise.resolve(p.blob);
      return data.then(function (d) { return {uuid: uuid, index: p.index, type: p.blob.type, data: d}; });
    }));
  }

  // Store an entry and its photos ([{index, blob}]) together; photos are stored as Blobs, or as ArrayBuffers
  // where the browser cannot keep Blobs in IndexedDB. Photos not in the list are removed.
  function save(entry, photos) {
    function write(records) {
      return tx(["entries", "photos"], "readwrite", function (s) {
        s.photos.delete(IDBKeyRange.bound([entry.uuid, -Infinity], [entry.uuid, Infinity]));
        records.forEach(function (r) { s.photos.put(r); });
        s.entries.put(entry);
      });
    }
    if (!photos) return tx(["entries"], "readwrite", function (s) { s.entries.put(entry); });
    return meta("blobs").then(function (blobs) {
      return photoRecords(entry.uuid, photos, blobs === false).then(write).catch(function (error) {
        if (blobs === false) throw error;
        return photoRecords(entry.uuid, photos, true).then(write).then(function () { return setMeta("blobs", false); });
      });
    });
  }

  function get(uuid) {
    return tx(["entries"], "readonly", function (s) { return req(s.entries.get(uuid)); });
  }

  function all() {
    return tx(["entries"], "readonly", function (s) { return req(s.entries.getAll()); }).then(function (list) {
      return (list || []).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    });
  }

  // Change an entry in one read-modify-write transaction; resolve with the changed entry (or null if gone).
  function update(uuid, change) {
    var changed = null;
    return tx(["entries"], "readwrite", function (s) {
      var r = s.entries.get(uuid);
      r.onsuccess = function () {
        if (!r.result) return;
        changed = Object.assign(r.result, typeof change === "function" ? change(r.result) : change);
        changed.updated_at = new Date().toISOString();
        s.entries.put(changed);
      };
    }).then(function () { return changed; });
  }

  function photo(uuid, index) {
    return tx(["photos"], "readonly", function (s) { return req(s.photos.get([uuid, index])); }).then(function (r) {
      if (!r) return null;
      return r.data instanceof Blob ? r.data : new Blob([r.data], {type: r.type || "image/jpeg"});
    });
  }

  function remove(uuid) {
    return tx(["entries", "photos"], "readwrite", function (s) {
      s.entries.delete(uuid);
      s.photos.delete(IDBKeyRange.bound([uuid, -Infinity], [uuid, Infinity]));
    });
  }

  function meta(key) {
    return tx(["meta"], "readonly", function (s) { return req(s.meta.get(key)); }).then(function (r) {
      return r ? r.value : undefined;
    });
  }

  function setMeta(key, value) {
    return tx(["meta"], "readwrite", function (s) { s.meta.put({key: key, value: value}); });
  }

  // Where Web Locks are missing: a lease in IndexedDB, taken in one transaction so two tabs cannot both take it.
  function lease(owner, ms) {
    var taken = false;
    return tx(["meta"], "readwrite", function (s) {
      var r = s.meta.get("lease");
      r.onsuccess = function () {
        var held = r.result && r.result.value;
        if (held && held.owner !== owner && held.until > Date.now()) return;
        s.meta.put({key: "lease", value: {owner: owner, until: Date.now() + ms}});
        taken = true;
      };
    }).then(function () { return taken; });
  }

  function release(owner) {
    return tx(["meta"], "readwrite", function (s) {
      var r = s.meta.get("lease");
      r.onsuccess = function () { if (r.result && r.result.value.owner === owner) s.meta.delete("lease"); };
    });
  }

  root.FK = root.FK || {};
  root.FK.store = {
    open: open, save: save, get: get, all: all, update: update, photo: photo, remove: remove,
    meta: meta, setMeta: setMeta, lease: lease, release: release,
  };
})(self);
