// Builds the device agent as one file: dist/flotilla-agent.cjs runs with plain `node` (20+), no
// node_modules, no tsx. With --sea it is also wrapped into dist/flotilla-agent, a single executable
// (Node's SEA) that needs no Node installed. The version in its facts is package.json's, baked in here.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
/** `--out DIR` builds elsewhere (the tests build into a folder of their own). */
const outDir = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const DIST = outDir ? path.resolve(outDir) : path.join(ROOT, 'dist');
const BUNDLE = path.join(DIST, 'flotilla-agent.cjs');
const EXECUTABLE = path.join(DIST, 'flotilla-agent');
/** The fuse postject flips so the node binary runs the injected blob (Node's documented value). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Only package.json's version goes into the agent, not the whole manifest. */
const bakedVersion: Plugin = {
  name: 'baked-version',
  setup(b) {
    b.onResolve({ filter: /package\.json$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path), namespace: 'baked-version' }));
    b.onLoad({ filter: /.*/, namespace: 'baked-version' }, (args) => ({
      contents: JSON.stringify({ version: (JSON.parse(readFileSync(args.path, 'utf8')) as { version: string }).version }),
      loader: 'json',
    }));
  },
};

/** ws loads these native speed-ups when present and works without them: they are left out, as absent. */
const withoutOptionalNative: Plugin = {
  name: 'without-optional-native',
  setup(b) {
    b.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({ path: args.path, namespace: 'absent' }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({ contents: `throw new Error('${args.path} is not bundled');`, loader: 'js' }));
  },
};

/**
 * zod's namespace import carries its error messages in every language (260 KB of the bundle, ~6 MB of
 * the agent's memory); the agent needs English only, zod's default.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) => (args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: args.importer, namespace: 'zod-en' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), '../locales/en.js'))};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

async function bundle(): Promise<void> {
  mkdirSync(DIST, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'src/main/agent.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    plugins: [bakedVersion, withoutOptionalNative, zodEnglishOnly],
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(BUNDLE, 0o755);
  writeFileSync(`${BUNDLE}.sha256`, `${await sha256(BUNDLE)}  flotilla-agent.cjs\n`);
}

function singleExecutable(): void {
  const blob = path.join(DIST, 'flotilla-agent.blob');
  const seaConfig = path.join(DIST, 'sea-config.json');
  writeFileSync(seaConfig, JSON.stringify({ main: BUNDLE, output: blob, disableExperimentalSEAWarning: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
  rmSync(EXECUTABLE, { force: true });
  copyFileSync(process.execPath, EXECUTABLE);
  chmodSync(EXECUTABLE, 0o755);
  execFileSync(path.join(ROOT, 'node_modules/.bin/postject'), [EXECUTABLE, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: 'inherit' });
  rmSync(blob);
  rmSync(seaConfig);
}

async function main(): Promise<void> {
  await bundle();
  console.log(`built ${path.relative(ROOT, BUNDLE)}`);
  if (process.argv.includes('--sea')) {
    singleExecutable();
    console.log(`built ${path.relative(ROOT, EXECUTABLE)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
