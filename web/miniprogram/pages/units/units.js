// 按单位查看: the units of the task ledger (search by any alias), one unit's tasks grouped by document with role
// badges and deadlines, a role filter; tap a task to read its clause. Data from GET /api/units(/{name}/tasks).
const qabot = require('../../lib/qabot.js');
const config = require('../../config.js');

const ROLE_LABELS = { lead: '牵头', responsible: '负责' };
const ROLES = [
  { role: '', label: '全部' },
  { role: 'lead', label: '牵头' },
  { role: 'responsible', label: '负责' }
];

function options(extra) {
  return Object.assign({ baseUrl: config.baseUrl, apiKey: config.apiKey, timeout: config.timeout }, extra);
}

/** Units grouped by kind (server order), keeping those whose name or an alias contains the query. */
function groupUnits(units, query) {
  const q = (query || '').trim().toLowerCase();
  const groups = [];
  const byKind = {};
  (units || []).forEach((u) => {
    const names = [u.name].concat(Array.isArray(u.aliases) ? u.aliases : []);
    if (q && !names.some((n) => String(n).toLowerCase().indexOf(q) !== -1)) return;
    if (!byKind[u.kind]) {
      byKind[u.kind] = { kind: u.kind, units: [] };
      groups.push(byKind[u.kind]);
    }
    byKind[u.kind].units.push({ name: u.name, lead: u.lead, responsible: u.responsible });
  });
  return groups;
}

function toGroups(tasks) {
  return qabot.tasksByDocument(tasks).map((g, gi) => ({
    key: 'g' + gi,
    title: g.title || g.doc_no,
    meta: [g.doc_no, g.date, g.tasks.length + ' 项'].filter(Boolean).join(' · '),
    tasks: g.tasks.map((t, ti) => ({
      key: (t.chunk_id || 't') + '-' + ti,
      task: t.task || t.section || '',
      section: t.section || '',
      role: t.role,
      roleLabel: ROLE_LABELS[t.role] || t.role,
      deadline: t.deadline || '',
      co: (t.co_lead || []).map((u) => u + '（牵头）').concat(t.co_responsible || []).join('、'),
      text: t.text || '',
      open: false
    }))
  }));
}

Page({
  data: {
    query: '',
    groups: [],
    total: 0,
    loading: true,
    error: '',
    unit: '',
    role: '',
    roles: ROLES,
    docs: [],
    summary: '',
    closest: []
  },

  onLoad(query) {
    this._units = [];
    this._token = 0;
    this.loadUnits();
    if (query && query.unit) this.showUnit(decodeURIComponent(query.unit), query.role || '');
  },

  loadUnits() {
    this.setData({ loading: true, error: '' });
    return qabot.listUnits(options()).then(
      (body) => {
        this._units = body.units;
        this.setData({ loading: false, total: body.units.length, groups: groupUnits(body.units, this.data.query) });
      },
      (err) => this.setData({ loading: false, error: (err && err.message) || '单位列表加载失败' })
    );
  },

  onSearch(e) {
    const query = (e && e.detail && e.detail.value) || '';
    this.setData({ query: query, unit: '', groups: groupUnits(this._units, query) });
  },

  onConfirm() {
    const q = this.data.query.trim();
    if (!q) return;
    const shown = [].concat.apply([], this.data.groups.map((g) => g.units));
    this.showUnit(shown.length === 1 ? shown[0].name : q, '');
  },

  onPickUnit(e) {
    this.showUnit(e.currentTarget.dataset.name, '');
  },

  onRole(e) {
    if (this.data.unit) this.showUnit(this.data.unit, e.currentTarget.dataset.role || '');
  },

  onBackToList() {
    this.setData({ unit: '', docs: [], error: '', closest: [] });
  },

  onToggleTask(e) {
    const gi = Number(e.currentTarget.dataset.gi);
    const ti = Number(e.currentTarget.dataset.ti);
    const task = this.data.docs[gi] && this.data.docs[gi].tasks[ti];
    if (!task) return;
    const patch = {};
    patch['docs[' + gi + '].tasks[' + ti + '].open'] = !task.open;
    this.setData(patch);
  },

  showUnit(name, role) {
    const token = ++this._token;
    this.setData({ unit: name, role: role, docs: [], summary: '正在加载任务…', error: '', closest: [] });
    return qabot.unitTasks(options({ unit: name, role: role })).then(
      (body) => {
        if (token !== this._token) return;
        const docs = toGroups(body.tasks);
        const label = role ? ROLE_LABELS[role] : '全部';
        this.setData({ unit: body.unit, docs: docs, summary: label + '任务 ' + body.tasks.length + ' 项，涉及 ' + docs.length + ' 个文件' });
        wx.setNavigationBarTitle({ title: body.unit });
      },
      (err) => {
        if (token !== this._token) return;
        this.setData({ summary: '', error: (err && err.message) || '任务加载失败', closest: (err && err.closest) || [] });
      }
    );
  }
});
