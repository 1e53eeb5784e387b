// What every kind of import provides to the pipeline (pipeline.ts): the staging table's
// columns, a header check (CSV), a row converter that answers the staged values or the
// row's problems, and the merge from staging into the live tables.
import type { ImportKind } from '@lantern/shared';
import type pg from 'pg';
import type { Problem } from './fields.js';

export interface StageColumn {
  name: string;
  type: string;
}

export type Converted = { values: unknown[] } | { problems: Problem[] };

export interface GeoFeature {
  type?: unknown;
  id?: unknown;
  geometry?: unknown;
  properties?: unknown;
}

/** How the user asked the rows to be merged. */
export interface MergeOptions {
  /** Incidents outside the district are kept (a whole force file), marked outside, instead of rejected. */
  keepOutside: boolean;
}

export interface MergeResult {
  accepted: number;
  updated: number;
  duplicates: number;
  /** Rows outside the district rejected (outside_district). */
  outsideDistrict: number;
  /** Rows outside the district kept (MergeOptions.keepOutside), counted only with extent=all. */
  keptOutside?: number;
  areaCodeDisagreements: number;
  /** What a rollback must restore besides deleting the batch's rows (population values). */
  undo?: unknown;
}

interface FormatBase {
  kind: ImportKind;
  columns: StageColumn[];
  /** Things the user should know about how the file was read (derived keys, defaults). */
  notes: string[];
  /** Staged rows (stage table `import_stage`, rejected rows already removed) into live tables. */
  merge(db: pg.ClientBase, batchId: number, options: MergeOptions): Promise<MergeResult>;
}

export interface CsvFormat extends FormatBase {
  input: 'csv';
  /** Checks the header and resolves columns; throws ImportError when the file cannot be read. */
  header(columns: string[]): void;
  convert(record: string[], line: number): Converted;
}

export interface GeoJsonFormat extends FormatBase {
  input: 'geojson';
  convert(feature: GeoFeature, index: number): Converted;
}

export type Format = CsvFormat | GeoJsonFormat;

/** A string property value as text (numbers too); objects and arrays are not text. */
export function propertyText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The column (or property) for each wanted field: mapped, else the same name in any case. */
export function resolveColumns(available: readonly string[], wanted: readonly string[], mapped: Record<string, string> = {},
  aliases: Record<string, readonly string[]> = {}): { found: Map<string, string>; missingMapped: string[] } {
  const byLower = new Map(available.map((name) => [name.trim().toLowerCase(), name]));
  const found = new Map<string, string>();
  const missingMapped: string[] = [];
  // Mapped fields first; then the usual names, never a column a field already took.
  for (const field of wanted) {
    if (mapped[field] === undefined) continue;
    const column = byLower.get(mapped[field]!.trim().toLowerCase());
    if (column === undefined) missingMapped.push(`${field} -> ${JSON.stringify(mapped[field])}`);
    else found.set(field, column);
  }
  const taken = new Set(found.values());
  for (const field of wanted) {
    if (mapped[field] !== undefined) continue;
    const column = [field, ...(aliases[field] ?? [])].map((candidate) => byLower.get(candidate.toLowerCase()))
      .find((name) => name !== undefined && !taken.has(name));
    if (column !== undefined) {
      found.set(field, column);
      taken.add(column);
    }
  }
  return { found, missingMapped };
}
