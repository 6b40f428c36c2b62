// Task ledger in the mini-program: listUnits / unitTasks / tasksByDocument in lib/qabot.js, and the 按单位查看
// page (pages/units) driven with a fake `wx` and a fake Page/setData. Run: node --test web/miniprogram/test/
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const qabot = require(path.join(__dirname, '..', 'lib', 'qabot.js'));
const config = require(path.join(__dirname, '..', 'config.js'));

const UNITS = {
  units: [
    { name: '市发展改革委', aliases: ['市发改委', '发改委'], kind: '市直部门', lead: 20, responsible: 31 },
    { name: '市邮政管理局', aliases: ['邮政管理局'], kind: '中直/驻锦单位', lead: 5, responsible: 4 },
    { name: '锦州海事局', aliases: ['海事局'], kind: '中直/驻锦单位', lead: 0, responsible: 2 }
  ],
  references: { 各有关部门: 1 }
};

function task(docId, docNo, title, name, role, extra) {
  return Object.assign(
    { doc_id: docId, doc_no: docNo, title: title, date: '2022-12-09', section: '三、体系建设 > （一）' + name, chunk_id: docId + '/' + name,
      task: name, role: role, co_units: [], co_lead: [], co_responsible: [], deadline: null, text: name + '的条款原文。' },
    extra || {}
  );
}

const POSTAL_TASKS = {
  unit: '市邮政管理局',
  tasks: [
    task('锦政发-2022-20', '锦政发〔2022〕20号', '节能减排综合工作方案', '推动交通物流领域节能减排', 'responsible', { deadline: '到2025年', co_lead: ['市交通运输局'] }),
    task('锦政办发-2022-20', '锦政办发〔2022〕20号', '农村寄递物流体系建设实施方案', '强化农村地区邮政体系支撑作用', 'lead', { co_responsible: ['市财政局'] }),
    task('锦政办发-2022-20', '锦政办发〔2022〕20号', '农村寄递物流体系建设实施方案', '建立健全末端共同配送体系', 'lead')
  ]
};

/** Fake wx.request answering GETs from a routing function (url → [status, body]); records every call. */
function installWx(route) {
  const calls = [];
  globalThis.wx = {
    request(options) {
      calls.push(options);
      const [status, body] = route(options.url);
      Promise.resolve().then(() => options.success({ statusCode: status, data: JSON.stringify(body), header: {} }));
      return { abort() {} };
    },
    setNavigationBarTitle() {},
    navigateTo() {}
  };
  return calls;
}

