// `npm test`: every check, in order, the same locally and in CI:
//   lint, typecheck, unit, integration (real PostGIS), end-to-end (real server + Chromium).
// It installs what the checks need first (npm dependencies, PostgreSQL + PostGIS,
// Debian's Chromium), like `npm start` does. Ends with one line:
//   "lantern: N passed, N failed, N skipped"
// Options: --only unit|integration|e2e|lint|typecheck (repeatable).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { aptInstall, SetupError, startLocalPostgres } from './lib/local-postgres.mjs';
import { buildWeb, ensureDependencies, ROOT, step } from './lib/setup.mjs';

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } });
const wanted = (name) => !values.only || values.only.includes(name);
const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

// Debian packages the checks drive: GDAL's ogrinfo reads the OGC API (integration);
// Chromium drives the pages and poppler-utils (pdftoppm) turns printed PDFs into images (e2e).
function ensureDebianTools(tools) {
  const missing = tools.filter((tool) => !existsSync(tool.binary));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.package);
  if (process.getuid?.() !== 0) throw new SetupError(`The tests need Debian packages: apt-get install -y ${packages.join(' ')}`);
  console.log(`Installing ${packages.join(', ')} for the tests (first run only)...`);
  aptInstall(packages);
}

const results = [];

function check(name, command, args) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, seconds: (Date.now() - started) / 1000 });
}

function suite(name) {
  console.log(`\n=== ${name} tests ===`);
  const report = path.join(ARTIFACTS, `${name}-report.json`);
  rmSync(report, { force: true });
  const started = Date.now();
  const result = spawnSync(bin('vitest'), [
    'run', '--project', name, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ], { cwd: ROOT, stdio: 'inherit', env: process.env });
  const seconds = (Date.now() - started) / 1000;
  if (!existsSync(report)) {
    results.push({ name, passed: 0, failed: 1, skipped: 0, seconds });
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  // A suite that fails to load shows up as a failed file with no failed test.
  const brokenFiles = (json.testResults ?? []).filter((file) => file.status === 'failed'
    && (file.assertionResults ?? []).every((test) => test.status !== 'failed')).length;
  results.push({
    name,
    passed: json.numPassedTests,
    failed: json.numFailedTests + brokenFiles + (result.status !== 0 && json.numFailedTests === 0 && brokenFiles === 0 ? 1 : 0),
    skipped: json.numPendingTests + json.numTodoTests,
    seconds,
  });
}

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  ensureDependencies();
  if (wanted('integration') || wanted('e2e')) {
    if (!process.env.DATABASE_URL) await step('Starting the local PostgreSQL', () => startLocalPostgres(() => {}));
  }
  ensureDebianTools([
    ...(wanted('integration') ? [{ binary: '/usr/bin/ogrinfo', package: 'gdal-bin' }] : []),
    ...(wanted('e2e') ? [{ binary: '/usr/bin/chromium', package: 'chromium' }, { binary: '/usr/bin/pdftoppm', package: 'poppler-utils' }] : []),
  ]);

  if (wanted('lint')) check('lint', bin('eslint'), ['.', '--max-warnings=0']);
  if (wanted('typecheck')) check('typecheck', bin('tsc'), ['-b']);
  if (wanted('unit')) suite('unit');
  if (wanted('integration')) suite('integration');
  if (wanted('e2e')) {
    await step('Building the web app for the end-to-end tests', () => buildWeb());
    suite('e2e');
  }

  console.log('\n=== summary ===');
  for (const r of results) {
    console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped  (${r.seconds.toFixed(1)} s)`);
  }
  const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
  console.log(`lantern: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
  process.exit(total('failed') > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof SetupError ? `\nTests could not start: ${error.message}` : error);
  process.exit(1);
});
