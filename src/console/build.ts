// Builds the web console into dist/console with esbuild: one bundled, minified script and one
// stylesheet, plus index.html that loads them (no inline script, as the CSP requires). Skipped when
// the output is newer than every source file (`--force` builds anyway). Run by npm start and npm test.
import { mkdir, readdir, stat, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');
const APP = path.join(__dirname, 'app');
export const CONSOLE_OUT = path.join(ROOT, 'dist/console');
const STAMP = path.join(CONSOLE_OUT, '.built');
/** Sources the bundle reads: the app itself and the pure modules it imports. */
const INPUTS = [APP, path.join(ROOT, 'src/domain'), path.join(ROOT, 'package-lock.json')];

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flotilla console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;

async function newestMtime(p: string): Promise<number> {
  const s = await stat(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of await readdir(p)) newest = Math.max(newest, await newestMtime(path.join(p, entry)));
  return newest;
}

export async function consoleIsStale(outDir: string = CONSOLE_OUT): Promise<boolean> {
  const built = await stat(path.join(outDir, '.built')).then((s) => s.mtimeMs, () => 0);
  if (built === 0) return true;
  const newest = Math.max(...(await Promise.all(INPUTS.map(newestMtime))));
  return newest > built;
}

export async function buildConsole(outDir: string = CONSOLE_OUT): Promise<void> {
  const assets = path.join(outDir, 'assets');
  await mkdir(assets, { recursive: true });
  await build({
    entryPoints: [path.join(APP, 'main.tsx')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(APP, 'tsconfig.json'),
    outfile: path.join(assets, 'app.js'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(path.join(APP, 'styles.css'), path.join(assets, 'app.css'));
  await writeFile(path.join(outDir, 'index.html'), INDEX_HTML);
  await writeFile(outDir === CONSOLE_OUT ? STAMP : path.join(outDir, '.built'), new Date().toISOString());
}

/** Builds when the output is missing or older than its sources. */
export async function ensureConsoleBuilt(force = false): Promise<boolean> {
  if (!force && !(await consoleIsStale())) return false;
  await buildConsole();
  return true;
}

if (require.main === module) {
  ensureConsoleBuilt(process.argv.includes('--force')).then(
    (built) => process.stdout.write(built ? `console built into ${path.relative(process.cwd(), CONSOLE_OUT)}\n` : 'console is up to date\n'),
    (err: unknown) => {
      process.stderr.write(`console build failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
