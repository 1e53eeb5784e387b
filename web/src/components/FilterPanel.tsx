// The filter panel: time of day, weekdays, age group, categories, places, sources, roles, outcomes, dates.
// It edits a Filters value; the app turns every change into URL, map, legend and chart.
import {
  AGE_BAND_IDS,
  AGE_BANDS,
  AGE_PRESETS,
  CATEGORIES,
  CATEGORY_LABELS,
  LOCATION_KINDS,
  LOCATION_KIND_LABELS,
  OUTCOME_LABELS,
  OUTCOMES,
  parseHours,
  ROLE_LABELS,
  ROLES_IN_INCIDENT,
  serialiseHours,
  SOURCE_LABELS,
  SOURCES,
  TIME_PRESETS,
  WEEKDAYS,
  WEEKDAY_LABELS,
  type Filters,
} from '@lantern/shared';
import { useId } from 'react';
import { ChipChoice } from './ChipChoice';

interface Props {
  filters: Filters;
  dateRange: { from: string; to: string } | null;
  /** Both the generated demo set and imported data are loaded: offer to show one alone. */
  mixedData?: boolean;
  /** Rows of whole force files are kept outside the district: offer to count them too. */
  outsideData?: boolean;
  onChange(filters: Filters): void;
}

const DATA_CHOICES = [
  { value: undefined, label: 'Both', testId: 'data-both' },
  { value: 'imported', label: 'Imported only', testId: 'data-imported' },
  { value: 'demo', label: 'Demo only', testId: 'data-demo' },
] as const;

/** Demo data, imported data or both, when both kinds are loaded. */
export function DataChoice({ data, onChange }: { data: Filters['data']; onChange(data: Filters['data']): void }) {
  return <ChipChoice legend="Data" group="Demo or imported data" choices={DATA_CHOICES} value={data} onChange={onChange}
    hint="The demo incidents are invented; imported ones are real records." />;
}

const EXTENT_CHOICES = [
  { value: undefined, label: 'District only', testId: 'extent-district' },
  { value: 'all', label: 'Whole force files', testId: 'extent-all' },
] as const;

/** The district only (every count's default), or whole force files' rows outside it too. */
export function ExtentChoice({ extent, onChange }: { extent: Filters['extent']; onChange(extent: Filters['extent']): void }) {
  return <ChipChoice legend="Area counted" group="The district only or whole force files" choices={EXTENT_CHOICES} value={extent}
    onChange={onChange} hint="Incidents outside the district, kept from whole force files, count only when chosen here." />;
}

function toggle<T>(list: readonly T[] | undefined, all: readonly T[], value: T): T[] | undefined {
  const current = new Set(list ?? all);
  if (current.has(value)) current.delete(value);
  else current.add(value);
  const next = all.filter((item) => current.has(item));
  return next.length === all.length || next.length === 0 ? undefined : next;
}

/** One value alone (none of the others); all of them when there is only one. */
function only<T>(all: readonly T[], value: T): T[] | undefined {
  return all.length === 1 ? undefined : [value];
}

const sameSet = (a: readonly unknown[] | undefined, b: readonly unknown[]) =>
  (a ?? []).length === b.length && b.every((item) => (a ?? []).includes(item));

function hoursOfPreset(text: string): number[] {
  const parsed = parseHours(text);
  return parsed.ok ? parsed.value : [];
}

