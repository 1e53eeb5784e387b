import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYERS, moved, withSetting } from './layers';

describe('the layer panel\'s settings', () => {
  it('move a group one step at a time and stop at either end', () => {
    const up = moved(DEFAULT_LAYERS, 'areas', 'up');
    expect(up.order).toEqual(['hotspots', 'areas', 'incidents']);
    expect(moved(up, 'areas', 'up').order).toEqual(['areas', 'hotspots', 'incidents']);
    expect(moved(moved(up, 'areas', 'up'), 'areas', 'up')).toEqual(moved(up, 'areas', 'up'));
    expect(moved(DEFAULT_LAYERS, 'hotspots', 'down').order).toEqual(['incidents', 'hotspots', 'areas']);
    expect(moved(DEFAULT_LAYERS, 'areas', 'down')).toBe(DEFAULT_LAYERS);
  });

  it('change one group\'s visibility or fade, kept between clear and as designed, leaving the rest', () => {
    const faded = withSetting(DEFAULT_LAYERS, 'basemap', { opacity: 0.3 });
    expect(faded.settings.basemap).toEqual({ visible: true, opacity: 0.3 });
    expect(faded.settings.places).toEqual(DEFAULT_LAYERS.settings.places);
    expect(withSetting(faded, 'basemap', { opacity: 7 }).settings.basemap.opacity).toBe(1);
    expect(withSetting(faded, 'places', { visible: false }).settings.places).toEqual({ visible: false, opacity: 1 });
    expect(DEFAULT_LAYERS.settings.basemap.opacity).toBe(1);
  });
});
