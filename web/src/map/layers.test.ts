import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYERS, moved, readLayers, withSetting, writeLayers } from './layers';

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

describe('the layer settings in a link', () => {
  it('write nothing for the defaults, and the whole stack top first otherwise', () => {
    expect(writeLayers(DEFAULT_LAYERS)).toBe('');
    const changed = withSetting(withSetting(moved(DEFAULT_LAYERS, 'areas', 'up'), 'basemap', { visible: false }), 'places', { opacity: 0.4 });
    expect(writeLayers(changed)).toBe('places:40,hotspots,areas,incidents,basemap:off');
    expect(readLayers(writeLayers(changed))).toEqual(changed);
  });

  it('keep a hidden group\'s fade, and read what they can of a mangled value', () => {
    const hiddenFaded = withSetting(DEFAULT_LAYERS, 'incidents', { visible: false, opacity: 0.5 });
    expect(writeLayers(hiddenFaded)).toBe('places,hotspots,incidents:off:50,areas,basemap');
    expect(readLayers(writeLayers(hiddenFaded))).toEqual(hiddenFaded);
    // Unknown names, opacities out of range and missing groups fall back to the defaults.
    const read = readLayers('areas,nonsense:off,hotspots:250,places:off');
    expect(read.order).toEqual(['areas', 'hotspots', 'incidents']);
    expect(read.settings.hotspots).toEqual({ visible: true, opacity: 1 });
    expect(read.settings.places).toEqual({ visible: false, opacity: 1 });
    expect(readLayers(null)).toEqual(DEFAULT_LAYERS);
  });
});
