// How a place's harm moved against the previous period, in words and a symbol, so
// the ranking never relies on colour alone.
export interface Change {
  direction: 'up' | 'down' | 'same' | 'new' | 'none';
  symbol: string;
  text: string;
}

export function changeOf(current: number, previous: number | null): Change {
  if (previous === null) return { direction: 'none', symbol: '', text: 'no previous period' };
  if (previous === 0 && current === 0) return { direction: 'same', symbol: '–', text: 'none in either period' };
  if (previous === 0) return { direction: 'new', symbol: '▲', text: 'new: none in the previous period' };
  const percent = Math.round(((current - previous) / previous) * 100);
  if (percent === 0) return { direction: 'same', symbol: '–', text: 'no change' };
  return percent > 0
    ? { direction: 'up', symbol: '▲', text: `up ${percent}%` }
    : { direction: 'down', symbol: '▼', text: `down ${-percent}%` };
}
