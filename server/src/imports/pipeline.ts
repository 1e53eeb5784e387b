// One import, whatever its kind and wherever it comes from (CLI or web upload):
//   bytes -> encoding check -> text -> CSV records or GeoJSON features (streamed)
//   -> converted rows -> COPY into a temporary staging table -> merge into the live tables
// all inside one transaction that also writes the batch and its rejects. Memory stays
// bounded whatever the file's size; any failure rolls back to exactly the state before.
// Raw rows are never stored: a rejected row is kept as line, field and reason only,
// since a raw row may hold a person's identifier.
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chain } from 'stream-chain';
import { parser as jsonParser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { ImportKind, ImportMapping, ImportReport, RejectedRow } from '@lantern/shared';
import { prepareDistrict } from './district.js';
import { ImportError } from './errors.js';
import type { Problem } from './fields.js';
import type { Converted, Format, GeoFeature } from './format.js';
import { incidentsCsvFormat, incidentsGeoJsonFormat, policeUkFormat, stopSearchFormat } from './incidents.js';
import { areasFormat, locationsCsvFormat, locationsFormat } from './places.js';
import { populationFormat } from './population.js';
import { DecodeStream, detectEncoding, peek, type TextEncoding } from './text.js';

export interface ImportProgress {
  bytes: number;
  rows: number;
}

export interface ImportOptions {
  pool: pg.Pool;
  input: Readable;
  filename: string;
  kind?: ImportKind | 'detect';
  mapping?: ImportMapping;
  encoding?: TextEncoding;
  dryRun?: boolean;
  /** Incidents outside the district are kept (a whole force file), counted only with extent=all. */
  keepOutside?: boolean;
  /** Who imports: kept with the batch. */
  user: string;
  /** PERSON_REF_SECRET, for files with person identifiers. */
  secret: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Throws when the input was not read whole (an upload truncated at its size limit). */
  assertComplete?: () => void;
  now?: Date;
}

const REPORTED_REJECTS = 200;
const CUT_OFF = 'the file could not be read to the end (was the upload cut off?); nothing was written';
const PROGRESS_EVERY = 5000;
/** Longer than any real row: a quote left open would otherwise read the rest of the file into memory. */
const MAX_ROW_CHARS = 1 << 20;

/** The kind of file from its first bytes (and name). */
export function detectKind(head: string, filename: string): ImportKind {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[') || /\.(geo)?json$/i.test(filename)) {
    if (/"(lsoa|msoa|wd|lad)\d{2}cd"\s*:/i.test(text) || /"CODE"\s*:\s*"[EWSN]0\d{7}"/.test(text)) return 'areas-geojson';
    if (/"type"\s*:\s*"Point"/.test(text) && /"(occurred_at|datetime|date)"\s*:/i.test(text) && /"category"\s*:/i.test(text)) {
      return 'incidents-geojson';
    }
    return 'locations-geojson';
  }
  const header = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  if (header.includes('Crime ID') && header.includes('Crime type') && header.includes('LSOA code')) return 'police-uk';
  if (header.includes('Object of search') && header.includes('Legislation')) return 'police-uk-stop-search';
  // A named thing with a postcode and no category is a place (pubs, food premises, licences).
  const columns = header.split(',').map((column) => column.trim().replace(/^"|"$/g, '').toLowerCase().replace(/[\s_]+/g, ''));
  if (columns.some((column) => /^(name|businessname|premisesname)$/.test(column)) && columns.some((column) => /^postcode$/.test(column))
    && !columns.some((column) => /^(category|crimetype)$/.test(column))) return 'locations-csv';
  if (/population|usually resident|all ages/i.test(header) && /code|cd\b/i.test(header) && !/longitude|easting|lon\b/i.test(header)) {
    return 'population-csv';
  }
  return 'incidents-csv';
}

/** A dataset name for locations from the file's name. */
export const datasetName = (filename: string) =>
  path.basename(filename).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'import';

function formatFor(kind: ImportKind, options: ImportOptions, srid: 4326 | 27700): Format {
  const mapping = options.mapping ?? {};
  const now = options.now ?? new Date();
  switch (kind) {
    case 'police-uk': return policeUkFormat(now);
    case 'police-uk-stop-search': return stopSearchFormat(now);
    case 'incidents-csv': return incidentsCsvFormat(mapping, options.secret, now);
    case 'incidents-geojson': return incidentsGeoJsonFormat(mapping, options.secret, srid, now);
    case 'locations-geojson': return locationsFormat(mapping, mapping.dataset ?? datasetName(options.filename), srid);
    case 'locations-csv': return locationsCsvFormat(mapping, mapping.dataset ?? datasetName(options.filename));
    case 'areas-geojson': return areasFormat(mapping, srid);
    case 'population-csv': return populationFormat(mapping);
  }
}

// COPY text format: tab-separated, \N for null, backslash escapes.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (character) => COPY_ESCAPES[character]!) : text;
}

