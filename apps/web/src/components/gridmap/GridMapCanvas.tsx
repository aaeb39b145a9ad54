import { useEffect, useRef, type ReactNode } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { addPatterns, mapStyle } from './mapStyle.ts';

// Vite does not bundle maplibre's worker: it is shipped as a file of its own.
maplibregl.setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The grid map while it is open; browser tests project lon/lat to pixels with it. */
    __wanggeMap?: maplibregl.Map;
  }
}

interface Props {
  tileUrl: string | null;
  /** Called with the map once its style has loaded, and with null when it goes away. Must be stable. */
  onReady: (map: maplibregl.Map | null) => void;
  /** Drawn over the map (legend, hints). */
  children?: ReactNode;
}

/** The MapLibre map (test id grid-map): created once per tile setting, layers empty until data is set. */
export function GridMapCanvas({ tileUrl, onReady, children }: Props) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!container.current) return;
    const map = new maplibregl.Map({
      container: container.current,
      style: mapStyle(tileUrl),
      center: [108.9, 34.3],
      zoom: 4,
      attributionControl: tileUrl ? { compact: true } : false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({}), 'bottom-right');
    // Without a listener MapLibre logs every error; a tile server that is down would log one per tile.
    let tilesFailed = false;
    map.on('error', (e: maplibregl.ErrorEvent & { sourceId?: string }) => {
      if (e.sourceId !== 'tiles') {
        console.error(e.error);
      } else if (!tilesFailed) {
        tilesFailed = true;
        console.warn('Map tiles could not be loaded; the map is drawn without them.', e.error.message);
      }
    });
    map.on('load', () => {
      addPatterns(map);
      window.__wanggeMap = map;
      onReady(map);
    });
    return () => {
      onReady(null);
      if (window.__wanggeMap === map) delete window.__wanggeMap;
      map.remove();
    };
  }, [tileUrl, onReady]);

  return (
    <div className="grid-map-frame">
      <div className="grid-map" data-testid="grid-map" ref={container} />
      {children}
    </div>
  );
}
