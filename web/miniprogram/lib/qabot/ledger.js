// Generated from web/js/qabot/ledger.js by web/tools/sync-client.js (npm run sync-client): edit that file, not this copy.
'use strict';
// The task ledger: every unit (GET /api/units), one unit's tasks (GET /api/units/{name}/tasks), tasks by document.

var makeError = require('./errors.js').makeError;
var requestJson = require('./http.js').requestJson;

function getJson(options, path, isBody) {
  return requestJson(options, 'GET', path, undefined, isBody).promise;
}

/** Every unit of the task ledger, grouped by kind: {units: [{name, aliases, kind, lead, responsible}], references}. */
function listUnits(options) {
  return getJson(options || {}, '/api/units', function (b) { return !!b && Array.isArray(b.units); });
}

/** One unit's tasks across all documents: {unit (canonical name), tasks: [{doc_no, title, section, task, role, ...}]}. */
function unitTasks(options) {
  options = options || {};
  if (typeof options.unit !== 'string' || !options.unit.trim()) {
    return Promise.reject(makeError('bad_request', '请输入单位名称'));
  }
  var query = [];
  if (options.role) query.push('role=' + encodeURIComponent(options.role));
  if (options.doc) query.push('doc=' + encodeURIComponent(options.doc));
  var path = '/api/units/' + encodeURIComponent(options.unit.trim()) + '/tasks' + (query.length ? '?' + query.join('&') : '');
  return getJson(options, path, function (b) { return !!b && typeof b.unit === 'string' && Array.isArray(b.tasks); });
}

/** Tasks grouped by document, in the order the server gave them (document order). */
function tasksByDocument(tasks) {
  var groups = [];
  var byId = {};
  (Array.isArray(tasks) ? tasks : []).forEach(function (t) {
    if (!t || typeof t !== 'object') return;
    var id = t.doc_id || t.doc_no || t.title || '';
    if (!Object.prototype.hasOwnProperty.call(byId, id)) {
      byId[id] = { doc_id: t.doc_id || '', doc_no: t.doc_no || '', title: t.title || '', date: t.date || '', tasks: [] };
      groups.push(byId[id]);
    }
    byId[id].tasks.push(t);
  });
  return groups;
}

/* ------------------------------------------------------------------ */

module.exports = {
  listUnits: listUnits,
  unitTasks: unitTasks,
  tasksByDocument: tasksByDocument
};
