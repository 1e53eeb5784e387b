// CSV writing for exports: RFC 4180 quoting, and cells that a spreadsheet would run as
// a formula (=, +, -, @ at the start) defused with a leading apostrophe.

export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLines(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return `${[columns.join(','), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(','))].join('\r\n')}\r\n`;
}
