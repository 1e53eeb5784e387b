// `npm start`: everything a fresh machine needs, then the server.
// 1. npm dependencies (npm ci when node_modules is missing or older than the lockfile)
// 2. PostgreSQL 15 + PostGIS and the project-local cluster (unless DATABASE_URL is set)
// 3. TypeScript build, migrations, demo data when the database is empty
// 4. the web app build (skipped when it is newer than its sources)
// 5. the server, serving API and web app on one port (PORT, default 8080)
// Plain JavaScript with Node built-ins only, since it runs before dependencies exist.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildTypeScript, buildWeb, ensureDependencies, hardenLocalDatabase, localDatabaseUrl, personRefSecret, prepareDatabase, ROOT, step,
} from './lib/setup.mjs';
import { SetupError } from './lib/local-postgres.mjs';

const { values } = parseArgs({
  options: {
    'no-demo': { type: 'boolean', default: false },
    'replace-demo': { type: 'boolean', default: false },
    'setup-only': { type: 'boolean', default: false },
    dev: { type: 'boolean', default: false },
  },
});

async function main() {
  const started = Date.now();
  ensureDependencies();
  const local = !process.env.DATABASE_URL;
  const databaseUrl = process.env.DATABASE_URL ?? (await localDatabaseUrl());
  await step('Building TypeScript', () => buildTypeScript());
  await step('Preparing the database', () => prepareDatabase(databaseUrl, {
    demo: !values['no-demo'],
    replaceDemo: values['replace-demo'],
  }));
  if (local) await hardenLocalDatabase();
  if (!values.dev) await step('Building the web app', () => buildWeb());
  console.log(`Set-up finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (values['setup-only']) return;

  const port = process.env.PORT ?? '8080';
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: port,
    PERSON_REF_SECRET: personRefSecret(),
    STATIC_DIR: values.dev ? '' : path.join(ROOT, 'web', 'dist'),
  };
  const server = spawn(process.execPath, [path.join(ROOT, 'server', 'dist', 'main.js')], { env, stdio: 'inherit' });
  const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : 'localhost';
  console.log(`\nLantern is starting on http://${host}:${port}/  (API docs: http://${host}:${port}/api/docs)`);
  console.log('Stop with Ctrl+C. `npm run db:stop` stops the local database.\n');
  if (values.dev) {
    spawn('npm', ['run', 'dev', '-w', 'web'], { cwd: ROOT, stdio: 'inherit', env });
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  if (error instanceof SetupError) {
    console.error(`\nLantern could not start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
