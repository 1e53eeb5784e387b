// Set-up steps shared by `npm start` and `npm test`. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { databaseUrl, DATA_DIR, hardenAuditLog, ROOT, SetupError, startLocalPostgres } from './local-postgres.mjs';

export { ROOT };

export async function step(label, action) {
  const started = Date.now();
  process.stdout.write(`${label}... `);
  const result = await action();
  console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new SetupError(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  }
  return result;
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** npm dependencies: `npm ci` on a fresh clone, `npm install` when the lockfile has moved on. */
export function ensureDependencies() {
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (!existsSync(installed)) {
    console.log('Installing npm dependencies (first start only)...');
    run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  } else if (mtime(lock) > mtime(installed) || mtime(path.join(ROOT, 'package.json')) > mtime(installed)) {
    console.log('Updating npm dependencies...');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}

/** The local cluster's URL for the app role, starting the cluster if needed. */
export async function localDatabaseUrl(database) {
  const settings = await startLocalPostgres((message) => console.log(message));
  return databaseUrl(settings, database);
}

/** After migrations on the local cluster: the superuser's part of securing the audit log. */
export async function hardenLocalDatabase() {
  const settings = await startLocalPostgres(() => {});
  hardenAuditLog(settings, settings.database);
}

export const DEMO_CREDENTIALS = path.join(DATA_DIR, 'demo-credentials.json');

/** PERSON_REF_SECRET from the environment, or one generated once into .data/ (mode 0600). */
export function personRefSecret() {
  if (process.env.PERSON_REF_SECRET) return process.env.PERSON_REF_SECRET;
  const file = path.join(DATA_DIR, 'person-ref-secret');
  mkdirSync(DATA_DIR, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export function buildTypeScript() {
  run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'shared', 'server']);
}

export function prepareDatabase(url, { demo = true, replaceDemo = false, scale } = {}) {
  const args = [path.join(ROOT, 'scripts', 'prepare-database.ts'), '--credentials-file', DEMO_CREDENTIALS];
  if (!demo) args.push('--no-demo');
  if (replaceDemo) args.push('--replace-demo');
  if (scale) args.push('--scale', String(scale));
  run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), args, { env: { ...process.env, DATABASE_URL: url } });
}

function newestIn(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestIn(path.join(target, entry)));
  }
  return newest;
}

/** Builds web/dist unless it is newer than everything it is built from. */
export function buildWeb({ force = false } = {}) {
  const stamp = path.join(ROOT, 'web', 'dist', '.built');
  const sources = Math.max(
    newestIn(path.join(ROOT, 'web')),
    newestIn(path.join(ROOT, 'shared', 'src')),
    mtime(path.join(ROOT, 'package-lock.json')),
  );
  if (!force && mtime(stamp) > sources) return 'up to date';
  // Vite redraws its progress line on the terminal; keep its output unless it fails.
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new SetupError('building the web app failed; see the output above');
  }
  writeFileSync(stamp, new Date().toISOString());
  return 'built';
}
