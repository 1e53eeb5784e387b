// The area summary as a table: district totals first, then every area; every column
// sortable from the keyboard (buttons in the headers, aria-sort), change in words and
// arrows, and a small trend chart per area that also reads as text.
import { NOT_RECORDED, type AreaSummary, type ProtectedCount } from '@lantern/shared';
import { useMemo, useState } from 'react';
import { changeText, shown, sortRows, type Column, type Row } from '../summary/measures';

interface Props {
  summary: AreaSummary;
  breakdownColumns: Column[];
  levelLabel: string;
}

/** A rate, "c" when hidden with its count, "not recorded" with its count, "–" when there is no population to divide by. */
const rateText = (rate: number | null, count: ProtectedCount) =>
  (rate === null && count === NOT_RECORDED ? NOT_RECORDED : rate === null && typeof count !== 'number' ? 'c' : shown(rate));

const monthName = (month: string) =>
  new Date(`${month}-15T12:00:00Z`).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A sparkline of monthly episodes; hidden months are gaps with a tick. */
export function Sparkline({ values, months }: { values: ProtectedCount[]; months: string[] }) {
  const width = 84;
  const height = 22;
  const numbers = values.map((v) => (typeof v === 'number' ? v : null));
  const max = Math.max(1, ...numbers.map((v) => v ?? 0));
  const x = (i: number) => (values.length <= 1 ? width / 2 : 2 + (i * (width - 4)) / (values.length - 1));
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const segments: string[] = [];
  let current = '';
  numbers.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
    } else current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const label = months.length
    ? `Episodes by month, ${monthName(months[0]!)} to ${monthName(months[months.length - 1]!)}: ${values.map(shown).join(', ')}`
    : 'No trend';
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <title>{label}</title>
      {segments.map((d) => <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth={1.5} />)}
      {numbers.map((v, i) => (v === null ? <line key={i} x1={x(i)} x2={x(i)} y1={height - 5} y2={height - 1} stroke="#888" /> : null))}
    </svg>
  );
}

export function SummaryTable({ summary, breakdownColumns, levelLabel }: Props) {
  const compared = summary.comparison !== null;
  const young = summary.rows.some((row) => row.population10to24 !== null);
  const columns: Column[] = useMemo(() => [
    { key: 'episodes', label: 'Episodes', count: true, value: (row: Row) => row.episodes },
    { key: 'people', label: 'People', count: true, value: (row: Row) => row.people },
    { key: 'rate', label: 'Per 1,000 residents', value: (row: Row) => row.ratePer1000, text: (row: Row) => rateText(row.ratePer1000, row.episodes) },
    ...(young ? [{
      key: 'rate1024', label: 'Per 1,000 aged 10-24', value: (row: Row) => row.rate10to24Per1000,
      text: (row: Row) => rateText(row.rate10to24Per1000, row.episodes10to24),
    }] : []),
    ...(compared ? [{ key: 'change', label: 'Change in episodes', value: (row: Row) => row.change?.difference ?? null, text: (row: Row) => changeText(row.change) }] : []),
    ...breakdownColumns,
  ], [young, compared, breakdownColumns]);
  const [sort, setSort] = useState<{ key: string | null; direction: 'ascending' | 'descending' }>({ key: null, direction: 'ascending' });
  const sortColumn = columns.find((column) => column.key === sort.key) ?? null;
  const rows = sortRows(summary.rows, sortColumn, sort.direction);
  const toggle = (key: string | null) => setSort((previous) => ({
    key,
    direction: previous.key === key && previous.direction === (key ? 'descending' : 'ascending')
      ? (key ? 'ascending' : 'descending')
      : (key ? 'descending' : 'ascending'),
  }));
  const cell = (column: Column, row: Row) => (column.text ? column.text(row) : shown(column.value(row)));
  const ariaSort = (key: string | null) => (sort.key === key ? sort.direction : 'none');
  const arrow = (key: string | null) => (sort.key === key ? (sort.direction === 'ascending' ? ' ↑' : ' ↓') : '');

  return (
    <table data-testid="summary-table" aria-describedby="summary-caption">
      <caption id="summary-caption" className="visually-hidden">
        {levelLabel} areas. Select a column heading to sort by it.
      </caption>
      <thead>
        <tr>
          <th scope="col" aria-sort={ariaSort(null)}>
            <button type="button" onClick={() => toggle(null)}>Area{arrow(null)}</button>
          </th>
          {columns.map((column) => (
            <th key={column.key} scope="col" aria-sort={ariaSort(column.key)}>
              <button type="button" onClick={() => toggle(column.key)} data-sort={column.key}>{column.label}{arrow(column.key)}</button>
            </th>
          ))}
          <th scope="col">Trend (12 months)</th>
        </tr>
      </thead>
      <tbody>
        <tr className="total" data-testid="summary-total">
          <th scope="row">District total</th>
          {columns.map((column) => <td key={column.key} data-count={column.count || undefined}>{cell(column, summary.total)}</td>)}
          <td><Sparkline values={summary.total.trend} months={summary.trendMonths} /></td>
        </tr>
        {rows.map((row) => (
          <tr key={row.code}>
            <th scope="row">{row.name}</th>
            {columns.map((column) => (
              <td key={column.key} data-count={column.count || undefined} className={column.key === 'change' && row.change?.difference ? (row.change.difference > 0 ? 'rise' : 'fall') : undefined}>
                {cell(column, row)}
              </td>
            ))}
            <td><Sparkline values={row.trend} months={summary.trendMonths} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
