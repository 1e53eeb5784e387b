// Export the filtered incident points (CSV or GeoJSON). The server requires a
// justification and writes it, with the user and the filters, to the audit log.
import { filtersToSearch, type Filters } from '@lantern/shared';
import { useState } from 'react';
import { API_BASE } from '../env';

export function ExportPoints({ filters }: { filters: Filters }) {
  const [justification, setJustification] = useState('');
  const ready = justification.trim().length >= 10;
  const href = (format: 'csv' | 'geojson') => {
    const search = [filtersToSearch(filters), `format=${format}`, `justification=${encodeURIComponent(justification.trim())}`]
      .filter(Boolean).join('&');
    return `${API_BASE}/api/exports/incidents?${search}`;
  };
  return (
    <details className="export" data-testid="export-points">
      <summary>Export incident points</summary>
      <label htmlFor="export-why">Why do you need this export? (recorded in the audit log)</label>
      <textarea id="export-why" rows={2} value={justification} onChange={(e) => setJustification(e.target.value)} maxLength={500} />
      <p className="row">
        {(['csv', 'geojson'] as const).map((format) => (
          <a key={format} className={`button${ready ? '' : ' disabled'}`} aria-disabled={!ready}
            href={ready ? href(format) : undefined} download>{format === 'csv' ? 'CSV' : 'GeoJSON'}</a>
        ))}
        {!ready && <span className="hint">at least 10 characters</span>}
      </p>
    </details>
  );
}
