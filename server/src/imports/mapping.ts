// A mapping (shared/src/imports.ts ImportMapping) from JSON text: from a CLI --mapping
// file or the web upload's mapping field. Checked against the schema; the first problem
// is named with its path.
import { ImportMapping } from '@lantern/shared';
import { Value } from 'typebox/value';
import { ImportError } from './errors.js';

export function parseMapping(text: string | undefined): ImportMapping {
  if (text === undefined || !text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ImportError('the mapping is not valid JSON', 'mapping');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ImportError('the mapping must be a JSON object', 'mapping');
  const errors = [...Value.Errors(ImportMapping, value)].filter((error) => error.keyword !== 'boolean');
  if (errors.length) {
    const error = errors[0]!;
    const params = error.params as { allowedValues?: unknown[]; additionalProperties?: string[] };
    const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '';
    const detail = params.additionalProperties ? `has an unknown key ${JSON.stringify(params.additionalProperties[0])}`
      : params.allowedValues ? `must be one of ${params.allowedValues.join(', ')}` : error.message;
    throw new ImportError(`${where ? `${where} ` : ''}${detail}`, 'mapping');
  }
  return value as ImportMapping;
}
