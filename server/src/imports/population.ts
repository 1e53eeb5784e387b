// Population CSV by area code (ONS census or mid-year estimates): the all-ages count and,
// where the file has age bands, the count aged 10-24 summed from the bands that make it
// up exactly (e.g. "Age 10-15" + "Age 16-24"). Written onto areas already loaded; the
// previous values are kept in the batch's undo for a rollback.
import type { ImportMapping } from '@lantern/shared';
import { ImportError } from './errors.js';
import { problem, quote, type Problem } from './fields.js';
import { resolveColumns, type CsvFormat } from './format.js';

const BAND = /^(?:age|aged)?\s*(\d{1,3})\s*(?:-|to)\s*(\d{1,3})$/i;

/** Columns whose age bands tile 10-24 exactly, or null. */
export function bandsFor10To24(columns: readonly string[]): string[] | null {
  const bands = columns.flatMap((column) => {
    const match = BAND.exec(column.trim());
    return match ? [{ column, from: Number(match[1]), to: Number(match[2]) }] : [];
  });
  const chosen: string[] = [];
  let next = 10;
  while (next <= 24) {
    const band = bands.find((candidate) => candidate.from === next && candidate.to <= 24);
    if (!band) return null;
    chosen.push(band.column);
    next = band.to + 1;
  }
  return next === 25 ? chosen : null;
}

function count(text: string | undefined, field: string): { value: number | null } | { problem: Problem } {
  const value = (text ?? '').trim().replace(/,/g, '');
  if (!value) return { value: null };
  if (!/^\d{1,9}$/.test(value)) return problem(field, 'bad_number', `${quote(value)} is not a count of people`);
  return { value: Number(value) };
}

export function populationFormat(mapping: ImportMapping): CsvFormat {
  let codeAt = -1;
  let totalAt = -1;
  let bandAt: number[] = [];
  let names = { code: 'code', total: 'population' };
  let bandNames: string[] = [];
  const format: CsvFormat = {
    kind: 'population-csv',
    input: 'csv',
    columns: [{ name: 'code', type: 'text' }, { name: 'population', type: 'integer' }, { name: 'population_10_24', type: 'integer' }],
    notes: [],
    header(columns) {
      const mapped: Record<string, string> = {};
      if (mapping.code) mapped.code = mapping.code;
      if (mapping.population) mapped.population = mapping.population;
      const { found, missingMapped } = resolveColumns(columns, ['code', 'population'], mapped, {
        code: ['area_code', 'gss_code', 'lsoa11cd', 'lsoa21cd', 'msoa11cd', 'wd11cd', 'geography code'],
        population: ['Total usually resident population', 'all ages', 'total population', 'total', 'all usual residents'],
      });
      if (missingMapped.length) throw new ImportError(`the mapping names columns the file does not have: ${missingMapped.join(', ')}`, 'mapping');
      if (!found.has('code') || !found.has('population')) {
        throw new ImportError('the file needs an area code column and a population column; name them in the mapping ("code", "population")', 'mapping');
      }
      names = { code: found.get('code')!, total: found.get('population')! };
      codeAt = columns.indexOf(names.code);
      totalAt = columns.indexOf(names.total);
      if (mapping.population_10_24) {
        const missing = mapping.population_10_24.filter((column) => !columns.includes(column));
        if (missing.length) throw new ImportError(`the file has no column ${missing.map((m) => JSON.stringify(m)).join(', ')} for ages 10-24`, 'mapping');
        bandNames = mapping.population_10_24;
      } else bandNames = bandsFor10To24(columns) ?? [];
      bandAt = bandNames.map((column) => columns.indexOf(column));
      format.notes.push(`Population from ${JSON.stringify(names.total)} by ${JSON.stringify(names.code)}.`,
        bandNames.length ? `Aged 10-24 = ${bandNames.map((n) => JSON.stringify(n)).join(' + ')}.` : 'The file has no age bands that make up 10-24: only the all-ages population is set.',
        'Rows whose code is not a loaded area are reported as unknown_area.');
    },
    convert(record) {
      const problems: Problem[] = [];
      const code = (record[codeAt] ?? '').trim();
      if (!code) problems.push(problem(names.code, 'missing_field', `${names.code} is empty`).problem);
      const total = count(record[totalAt], names.total);
      if ('problem' in total) problems.push(total.problem);
      else if (total.value === null) problems.push(problem(names.total, 'missing_field', `${names.total} is empty`).problem);
      let young: number | null = null;
      for (const [position, at] of bandAt.entries()) {
        const band = count(record[at], bandNames[position]!);
        if ('problem' in band) problems.push(band.problem);
        else if (band.value !== null) young = (young ?? 0) + band.value;
      }
      if (problems.length) return { problems };
      return { values: [code, (total as { value: number }).value, young] };
    },
    async merge(db) {
      await db.query(`
        UPDATE import_stage s
           SET reject = jsonb_build_array(jsonb_build_object('field', $1::text, 'reason', 'unknown_area',
                        'message', 'no loaded area has the code ' || s.code))
         WHERE s.reject IS NULL AND NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = s.code)`, [names.code]);
      const undo = await db.query(`
        SELECT a.id, a.population, a.population_10_24 FROM areas a
         WHERE EXISTS (SELECT 1 FROM import_stage s WHERE s.reject IS NULL AND s.code = a.code)`);
      const staged = await db.query<{ rows: string }>('SELECT count(*) AS rows FROM import_stage WHERE reject IS NULL');
      const updated = await db.query(`
        UPDATE areas a
           SET population = s.population, population_10_24 = coalesce(s.population_10_24, a.population_10_24)
          FROM (SELECT DISTINCT ON (code) code, population, population_10_24 FROM import_stage
                 WHERE reject IS NULL ORDER BY code, line) s
         WHERE a.code = s.code
           AND (a.population, a.population_10_24) IS DISTINCT FROM (s.population, coalesce(s.population_10_24, a.population_10_24))`);
      const changed = updated.rowCount ?? 0;
      return {
        accepted: 0,
        updated: changed,
        // Repeated codes, and codes whose area already had these figures.
        duplicates: Number(staged.rows[0]!.rows) - changed,
        outsideDistrict: 0,
        areaCodeDisagreements: 0,
        undo: { table: 'population', rows: undo.rows },
      };
    },
  };
  return format;
}
