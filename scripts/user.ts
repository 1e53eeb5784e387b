// `npm run user -- <command>`: manage Lantern's users (for administrators).
//   add <username> --role analyst|police|panel|admin [--name "Full Name"]
//   reset-password <username>      disable <username>      enable <username>      list
// New and reset passwords are generated and printed once. Disabling or resetting ends
// the user's sessions.
import { USER_ROLES, USERNAME_PATTERN, type UserRole } from '@lantern/shared';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { generatePassword, hashPassword } from '../server/src/auth/passwords.js';
import { usersRepository } from '../server/src/repositories/users.js';

const USAGE = `Usage: npm run user -- add <username> --role <${USER_ROLES.join('|')}> [--name "Full Name"]
       npm run user -- reset-password <username> | disable <username> | enable <username> | list`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, username] = positionals;
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail('DATABASE_URL is not set.');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const users = usersRepository(pool);
  try {
    if (command === 'list') {
      for (const user of await users.list()) {
        console.log(`${user.username.padEnd(20)} ${user.role.padEnd(8)} ${user.disabled ? 'disabled' : 'active'}  ${user.displayName}`);
      }
      return;
    }
    if (!username) fail('Give a user name.');
    if (!new RegExp(USERNAME_PATTERN).test(username)) fail('User names are 2-40 characters: a-z, 0-9, . _ -');
    if (command === 'add') {
      const role = values.role as UserRole | undefined;
      if (!role || !USER_ROLES.includes(role)) fail(`--role must be one of ${USER_ROLES.join(', ')}.`);
      if (await users.byUsername(username)) fail(`User ${username} already exists.`);
      const password = generatePassword();
      await users.create({ username, displayName: values.name ?? username, role, passwordHash: await hashPassword(password) });
      console.log(`Added ${username} (${role}). Password, shown once: ${password}`);
    } else if (command === 'reset-password') {
      const password = generatePassword();
      if (!(await users.setPassword(username, await hashPassword(password)))) fail(`No user ${username}.`);
      console.log(`New password for ${username}, shown once: ${password}  (their sessions have ended)`);
    } else if (command === 'disable' || command === 'enable') {
      if (!(await users.setDisabled(username, command === 'disable'))) fail(`No user ${username}.`);
      console.log(`${command === 'disable' ? 'Disabled' : 'Enabled'} ${username}.`);
    } else {
      fail(`Unknown command ${command ?? ''}.`);
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`Failed: ${(error as Error).message}`);
  process.exit(1);
});
