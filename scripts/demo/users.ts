// Demo users (admin, analyst, police, panel) for a database holding demo data only.
// Passwords are generated, printed once, and kept in .data/demo-credentials.json (0600).
import { USER_ROLES, USER_ROLE_LABELS } from '@lantern/shared';
import { existsSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { generatePassword, hashPassword } from '../../server/src/auth/passwords.js';

export async function ensureDemoUsers(databaseUrl: string, credentialsFile: string, log: (message: string) => void) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ demo: boolean; real: boolean; users: string }>(`SELECT
      EXISTS (SELECT 1 FROM import_batches WHERE is_demo AND status = 'committed') AS demo,
      EXISTS (SELECT 1 FROM incidents WHERE NOT is_demo) AS real,
      (SELECT count(*) FROM users WHERE username = ANY($1)) AS users`, [[...USER_ROLES]]);
    const state = rows[0]!;
    if (!state.demo || state.real) return;
    if (Number(state.users) > 0) {
      if (!existsSync(credentialsFile)) {
        log('Demo users exist but .data/demo-credentials.json is gone: `npm run user -- reset-password analyst` makes a new password.');
      }
      return;
    }
    const credentials: Record<string, string> = {};
    await client.query('BEGIN');
    for (const role of USER_ROLES) {
      credentials[role] = generatePassword();
      await client.query(
        `INSERT INTO users (username, display_name, role, password_hash, is_demo) VALUES ($1, $2, $3, $4, true)`,
        [role, `Demo ${USER_ROLE_LABELS[role].toLowerCase()}`, role, await hashPassword(credentials[role]!)]);
    }
    await client.query('COMMIT');
    writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    log('\nDemo users (shown once; kept in .data/demo-credentials.json):');
    for (const role of USER_ROLES) log(`  ${role.padEnd(8)} ${credentials[role]}`);
    log('');
  } finally {
    await client.end();
  }
}
