// On a phone (styles.css, max-width 760px) the side panels fold away: the map page's
// filters and details become sheets over the map, and a form page's options open above
// its results. These buttons show only there; on wider screens every panel is shown.
import { useEffect, useState } from 'react';

/** Which one panel is open on a phone (null: none); Escape closes it. */
export function useOpenPanel<T extends string>(initial: T | null = null): [T | null, (panel: T | null) => void] {
  const [open, setOpen] = useState<T | null>(initial);
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') setOpen(null); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  return [open, setOpen];
}

export function PanelToggle({ controls, label, open, onToggle, testId }: {
  controls: string; label: string; open: boolean; onToggle(): void; testId?: string;
}) {
  return (
    <button type="button" className="phone-only panel-toggle" aria-expanded={open} aria-controls={controls} onClick={onToggle} data-testid={testId}>
      {label}
    </button>
  );
}

/** The close button at the top of a panel that is a sheet on a phone. */
export function PanelClose({ label, onClose }: { label: string; onClose(): void }) {
  return (
    <div className="phone-only panel-head">
      <strong>{label}</strong>
      <button type="button" className="panel-close" onClick={onClose} aria-label={`Close ${label.toLowerCase()}`}>Close</button>
    </div>
  );
}
