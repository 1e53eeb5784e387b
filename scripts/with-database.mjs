// Runs a TypeScript script with DATABASE_URL set: the given one, or the local cluster's
// (started if needed). Used by `npm run user`.
//   node scripts/with-database.mjs scripts/user.ts [args...]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SetupError } from './lib/local-postgres.mjs';
import { buildTypeScript, ensureDependencies, localDatabaseUrl, personRefSecret, ROOT } from './lib/setup.mjs';

try {
  ensureDependencies();
  buildTypeScript();
  const databaseUrl = process.env.DATABASE_URL ?? (await localDatabaseUrl());
  const [script, ...args] = process.argv.slice(2);
  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, script), ...args], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: databaseUrl, PERSON_REF_SECRET: personRefSecret() },
  });
  process.exit(result.status ?? 1);
} catch (error) {
  console.error(error instanceof SetupError ? error.message : error);
  process.exit(1);
}
