'use strict';
// The mini-program's copy of the client (web/miniprogram/lib/) is made from the chat page's ES modules (web/js/qabot.js,
// web/js/qabot/) by web/tools/sync-client.js; these tests fail while the copy is out of date.
// Run from the repository root:  node --test web/test/
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { staleFiles, toCommonJs } = require(path.join(__dirname, '..', 'tools', 'sync-client.js'));

test('the mini-program copy of the client is what web/js/ makes (else: npm run sync-client)', () => {
  assert.deepEqual(staleFiles(), []);
});

test('the copy loads with require() and runs the same code', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qabot-copy-'));
  fs.mkdirSync(path.join(dir, 'parts'));
  fs.writeFileSync(path.join(dir, 'parts', 'sum.js'), toCommonJs("export function sum(a, b) {\n  return a + b;\n}\n", 'parts/sum.js'));
  fs.writeFileSync(path.join(dir, 'entry.js'), toCommonJs(
    "import { sum } from './parts/sum.js';\nexport { sum } from './parts/sum.js';\nexport function twice(a) {\n  return sum(a, a);\n}\n",
    'entry.js'
  ));
  const entry = require(path.join(dir, 'entry.js'));
  assert.deepEqual(Object.keys(entry).sort(), ['sum', 'twice']);
  assert.equal(entry.twice(21), 42);
  fs.rmSync(dir, { recursive: true });
});

test('a form of import or export the copy cannot reproduce is refused, naming the line', () => {
  assert.throws(() => toCommonJs('export default function () {}\n', 'qabot/x.js'), /qabot\/x\.js:1/);
  assert.throws(() => toCommonJs('var a = 1;\nexport const b = 2;\n', 'qabot/x.js'), /qabot\/x\.js:2/);
});
