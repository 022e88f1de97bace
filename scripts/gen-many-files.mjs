// Generates a tree of many small server files for memory measurements (issue 12, item 4):
//   node scripts/gen-many-files.mjs DIR [--files 100000] [--size 400] [--per-folder 100]
// Every file is a small Express-style handler of about --size bytes; one in four answers 401
// (so it passes the linter's prefilter and is parsed and analysed), the others do not. One
// package.json at the top makes the whole tree one package. DIR must not exist yet.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
if (!dir) {
  process.stderr.write('usage: node scripts/gen-many-files.mjs DIR [--files N] [--size BYTES] [--per-folder N]\n');
  process.exit(2);
}
if (existsSync(dir)) {
  process.stderr.write(`${dir} exists already\n`);
  process.exit(2);
}
const files = opt('files', 100_000);
const size = opt('size', 400);
const perFolder = opt('per-folder', 100);

function body(i) {
  const head = i % 4 === 0
    ? `// handler ${i}\nmodule.exports = function h${i}(req, res) {\n  if (!req.headers.authorization) return res.status(401).json({ error: 'login' });\n  res.json({ ok: ${i} });\n};\n`
    : `// handler ${i}\nmodule.exports = function h${i}(req, res) {\n  res.json({ ok: ${i}, path: req.path });\n};\n`;
  // padding: more statements of the same kind, up to the size asked for
  let pad = '';
  for (let k = 0; head.length + pad.length < size; k++) pad += `exports.v${k} = ${k};\n`;
  return head + pad;
}

mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'many-files', private: true, dependencies: { express: '*' } }) + '\n');
let bytes = 0;
for (let i = 0; i < files; i++) {
  const folder = join(dir, 'src', `d${Math.floor(i / perFolder)}`);
  if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
  const text = body(i);
  bytes += text.length;
  writeFileSync(join(folder, `f${i}.js`), text);
}
process.stdout.write(`${files} files, ${(bytes / 1e6).toFixed(1)} MB under ${dir}\n`);
