// The map's layer panel as data: which groups of layers are shown, how faded, and in what
// order. LanternMap applies it; components/LayerPanel.tsx edits it. Pure, so it is tested
// without a browser.

/** The groups a user can show, fade and (the middle three) reorder. */
export const LAYER_GROUPS = ['places', 'hotspots', 'incidents', 'areas', 'basemap'] as const;
export type LayerGroup = (typeof LAYER_GROUPS)[number];

/** The groups drawn between the basemap and the places, which can change places. */
export const ORDERED_GROUPS = ['hotspots', 'incidents', 'areas'] as const;
export type OrderedGroup = (typeof ORDERED_GROUPS)[number];

export const LAYER_GROUP_LABELS: Record<LayerGroup, string> = {
  places: 'Places of concern',
  hotspots: 'Hot spot analysis (Gi*, kernel density, emerging)',
  incidents: 'Incidents (hexagons, points)',
  areas: 'Area outlines',
  basemap: 'Street basemap',
};

export interface LayerSetting {
  visible: boolean;
  /** 0 (clear) to 1 (as designed). */
  opacity: number;
}

export interface LayerSettings {
  /** The ordered groups, top first (the places are always on top, the basemap beneath). */
  order: OrderedGroup[];
  settings: Record<LayerGroup, LayerSetting>;
}

export const DEFAULT_LAYERS: LayerSettings = {
  order: ['hotspots', 'incidents', 'areas'],
  settings: Object.fromEntries(LAYER_GROUPS.map((group) => [group, { visible: true, opacity: 1 }])) as Record<LayerGroup, LayerSetting>,
};

/** The settings with one group's visibility or opacity changed. */
export function withSetting(layers: LayerSettings, group: LayerGroup, change: Partial<LayerSetting>): LayerSettings {
  const setting = { ...layers.settings[group], ...change };
  setting.opacity = Math.min(1, Math.max(0, setting.opacity));
  return { ...layers, settings: { ...layers.settings, [group]: setting } };
}

/** The settings with a group moved one step up (towards the top) or down; unchanged at either end. */
export function moved(layers: LayerSettings, group: OrderedGroup, direction: 'up' | 'down'): LayerSettings {
  const at = layers.order.indexOf(group);
  const to = direction === 'up' ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= layers.order.length) return layers;
  const order = [...layers.order];
  [order[at], order[to]] = [order[to]!, order[at]!];
  return { ...layers, order };
}

const writtenDefault = ['places', ...DEFAULT_LAYERS.order, 'basemap'].join(',');

/**
 * The settings as a URL value, top group first: each group's name, then ":off" when
 * hidden and ":<percent>" when faded ("places:40,areas,hotspots,incidents,basemap:off").
 * Empty for the defaults, so an ordinary link carries nothing.
 */
export function writeLayers(layers: LayerSettings): string {
  const groups: LayerGroup[] = ['places', ...layers.order, 'basemap'];
  const tokens = groups.map((group) => {
    const { visible, opacity } = layers.settings[group];
    return [group, ...(visible ? [] : ['off']), ...(opacity < 1 ? [String(Math.round(opacity * 100))] : [])].join(':');
  });
  const text = tokens.join(',');
  return text === writtenDefault ? '' : text;
}

/** Settings from writeLayers' value; anything unreadable keeps its default. */
export function readLayers(text: string | null): LayerSettings {
  const order: OrderedGroup[] = [];
  let settings = DEFAULT_LAYERS.settings;
  for (const token of (text ?? '').split(',')) {
    const [name, ...parts] = token.split(':');
    if (!(LAYER_GROUPS as readonly string[]).includes(name ?? '')) continue;
    const group = name as LayerGroup;
    const percent = parts.map(Number).find((part) => Number.isInteger(part) && part >= 0 && part <= 100);
    settings = { ...settings, [group]: { visible: !parts.includes('off'), opacity: percent === undefined ? 1 : percent / 100 } };
    if ((ORDERED_GROUPS as readonly string[]).includes(group) && !order.includes(group as OrderedGroup)) order.push(group as OrderedGroup);
  }
  return { order: [...order, ...DEFAULT_LAYERS.order.filter((group) => !order.includes(group))], settings };
}