function server(url) {
  const u = decodeURIComponent(url);
  if (u.endsWith('/api/units')) return [200, UNITS];
  if (u.indexOf('/api/units/市邮政管理局/tasks') !== -1 || u.indexOf('/api/units/邮政管理局/tasks') !== -1) {
    const role = (/role=(\w+)/.exec(u) || [])[1];
    return [200, { unit: '市邮政管理局', tasks: POSTAL_TASKS.tasks.filter((t) => !role || t.role === role) }];
  }
  return [404, { error: { code: 'unknown_unit', message: '没有找到单位“市邮政局管理”。您要找的是不是：市邮政管理局？', closest: ['市邮政管理局'] } }];
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test('listUnits: GET {base}/api/units, key only when configured', async () => {
  const calls = installWx(server);
  const body = await qabot.listUnits({ baseUrl: 'https://qa.example.gov.cn/', apiKey: 'k1' });
  assert.equal(calls[0].url, 'https://qa.example.gov.cn/api/units');
  assert.equal(calls[0].method, 'GET');
  assert.equal(calls[0].header.Authorization, 'Bearer k1');
  assert.equal(body.units.length, 3);
  await qabot.listUnits({ baseUrl: 'https://qa.example.gov.cn' });
  assert.equal(calls[1].header.Authorization, undefined);
});

test('unitTasks: unit URL-encoded, role and doc as query parameters', async () => {
  const calls = installWx(server);
  const body = await qabot.unitTasks({ baseUrl: 'https://h', unit: '邮政管理局', role: 'lead', doc: '锦政办发〔2022〕20号' });
  assert.equal(
    calls[0].url,
    'https://h/api/units/' + encodeURIComponent('邮政管理局') + '/tasks?role=lead&doc=' + encodeURIComponent('锦政办发〔2022〕20号')
  );
  assert.equal(body.unit, '市邮政管理局');
  assert.deepEqual(body.tasks.map((t) => t.role), ['lead', 'lead']);
});

test('unitTasks: an unknown unit rejects with the closest names; an empty one without a request', async () => {
  const calls = installWx(server);
  await assert.rejects(qabot.unitTasks({ baseUrl: 'https://h', unit: '市邮政局管理' }), (err) => {
    assert.equal(err.code, 'unknown_unit');
    assert.equal(err.status, 404);
    assert.deepEqual(err.closest, ['市邮政管理局']);
    assert.match(err.message, /没有找到单位/);
    return true;
  });
  await assert.rejects(qabot.unitTasks({ baseUrl: 'https://h', unit: '  ' }), (err) => err.code === 'bad_request');
  assert.equal(calls.length, 1);
});

test('tasksByDocument: groups in the order given, one group per document', () => {
  const groups = qabot.tasksByDocument(POSTAL_TASKS.tasks);
  assert.deepEqual(groups.map((g) => [g.doc_no, g.tasks.length]), [['锦政发〔2022〕20号', 1], ['锦政办发〔2022〕20号', 2]]);
  assert.deepEqual(qabot.tasksByDocument(null), []);
});

function loadPage() {
  let def;
  globalThis.Page = (d) => { def = d; };
  const file = path.join(__dirname, '..', 'pages', 'units', 'units.js');
  delete require.cache[require.resolve(file)];
  require(file);
  delete globalThis.Page;
  const page = Object.assign({}, def, { data: JSON.parse(JSON.stringify(def.data)) });
  page.setData = function (patch) {
    for (const key of Object.keys(patch)) {
      const keys = key.replace(/\[(\d+)\]/g, '.$1').split('.');
      let o = this.data;
      for (let i = 0; i < keys.length - 1; i++) o = o[keys[i]];
      o[keys[keys.length - 1]] = patch[key];
    }
  };
  return page;
}

test('units page: list by kind, search by alias, tasks by document, role filter, clause text, unknown unit', async () => {
  const calls = installWx(server);
  const page = loadPage();
  page.onLoad({});
  await settle();
  assert.equal(calls[0].url, config.baseUrl.replace(/\/+$/, '') + '/api/units');
  assert.deepEqual(page.data.groups.map((g) => [g.kind, g.units.length]), [['市直部门', 1], ['中直/驻锦单位', 2]]);

  page.onSearch({ detail: { value: '发改委' } });
  assert.deepEqual(page.data.groups.map((g) => g.units.map((u) => u.name)), [['市发展改革委']]);
  page.onSearch({ detail: { value: '邮政' } });
  page.onConfirm(); // the only match
  await settle();
  assert.equal(page.data.unit, '市邮政管理局');
  assert.deepEqual(page.data.docs.map((d) => d.tasks.length), [1, 2]);
  const first = page.data.docs[0].tasks[0];
  assert.equal(first.roleLabel, '负责');
  assert.equal(first.deadline, '到2025年');
  assert.equal(first.co, '市交通运输局（牵头）');
  assert.equal(page.data.summary, '全部任务 3 项，涉及 2 个文件');

  page.onRole({ currentTarget: { dataset: { role: 'lead' } } });
  await settle();
  assert.match(calls[calls.length - 1].url, /role=lead$/);
  assert.equal(page.data.role, 'lead');
  assert.deepEqual(page.data.docs.map((d) => d.tasks.map((t) => t.roleLabel)), [['牵头', '牵头']]);

  page.onToggleTask({ currentTarget: { dataset: { gi: '0', ti: '1' } } });
  assert.equal(page.data.docs[0].tasks[1].open, true);
  assert.equal(page.data.docs[0].tasks[1].text, '建立健全末端共同配送体系的条款原文。');

  page.onSearch({ detail: { value: '市邮政局管理' } });
  page.onConfirm();
  await settle();
  assert.match(page.data.error, /没有找到单位/);
  assert.deepEqual(page.data.closest, ['市邮政管理局']);
  page.onPickUnit({ currentTarget: { dataset: { name: '市邮政管理局' } } });
  await settle();
  assert.equal(page.data.error, '');
  assert.equal(page.data.docs.length, 2);
});

test('units page opened with ?unit= shows that unit at once', async () => {
  installWx(server);
  const page = loadPage();
  page.onLoad({ unit: encodeURIComponent('邮政管理局'), role: 'lead' });
  await settle();
  assert.equal(page.data.unit, '市邮政管理局');
  assert.equal(page.data.role, 'lead');
});
