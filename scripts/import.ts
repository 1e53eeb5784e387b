// `npm run import -- <file> [--kind <kind>] [--mapping m.json] [--dry-run] [--keep-outside] [--encoding utf-8|windows-1252]`
// `npm run import -- --list`           lists import batches
// `npm run import -- --rollback <id>`  rolls a batch back
// `npm run import -- --rejects <id>`   prints every rejected row of a batch
// Runs the same pipeline as the web upload (server/src/imports/pipeline.ts), with a
// progress bar on a terminal and the report at the end. Exit status 0 when the import
// committed (even with rejected rows), 1 when it failed and nothing was written.
import { IMPORT_KINDS, type ImportKind, type ImportReport } from '@lantern/shared';
import cliProgress from 'cli-progress';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate } from '@lantern/server/migrate';
import { HttpError } from '../server/src/errors.js';
import { parseMapping } from '../server/src/imports/mapping.js';
import { runImport } from '../server/src/imports/pipeline.js';
import { importsRepository } from '../server/src/repositories/imports.js';

const USAGE = `Usage: npm run import -- <file> [--kind ${IMPORT_KINDS.join('|')}] [--mapping mapping.json | --mapping '{"kind":"park"}']
                         [--dry-run] [--keep-outside] [--encoding utf-8|windows-1252]
       --keep-outside keeps a whole force file's incidents outside the district (counted only with extent=all)
       npm run import -- --list | --rollback <batch id> | --rejects <batch id>`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

export function printReport(report: ImportReport, log = console.log) {
  log(`${report.dryRun ? 'Dry run (nothing written)' : `Batch ${report.batchId}`}: ${report.filename} as ${report.kind}${report.detected ? ' (detected)' : ''}, ${report.encoding}, ${report.seconds} s`);
  log(`  read ${report.read}, accepted ${report.accepted}, updated ${report.updated}, duplicates skipped ${report.duplicates}, rejected ${report.rejected} (of which outside the district ${report.outsideDistrict})`);
  if (report.keptOutside) log(`  kept outside the district ${report.keptOutside} (counted only with extent=all)`);
  for (const [reason, count] of Object.entries(report.rejectedByReason)) log(`    ${reason}: ${count}`);
  if (report.areaCodeDisagreements) log(`  ${report.areaCodeDisagreements} rows lie outside the LSOA their file names (placed by point-in-polygon)`);
  for (const note of report.notes) log(`  note: ${note}`);
  const shown = report.rejects.slice(0, 20);
  for (const reject of shown) log(`  line ${reject.row}${reject.field ? ` ${reject.field}` : ''}: ${reject.reason}: ${reject.message}`);
  if (report.rejected > shown.length && report.batchId) log(`  ... all rejected rows: npm run import -- --rejects ${report.batchId}`);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'keep-outside': { type: 'boolean', default: false },
      encoding: { type: 'string' },
      list: { type: 'boolean', default: false },
      rollback: { type: 'string' },
      rejects: { type: 'string' },
      user: { type: 'string', default: process.env.USER ?? 'cli' },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail('DATABASE_URL is not set.');
  // A database that `npm start` has not prepared yet gets Lantern's tables first.
  await migrate(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'lantern-import' });
  const batches = importsRepository(pool);
  try {
    if (values.list) {
      for (const batch of await batches.list(1000)) {
        console.log(`${String(batch.id).padStart(5)}  ${batch.status.padEnd(11)} ${batch.kind.padEnd(18)} ${String(batch.liveRows).padStart(8)} live  ${batch.startedAt}  ${batch.filename ?? ''}${batch.isDemo ? ' (demo)' : ''}${batch.error ? `  ${batch.error}` : ''}`);
      }
      return;
    }
    const batchId = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : fail(`${JSON.stringify(text)} is not a batch id`));
    if (values.rollback !== undefined) {
      const result = await batches.rollback(batchId(values.rollback));
      console.log(`Batch ${result.batch.id} rolled back: ${result.removed} rows removed, ${result.restored} restored.`);
      return;
    }
    if (values.rejects !== undefined) {
      const id = batchId(values.rejects);
      for (let offset = 0; ; offset += 10000) {
        const page = await batches.rejects(id, 10000, offset);
        if (!page) fail(`There is no batch ${id}.`);
        for (const reject of page.rejects) console.log(`${reject.row}\t${reject.field ?? ''}\t${reject.reason}\t${reject.message}`);
        if (page.rejects.length < 10000) break;
      }
      return;
    }
    const [file] = positionals;
    if (!file) fail('Give the file to import.');
    if (!existsSync(file)) fail(`${file} does not exist.`);
    const kind = values.kind ?? 'detect';
    if (kind !== 'detect' && !IMPORT_KINDS.includes(kind as ImportKind)) fail(`--kind must be one of ${IMPORT_KINDS.join(', ')}`);
    if (values.encoding && !['utf-8', 'windows-1252'].includes(values.encoding)) fail('--encoding must be utf-8 or windows-1252');
    const mappingText = values.mapping === undefined ? undefined
      : values.mapping.trim().startsWith('{') ? values.mapping : readFileSync(values.mapping, 'utf8');
    const total = statSync(file).size;
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'importing [{bar}] {percentage}% | {rows} rows | {eta}s left', stream: process.stderr },
        cliProgress.Presets.shades_classic)
      : null;
    bar?.start(total, 0, { rows: 0 });
    const report = await runImport({
      pool,
      input: createReadStream(file),
      filename: file,
      kind: kind as ImportKind | 'detect',
      mapping: parseMapping(mappingText),
      encoding: values.encoding as 'utf-8' | 'windows-1252' | undefined,
      dryRun: values['dry-run'],
      keepOutside: values['keep-outside'],
      user: values.user!,
      secret: process.env.PERSON_REF_SECRET ?? '',
      onProgress: ({ bytes, rows }) => bar?.update(bytes, { rows }),
    }).finally(() => bar?.stop());
    printReport(report);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  if (error instanceof HttpError) {
    console.error(`Import failed, nothing was written: ${error.message}`);
  } else {
    console.error('Import failed, nothing was written:', error);
  }
  process.exit(1);
});
