// Migrates the database at DATABASE_URL, loads the real geography shipped in
// data/geography (boundaries, places, street basemap) when it changed, and loads the
// demo incidents when the database holds no incidents of its own.
// Run by `npm start` (and by the test suites for their own databases).
//   tsx scripts/prepare-database.ts [--no-demo] [--replace-demo] [--seed N] [--scale X]
import { migrate } from '@lantern/server/migrate';
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SEED, generateDemo } from './demo/generator.js';
import { loadDemo } from './demo/load.js';
import { ensureDemoUsers } from './demo/users.js';
import { loadReferenceGeography } from './geodata/load.js';

export async function prepareDatabase(databaseUrl: string, options: {
  demo?: boolean; replaceDemo?: boolean; seed?: number; scale?: number; log?: (message: string) => void;
  credentialsFile?: string;
} = {}) {
  const log = options.log ?? console.log;
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
  await loadReferenceGeography(databaseUrl, log);
  if (options.demo === false) return;
  const started = Date.now();
  const dataset = generateDemo(options.seed ?? DEFAULT_DEMO_SEED, { scale: options.scale ?? 1 });
  const outcome = await loadDemo(databaseUrl, dataset, { replace: options.replaceDemo ?? false });
  if (outcome.status === 'loaded') {
    log(`Loaded demo data in ${((Date.now() - started) / 1000).toFixed(1)} s: `
      + `${outcome.locations} locations of concern, ${outcome.incidents} incidents `
      + `(${outcome.linked} linked to a nearby place).`);
  } else if (options.replaceDemo || !/already loaded/.test(outcome.reason)) {
    log(`Demo data not loaded: ${outcome.reason}.`);
  }
  if (options.credentialsFile) await ensureDemoUsers(databaseUrl, options.credentialsFile, log);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'no-demo': { type: 'boolean', default: false },
      'replace-demo': { type: 'boolean', default: false },
      seed: { type: 'string' },
      scale: { type: 'string' },
      'credentials-file': { type: 'string' },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set.');
    process.exit(2);
  }
  prepareDatabase(databaseUrl, {
    demo: !values['no-demo'],
    replaceDemo: values['replace-demo'],
    seed: values.seed ? Number(values.seed) : undefined,
    scale: values.scale ? Number(values.scale) : undefined,
    credentialsFile: values['credentials-file'],
  }).catch((error: unknown) => {
    console.error(`Preparing the database failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