/** One staged row as a COPY line: its line, its problems (or null), its values. */
function copyLine(line: number, problems: unknown, values: readonly unknown[] | null, width: number): string {
  let text = `${line}\t${copyValue(problems)}`;
  if (values) for (let index = 0; index < values.length; index++) text += `\t${copyValue(values[index])}`;
  else for (let index = 0; index < width; index++) text += '\t\\N';
  return `${text}\n`;
}

/** Converted rows to COPY lines: a staged row, or a rejected row with its problems. */
class StageWriter extends Transform {
  rows = 0;
  private buffer = '';

  constructor(private readonly width: number, private readonly onRow: (rows: number) => void) {
    super({ writableObjectMode: true, readableObjectMode: false });
  }

  override _transform(row: { line: number; converted: Converted }, _encoding: BufferEncoding, callback: TransformCallback) {
    this.rows += 1;
    const { line, converted } = row;
    this.buffer += 'values' in converted
      ? copyLine(line, null, converted.values, this.width)
      : copyLine(line, converted.problems, null, this.width);
    if (this.rows % PROGRESS_EVERY === 0) this.onRow(this.rows);
    if (this.buffer.length >= 256 * 1024) {
      const chunk = this.buffer;
      this.buffer = '';
      callback(null, chunk);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback) {
    this.onRow(this.rows);
    callback(null, this.buffer || undefined);
  }
}

const problemsOf = (...problems: Problem[]): Converted => ({ problems });

/**
 * CSV text to converted rows; the header goes to the format first. Papa Parse's core
 * parser reads the text chunk by chunk (a row cut at a chunk's end waits for the next),
 * about six times faster than csv-parse here (2.1 s against 12.5 s for a million
 * police.uk rows), which was a quarter of a whole import's time. Line ends are made
 * "\n" first (CRLF, LF and CR, even mixed in one file, are all read) so that each row's
 * line in the file can be counted: one plus the line ends inside its quoted fields.
 * Quoting is read leniently (a quote inside an unquoted field is text, as spreadsheets
 * read it); a quoted field that never closes, or text after a closing quote, makes the
 * rest of the file unreadable, so the import stops and says where.
 */
function csvRows(format: Extract<Format, { input: 'csv' }>) {
  const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
  let width = 0;
  let line = 1; // the file's line where the next row starts
  let pending = ''; // an unfinished row, carried into the next chunk
  let carriedReturn = false; // a chunk ended in "\r": is it half of "\r\n"?
  let offset = 0; // the text before `pending`, for the parser's cursor

  function rows(chunk: string, last: boolean, push: (row: { line: number; converted: Converted }) => void) {
    let text = carriedReturn ? `\r${chunk}` : chunk;
    carriedReturn = !last && text.endsWith('\r');
    if (carriedReturn) text = text.slice(0, -1);
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    const input = pending + text;
    const result = parser.parse(input, offset, !last) as {
      data: string[][];
      errors: { code: string; row?: number }[];
      meta: { cursor: number };
    };
    const broken = result.errors.find((error) => error.code === 'InvalidQuotes' || (error.code === 'MissingQuotes' && last));
    const brokenRow = broken ? broken.row ?? result.data.length - 1 : -1;
    for (let index = 0; index < result.data.length; index++) {
      const record = result.data[index]!;
      const at = line;
      for (const field of record) {
        if (field.includes('\n')) line += field.split('\n').length - 1;
      }
      line += 1;
      if (index === brokenRow) {
        throw new ImportError(`the quoting is broken near line ${at} (a quoted field `
          + `${broken!.code === 'MissingQuotes' ? 'is never closed' : 'has text after its closing quote'}); `
          + 'the rows after it cannot be read reliably, so nothing was imported');
      }
      if (record.length === 1 && record[0] === '') continue; // an empty line
      if (width === 0) {
        const header = record.map((column) => column.trim());
        if (header.every((column) => !column)) throw new ImportError('the first line (the header) is empty');
        format.header(header);
        width = header.length;
        continue;
      }
      if (record.length !== width) {
        push({ line: at, converted: problemsOf({ field: null, reason: 'column_count', message: `the row has ${record.length} columns; the header has ${width}` }) });
        continue;
      }
      push({ line: at, converted: format.convert(record, at) });
    }
    pending = last ? '' : input.slice(result.meta.cursor - offset);
    if (pending.length > MAX_ROW_CHARS) {
      throw new ImportError(`the row starting on line ${line} runs past ${MAX_ROW_CHARS.toLocaleString('en-GB')} characters: `
        + 'a quoted field is probably never closed, so nothing was imported');
    }
    offset = result.meta.cursor;
  }

  return new Transform({
    readableObjectMode: true,
    decodeStrings: false,
    transform(chunk: string, _encoding, callback) {
      try {
        rows(chunk, false, (row) => this.push(row));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        rows('', true, (row) => this.push(row));
        if (width === 0) throw new ImportError('the file is empty: no header line');
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** GeoJSON text to converted rows: the FeatureCollection's features, one at a time. */
function geoJsonRows(format: Extract<Format, { input: 'geojson' }>) {
  const convert = new Transform({
    objectMode: true,
    transform(item: { key: number; value: GeoFeature }, _encoding, callback) {
      const feature = item.value;
      const line = item.key + 1;
      if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') {
        callback(null, { line, converted: problemsOf({ field: null, reason: 'malformed_row', message: 'the item is not a GeoJSON Feature' }) });
        return;
      }
      try {
        callback(null, { line, converted: format.convert(feature, item.key) });
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  return [chain([jsonParser(), pick({ filter: 'features' }), streamArray()]), convert] as const;
}

/** An error the user may read as it is, or null for one that must stay in the log. */
function userMessage(error: unknown): string | null {
  if (error instanceof ImportError) return error.message;
  const failure = error as { code?: unknown; message?: unknown } | null;
  if (typeof failure?.message === 'string' && /^Parser cannot parse input|^Parser has expected/.test(failure.message)) {
    return 'file: the file is not valid JSON (GeoJSON); check that it is complete';
  }
  return null;
}

interface Counted {
  read: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  rejects: RejectedRow[];
}

async function countRejects(db: pg.ClientBase, batchId: number): Promise<Counted> {
  await db.query(`
    INSERT INTO import_rejects (batch_id, row_number, field, message, reason)
    SELECT $1, s.line, p->>'field', p->>'message', p->>'reason'
      FROM import_stage s CROSS JOIN LATERAL jsonb_array_elements(s.reject) p
     WHERE s.reject IS NOT NULL
    ON CONFLICT DO NOTHING`, [batchId]);
  const counts = await db.query<{ reason: string | null; n: string }>(`
    SELECT reject->0->>'reason' AS reason, count(*) AS n FROM import_stage GROUP BY 1`);
  const rejects = await db.query<{ row: number; field: string | null; reason: RejectedRow['reason']; message: string }>(`
    SELECT row_number AS row, field, reason, message FROM import_rejects
     WHERE batch_id = $1 ORDER BY row_number, message LIMIT ${REPORTED_REJECTS}`, [batchId]);
  const rejectedByReason: Record<string, number> = {};
  let read = 0;
  for (const { reason, n } of counts.rows) {
    read += Number(n);
    if (reason) rejectedByReason[reason] = Number(n);
  }
  return { read, rejected: Object.values(rejectedByReason).reduce((sum, n) => sum + n, 0), rejectedByReason, rejects: rejects.rows };
}

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  // An input that fails (an upload cut off, a file too large) fails the import.
  let inputFailed: Error | null = null;
  options.input.once('error', (error) => {
    inputFailed = error;
  });
  const filename = path.basename(options.filename || 'upload');
  let peeked: Awaited<ReturnType<typeof peek>>;
  try {
    peeked = await peek(options.input);
  } catch (error) {
    throw error instanceof ImportError ? error : new ImportError(CUT_OFF);
  }
  const { head, stream } = peeked;
  const encoding = options.encoding ?? detectEncoding(head);
  const headText = new TextDecoder(encoding).decode(head);
  const detected = !options.kind || options.kind === 'detect';
  const kind = detected ? detectKind(headText, filename) : options.kind as ImportKind;
  const srid = /EPSG::?27700/i.test(headText.slice(0, 2000)) ? 27700 : 4326;
  const format = formatFor(kind, options, srid);
  const dryRun = options.dryRun ?? false;

  const db = await options.pool.connect();
  let batchId: number | null = null;
  try {
    await db.query('BEGIN');
    // A big file may take minutes; only imports run one at a time.
    await db.query('SET LOCAL statement_timeout = 0');
    // Whole-file statements: sorts of a million staged rows in memory rather than on disk,
    // and no JIT compilation (about 1 s a statement, for plans that run once).
    await db.query(`SET LOCAL work_mem = '256MB'`);
    await db.query('SET LOCAL jit = off');
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('lantern-import'))`);
    const batch = await db.query<{ id: string }>(`
      INSERT INTO import_batches (kind, filename, status, created_by) VALUES ($1, $2, 'running', $3) RETURNING id`,
    [kind, filename, options.user]);
    batchId = Number(batch.rows[0]!.id);
    const district = await prepareDistrict(db);
    const stageColumns = format.columns.map((column) => `${column.name} ${column.type}`).join(', ');
    await db.query(`CREATE TEMP TABLE import_stage (line integer NOT NULL, reject jsonb, ${stageColumns}) ON COMMIT DROP`);

    const decode = new DecodeStream(encoding);
    const writer = new StageWriter(format.columns.length, (rows) => options.onProgress?.({ bytes: decode.bytes, rows }));
    const copy = db.query(copyFrom(`COPY import_stage (line, reject, ${format.columns.map((c) => c.name).join(', ')}) FROM STDIN`));
    const rows = format.input === 'csv' ? [csvRows(format)] : geoJsonRows(format);
    await pipeline(stream, decode, ...rows, writer, copy);
    if (writer.rows === 0 && format.input === 'geojson') {
      throw new ImportError('the file has no features: it must be a GeoJSON FeatureCollection');
    }
    options.assertComplete?.();
    await db.query('ANALYZE import_stage');

    const merged = await format.merge(db, batchId, { keepOutside: options.keepOutside ?? false });
    const counted = await countRejects(db, batchId);
    const notes = [...format.notes];
    if (district === 'extent') notes.push('No district or area boundaries are loaded: "outside the district" means outside the B&NES extent.');
    else if (district === 'areas') notes.push('No district outline is loaded: the district is the union of the loaded areas.');
    const report: ImportReport = {
      batchId: dryRun ? null : batchId,
      kind,
      detected,
      filename,
      encoding,
      dryRun,
      read: counted.read,
      accepted: merged.accepted,
      updated: merged.updated,
      duplicates: merged.duplicates,
      outsideDistrict: merged.outsideDistrict,
      keptOutside: merged.keptOutside ?? 0,
      rejected: counted.rejected,
      rejectedByReason: counted.rejectedByReason,
      areaCodeDisagreements: merged.areaCodeDisagreements,
      rejects: counted.rejects,
      notes,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
    await db.query(`
      UPDATE import_batches
         SET status = 'committed', finished_at = now(), rows_total = $2, rows_inserted = $3, rows_rejected = $4,
             report = $5, undo = $6
       WHERE id = $1`,
    [batchId, report.read, report.accepted + report.updated, report.rejected, JSON.stringify(report),
      merged.undo === undefined ? null : JSON.stringify(merged.undo)]);
    await db.query(dryRun ? 'ROLLBACK' : 'COMMIT');
    return report;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    options.input.destroy();
    const cutOff = (inputFailed ?? options.input.errored) as Error | null;
    const message = cutOff ? userMessage(cutOff) ?? `file: ${CUT_OFF}`
      : userMessage(error);
    if (!dryRun && batchId !== null) {
      // The failed attempt is listed with its reason; its rows were never written.
      await options.pool.query(`
        INSERT INTO import_batches (kind, filename, status, created_by, finished_at, error)
        VALUES ($1, $2, 'failed', $3, now(), $4)`,
      [kind, filename, options.user, message ?? 'the import failed; nothing was written (see the server log)']).catch(() => undefined);
    }
    if (message && !(error instanceof ImportError)) throw new ImportError(message.replace(/^file: /, ''));
    if (message && cutOff) throw cutOff instanceof ImportError ? cutOff : new ImportError(message.replace(/^file: /, ''));
    throw error;
  } finally {
    db.release();
  }
}
