import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// MapLibre's stylesheet before Lantern's, in the first chunk: loaded with a lazy page it
// came after ours and its `.maplibregl-map { position: relative }` collapsed the map.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
