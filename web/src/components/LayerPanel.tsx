// The map's layers, top first: each shown or hidden and faded; the three between the
// basemap and the places moved up or down (map/layers.ts holds the rules).
import { LAYER_GROUP_LABELS, moved, ORDERED_GROUPS, withSetting, type LayerGroup, type LayerSettings, type OrderedGroup } from '../map/layers';
import type { PaletteName } from '../map/palette';
import { ChipChoice } from './ChipChoice';

interface Props {
  layers: LayerSettings;
  onChange(layers: LayerSettings): void;
  palette: PaletteName;
  onPalette(palette: PaletteName): void;
}

const PALETTE_CHOICES = [
  { value: 'standard', label: 'Distinct hues', testId: 'palette-standard' },
  { value: 'colour-blind', label: 'Colour-blind safe', testId: 'palette-colour-blind' },
] as const;

const isOrdered = (group: LayerGroup): group is OrderedGroup => (ORDERED_GROUPS as readonly string[]).includes(group);

export function LayerPanel({ layers, onChange, palette, onPalette }: Props) {
  const rows: LayerGroup[] = ['places', ...layers.order, 'basemap'];
  return (
    <details className="layer-panel" data-testid="layer-panel">
      <summary>Layers: show, fade, reorder</summary>
      <ol>
        {rows.map((group) => {
          const setting = layers.settings[group];
          const label = LAYER_GROUP_LABELS[group];
          const at = isOrdered(group) ? layers.order.indexOf(group) : -1;
          return (
            <li key={group} data-testid={`layer-${group}`}>
              <label className="check">
                <input type="checkbox" checked={setting.visible} onChange={(event) => onChange(withSetting(layers, group, { visible: event.target.checked }))} />
                {label}
              </label>
              <span className="layer-controls">
                <input type="range" min={0} max={100} step={10} value={Math.round(setting.opacity * 100)} disabled={!setting.visible}
                  aria-label={`Opacity of ${label}`} aria-valuetext={`${Math.round(setting.opacity * 100)}%`}
                  onChange={(event) => onChange(withSetting(layers, group, { opacity: Number(event.target.value) / 100 }))} />
                {isOrdered(group) ? (
                  <>
                    <button type="button" aria-label={`Move ${label} up`} disabled={at === 0}
                      onClick={() => onChange(moved(layers, group, 'up'))}>↑</button>
                    <button type="button" aria-label={`Move ${label} down`} disabled={at === layers.order.length - 1}
                      onClick={() => onChange(moved(layers, group, 'down'))}>↓</button>
                  </>
                ) : <span className="hint">{group === 'places' ? 'on top' : 'beneath'}</span>}
              </span>
            </li>
          );
        })}
      </ol>
      <ChipChoice legend="Colours" group="Colours of categories and places" choices={PALETTE_CHOICES} value={palette} onChange={onPalette}
        hint="Colour-blind safe: twelve colours kept apart under red-green and blue-yellow colour blindness (kept in the link)." />
    </details>
  );
}
