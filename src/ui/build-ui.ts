/**
 * Builds the dashboard (src/ui/app) into dist/ui/public: one script and one
 * stylesheet with content hashes in their names, and index.html naming them.
 * Run by `npm run build` after tsc; nothing is fetched at run time.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const source = join(root, 'src', 'ui', 'app');
const out = join(root, 'dist', 'ui', 'public');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { app: join(source, 'main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => name.endsWith('.js'));
const style = outputs.find((name) => name.endsWith('.css'));
if (!script || !style)
  throw new Error(`the dashboard build made ${outputs.join(', ')}: no script or stylesheet`);
const page = readFileSync(join(source, 'index.html'), 'utf8')
  .replace('{{script}}', `/ui/assets/${script}`)
  .replace('{{style}}', `/ui/assets/${style}`);
writeFileSync(join(out, 'index.html'), page);
copyFileSync(join(source, 'icon.svg'), join(out, 'icon.svg'));