export function FilterPanel({ filters, dateRange, mixedData = false, outsideData = false, onChange }: Props) {
  const id = useId();
  const hoursText = filters.hours ? serialiseHours(filters.hours) : '';
  const activePreset = TIME_PRESETS.find((preset) => sameSet(filters.hours, hoursOfPreset(preset.hours)));
  const [start, end] = customRange(filters.hours);
  const agePreset = AGE_PRESETS.find((preset) =>
    preset.bands.length === 0 ? !filters.ages : sameSet(filters.ages, preset.bands));

  const set = (patch: Partial<Filters>) => {
    const next: Filters = { ...filters, ...patch };
    for (const key of Object.keys(next) as (keyof Filters)[]) if (next[key] === undefined) delete next[key];
    onChange(next);
  };

  return (
    <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      {(mixedData || filters.data) && <DataChoice data={filters.data} onChange={(data) => set({ data })} />}
      {(outsideData || filters.extent) && <ExtentChoice extent={filters.extent} onChange={(extent) => set({ extent })} />}
      <fieldset>
        <legend>Time of day <span className="hint">(local time)</span></legend>
        <div className="chips" role="group" aria-label="Time-of-day presets">
          <button type="button" aria-pressed={!filters.hours} onClick={() => set({ hours: undefined })}>
            Any time
          </button>
          {TIME_PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              aria-pressed={activePreset?.id === preset.id}
              data-preset={preset.id}
              onClick={() => set({ hours: hoursOfPreset(preset.hours) })}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <div className="row">
          <label htmlFor={`${id}-from-hour`}>From</label>
          <select
            id={`${id}-from-hour`}
            value={start ?? ''}
            onChange={(event) => set({ hours: rangeHours(Number(event.target.value), end ?? (Number(event.target.value) + 1) % 24) })}
          >
            {start === null && <option value="">--</option>}
            {Array.from({ length: 24 }, (_, hour) => (
              <option key={hour} value={hour}>{String(hour).padStart(2, '0')}:00</option>
            ))}
          </select>
          <label htmlFor={`${id}-to-hour`}>to</label>
          <select
            id={`${id}-to-hour`}
            value={end ?? ''}
            onChange={(event) => set({ hours: rangeHours(start ?? 0, Number(event.target.value)) })}
          >
            {end === null && <option value="">--</option>}
            {Array.from({ length: 24 }, (_, hour) => (
              <option key={hour} value={hour}>{String(hour).padStart(2, '0')}:00</option>
            ))}
          </select>
        </div>
        <p className="hint" data-testid="hours-summary">
          {filters.hours ? `Hours ${hoursText} (a range ends before its last hour)` : 'All hours, including incidents whose time is unknown'}
        </p>
      </fieldset>

      <fieldset>
        <legend>Weekdays</legend>
        <div className="chips" role="group" aria-label="Weekdays">
          {WEEKDAYS.map((day) => (
            <button
              key={day}
              type="button"
              aria-pressed={!filters.weekdays || filters.weekdays.includes(day)}
              onClick={() => set({ weekdays: toggle(filters.weekdays, WEEKDAYS, day) })}
            >
              {WEEKDAY_LABELS[day]}
            </button>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Age group</legend>
        <div className="chips" role="group" aria-label="Age presets">
          {AGE_PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              data-preset={preset.id}
              aria-pressed={agePreset?.id === preset.id}
              onClick={() => set({ ages: preset.bands.length ? [...preset.bands] : undefined })}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <CheckList
          all={AGE_BAND_IDS}
          chosen={filters.ages}
          label={(band) => AGE_BANDS.find((b) => b.id === band)!.label}
          onChange={(ages) => set({ ages })}
          columns={4}
        />
      </fieldset>

      <fieldset>
        <legend>Categories</legend>
        <CheckList
          all={CATEGORIES}
          chosen={filters.categories}
          label={(category) => CATEGORY_LABELS[category]}
          onChange={(categories) => set({ categories })}
        />
      </fieldset>

      <fieldset>
        <legend>Places</legend>
        <CheckList
          all={LOCATION_KINDS}
          chosen={filters.locationKinds}
          label={(kind) => LOCATION_KIND_LABELS[kind]}
          onChange={(locationKinds) => set({ locationKinds })}
        />
        <p className="hint">Narrowing places also narrows incidents to those near places of these kinds.</p>
      </fieldset>

      <fieldset>
        <legend>Sources</legend>
        <CheckList
          all={SOURCES}
          chosen={filters.sources}
          label={(source) => SOURCE_LABELS[source]}
          onChange={(sources) => set({ sources })}
          columns={1}
        />
      </fieldset>

      <fieldset>
        <legend>Role in the incident</legend>
        <CheckList
          all={ROLES_IN_INCIDENT}
          chosen={filters.roles}
          label={(role) => ROLE_LABELS[role]}
          onChange={(roles) => set({ roles })}
        />
      </fieldset>

      <fieldset>
        <legend>Outcome</legend>
        <CheckList
          all={OUTCOMES}
          chosen={filters.outcomes}
          label={(outcome) => OUTCOME_LABELS[outcome]}
          onChange={(outcomes) => set({ outcomes })}
          columns={1}
        />
        <p className="hint">Only police.uk crimes carry an outcome (their last one, as published).</p>
      </fieldset>

      <fieldset>
        <legend>Dates</legend>
        <div className="row">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={filters.from ?? ''}
            min={dateRange?.from}
            max={filters.to ?? dateRange?.to}
            onChange={(event) => set({ from: event.target.value || undefined })}
          />
        </div>
        <div className="row">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={filters.to ?? ''}
            min={filters.from ?? dateRange?.from}
            max={dateRange?.to}
            onChange={(event) => set({ to: event.target.value || undefined })}
          />
        </div>
      </fieldset>

      <button type="button" className="reset" onClick={() => onChange({})}>Clear all filters</button>
    </form>
  );
}

/** Checkboxes for a subset of a vocabulary; all or none ticked means "all" (undefined). */
export function CheckList<T extends string>({ all, chosen, label, onChange, columns = 2 }: {
  all: readonly T[];
  chosen: readonly T[] | undefined;
  label(value: T): string;
  onChange(next: T[] | undefined): void;
  columns?: number;
}) {
  return (
    <div className="checks" style={{ gridTemplateColumns: columns === 2 ? "repeat(2, minmax(0, 1fr))" : `repeat(${columns}, auto)` }}>
      {all.map((value) => (
        // "Only": this value alone, from the pointer (the button shown on hover) or the
        // keyboard (O on the check box; the buttons stay out of the tab order, which would double).
        <span className="check-option" key={value}>
          <label>
            <input
              type="checkbox"
              checked={!chosen || chosen.includes(value)}
              onChange={() => onChange(toggle(chosen, all, value))}
              onKeyDown={(event) => {
                if (event.key !== 'o' && event.key !== 'O') return;
                event.preventDefault();
                onChange(only(all, value));
              }}
              aria-keyshortcuts="O"
            />
            {label(value)}
          </label>
          {/* Named "only", described by its title, so that the option's own label names the check box alone. */}
          <button type="button" className="only" tabIndex={-1} title={`Only ${label(value)} (or press O on its box)`}
            data-testid={`only-${value}`} onClick={() => onChange(only(all, value))}>only</button>
        </span>
      ))}
    </div>
  );
}

/** Hours from start up to (not including) end, wrapping midnight. */
function rangeHours(start: number, end: number): number[] {
  const parsed = parseHours(`${start}-${end === start ? (start + 1) % 24 || 24 : end || 24}`);
  return parsed.ok ? parsed.value : [];
}

/** The start and end of the hours when they form one range (possibly wrapping), else nulls. */
function customRange(hours: number[] | undefined): [number | null, number | null] {
  if (!hours || hours.length === 0 || hours.length === 24) return [null, null];
  const text = serialiseHours(hours);
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return [null, null];
  const start = Number(match[1]);
  const end = match[2] === undefined ? (start + 1) % 24 : Number(match[2]) % 24;
  return [start, end];
}
