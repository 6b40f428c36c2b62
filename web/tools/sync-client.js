#!/usr/bin/env node
// Writes the mini-program's CommonJS copy of the one client: web/js/qabot.js and web/js/qabot/*.js (ES modules, used
// by the chat page as they are) become web/miniprogram/lib/qabot.js and lib/qabot/*.js, which WeChat loads with
// require(). Only the import/export lines change, so line for line the copy runs the same code.
//
//   node web/tools/sync-client.js          write the copy (npm run sync-client)
//   node web/tools/sync-client.js --check  exit 1 when the copy is out of date (web/test/sync-client.test.js)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const WEB = path.resolve(__dirname, '..');
const SOURCE = path.join(WEB, 'js');
const COPY = path.join(WEB, 'miniprogram', 'lib');
const ENTRY = 'qabot.js';
const PARTS = 'qabot';

const IMPORT = /^import \{ ([\w, ]+) \} from '(\.\/[\w/.-]+\.js)';$/;
const RE_EXPORT = /^export \{ ([\w, ]+) \} from '(\.\/[\w/.-]+\.js)';$/;
const EXPORT_FUNCTION = /^export function (\w+)\(/;

function names(list) {
  return list.split(',').map((n) => n.trim()).filter(Boolean);
}

/** The CommonJS text of one ES module of the client; `relative` is its path under web/js/ (for messages). */
function toCommonJs(source, relative) {
  const exported = [];
  const reExported = [];
  const lines = source.split('\n').map((line, i) => {
    let m = IMPORT.exec(line);
    if (m) return names(m[1]).map((n) => `var ${n} = require('${m[2]}').${n};`).join(' ');
    m = RE_EXPORT.exec(line);
    if (m) {
      for (const n of names(m[1])) reExported.push(`  ${n}: require('${m[2]}').${n}`);
      return null;
    }
    m = EXPORT_FUNCTION.exec(line);
    if (m) {
      exported.push(`  ${m[1]}: ${m[1]}`);
      return line.slice('export '.length);
    }
    if (/^\s*(import|export)\b/.test(line)) {
      throw new Error(`${relative}:${i + 1}: only "import { a } from './x.js';", "export { a } from './x.js';" and ` +
        `"export function a(" can be copied for the mini-program: ${line.trim()}`);
    }
    return line;
  }).filter((line) => line !== null);
  const header = `// Generated from web/js/${relative} by web/tools/sync-client.js (npm run sync-client): edit that file, not this copy.\n'use strict';\n`;
  const body = lines.join('\n').replace(/\n+$/, '');
  return header + body + '\n\nmodule.exports = {\n' + exported.concat(reExported).join(',\n') + '\n};\n';
}

/** Every file of the copy: path under web/miniprogram/lib/ -> text. */
function build() {
  const files = new Map();
  const relatives = [ENTRY].concat(
    fs.readdirSync(path.join(SOURCE, PARTS)).filter((f) => f.endsWith('.js')).sort().map((f) => PARTS + '/' + f)
  );
  for (const relative of relatives) {
    files.set(relative, toCommonJs(fs.readFileSync(path.join(SOURCE, relative), 'utf8'), relative));
  }
  return files;
}

function copiedFiles() {
  const parts = fs.existsSync(path.join(COPY, PARTS)) ? fs.readdirSync(path.join(COPY, PARTS)) : [];
  return [ENTRY].concat(parts.filter((f) => f.endsWith('.js')).map((f) => PARTS + '/' + f))
    .filter((relative) => fs.existsSync(path.join(COPY, relative)));
}

/** What differs between the copy and the source: ["lib/qabot/ask.js is out of date", ...]; [] when in step. */
function staleFiles() {
  const wanted = build();
  const problems = [];
  for (const [relative, text] of wanted) {
    const file = path.join(COPY, relative);
    if (!fs.existsSync(file)) problems.push(`lib/${relative} is missing`);
    else if (fs.readFileSync(file, 'utf8') !== text) problems.push(`lib/${relative} is out of date`);
  }
  for (const relative of copiedFiles()) {
    if (!wanted.has(relative)) problems.push(`lib/${relative} has no source in web/js/`);
  }
  return problems;
}

function sync() {
  const wanted = build();
  fs.mkdirSync(path.join(COPY, PARTS), { recursive: true });
  for (const relative of copiedFiles()) {
    if (!wanted.has(relative)) fs.unlinkSync(path.join(COPY, relative));
  }
  for (const [relative, text] of wanted) fs.writeFileSync(path.join(COPY, relative), text);
  return [...wanted.keys()];
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const problems = staleFiles();
    for (const p of problems) console.error('web/miniprogram/' + p);
    if (problems.length) console.error('run `npm run sync-client` (node web/tools/sync-client.js)');
    process.exit(problems.length ? 1 : 0);
  }
  for (const relative of sync()) console.log('wrote web/miniprogram/lib/' + relative);
}

module.exports = { build, staleFiles, sync, toCommonJs };
