// Builds the two files the server serves from the ES modules in src/, without a bundler:
//   dist/switchboard.js         one ES module (`import { Switchboard } from '/switchboard.js'`)
//   dist/switchboard.global.js  a classic script defining window.Switchboard (pages without modules)
// Each module's `import … from './x.js';` lines are dropped and `export` keywords removed, then the
// modules are joined in dependency order, so top-level names must be unique across src/ (checked here).
// Usage: node build-global.mjs          writes dist/
//        node build-global.mjs --check  fails when dist/ is not what src/ builds (a test runs this)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, 'src');
const entry = join(src, 'switchboard.js');
const IMPORT = /^import \{([^}]*)\} from '(\.{1,2}\/[^']+)';$/;

/** The modules reachable from `file`, dependencies first. */
function order(file, seen = new Set(), out = []) {
  if (seen.has(file)) return out;
  seen.add(file);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('import ')) continue;
    const m = IMPORT.exec(line);
    if (!m) throw new Error(relative(root, file) + ': imports must be one line `import { a, b } from \'./x.js\';`: ' + line);
    order(join(dirname(file), m[2]), seen, out);
  }
  out.push(file);
  return out;
}

/** One module's text without imports and export keywords; `exports` collects the entry's exports. */
function strip(file, declared, exports) {
  const lines = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('import ')) continue;
    const reexport = /^export \{([^}]*)\};$/.exec(line);
    if (reexport) {
      reexport[1].split(',').forEach((n) => exports.add(n.trim()));
      continue;
    }
    const decl = /^(export )?(?:async )?(?:function\*?|class|const|let|var) ([A-Za-z_$][\w$]*)/.exec(line);
    if (decl) {
      if (declared.has(decl[2])) {
        throw new Error(relative(root, file) + ': top-level name ' + decl[2] + ' is also declared in ' + declared.get(decl[2]));
      }
      declared.set(decl[2], relative(root, file));
      if (decl[1] && file === entry) exports.add(decl[2]);
    }
    lines.push(decl && decl[1] ? line.slice('export '.length) : line);
  }
  return '// --- ' + relative(src, file) + '\n' + lines.join('\n').trim() + '\n';
}

export function build() {
  const declared = new Map();
  const exports = new Set();
  const body = order(entry).map((f) => strip(f, declared, exports)).join('\n');
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const head = '// Switchboard client ' + version + ' — built from client-js/src by client-js/build-global.mjs; do not edit.\n';
  const names = [...exports].sort();
  const esm = head + body + '\nexport { ' + names.join(', ') + ' };\n';
  const global = head + '(function (global) {\n\'use strict\';\n' + body +
    names.map((n) => 'global.' + n + ' = ' + n + ';\n').join('') + '})(typeof globalThis !== \'undefined\' ? globalThis : this);\n';
  return { 'switchboard.js': esm, 'switchboard.global.js': global };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = build();
  const dist = join(root, 'dist');
  if (process.argv.includes('--check')) {
    const stale = Object.keys(files).filter((name) => {
      try {
        return readFileSync(join(dist, name), 'utf8') !== files[name];
      } catch (e) {
        return true;
      }
    });
    if (stale.length) {
      console.error('dist is out of date (' + stale.join(', ') + '): run node client-js/build-global.mjs');
      process.exit(1);
    }
  } else {
    mkdirSync(dist, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dist, name), text);
  }
}
