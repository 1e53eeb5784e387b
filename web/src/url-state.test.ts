import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYERS, withSetting } from './map/layers';
import { readViewState, writeViewState, type ViewState } from './url-state';

describe('view state in the URL', () => {
  it('round-trips filters, view, place, measure and the layer panel', () => {
    const state: ViewState = {
      filters: { hours: [0, 1, 2, 3, 22, 23], ages: ['0-9', '10-14', '15-17', '18-24'], categories: ['robbery'] },
      view: { longitude: -2.35912, latitude: 51.38101, zoom: 13.5 },
      locationId: 42,
      measure: 'people',
      layer: 'gistar',
      radius: 200,
      classes: [1, 2.5, 5, 10],
      layers: withSetting(DEFAULT_LAYERS, 'basemap', { opacity: 0.3 }),
      palette: 'colour-blind',
    };
    const search = writeViewState(state);
    expect(search).toBe('?hours=22-4&ages=0-9,10-14,15-17,18-24&categories=robbery&loc=42&measure=people&layer=gistar&radius=200&classes=1,2.5,5,10&layers=places,hotspots,incidents,areas,basemap:30&colours=colour-blind&view=-2.35912,51.38101,13.50');
    expect(readViewState(search)).toEqual(state);
  });

  it('falls back to defaults for anything unreadable', () => {
    expect(readViewState('?data=imported').filters).toEqual({ data: 'imported' });
    expect(readViewState('?data=everything').filters).toEqual({});
    expect(readViewState('?hours=99&loc=abc&view=1,2&measure=x&radius=73&classes=4,3,2,1&colours=rainbow')).toEqual({
      filters: {}, view: null, locationId: null, measure: 'episodes', layer: 'density', radius: 100, classes: null, layers: DEFAULT_LAYERS, palette: 'standard',
    });
    expect(writeViewState({ filters: {}, view: null, locationId: null, measure: 'episodes', layer: 'density', radius: 100, classes: null, layers: DEFAULT_LAYERS, palette: 'standard' })).toBe('');
  });
});
