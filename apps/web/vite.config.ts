import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Vendor code in long-lived chunks of its own; app code is split per page (React.lazy). */
const vendor = {
  react: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
  antd: /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@babel[\\/]runtime|dayjs|classnames|clsx|scroll-into-view-if-needed|compute-scroll-into-view|throttle-debounce|stylis|@emotion)[\\/]/,
  // What the entry and the login page use, with everything it imports; the rest of antd is only loaded in the console.
  antdLogin:
    /[\\/]node_modules[\\/](antd[\\/](es[\\/](config-provider|spin|form|input|button|alert|segmented)|locale)|@ant-design[\\/]icons(-svg)?)[\\/]/,
  // The map library (~290 kB gzipped) is only loaded with the map page.
  maplibre: /[\\/]node_modules[\\/]maplibre-gl[\\/]/,
  // ECharts and its renderer (zrender) only with the pages that draw charts.
  echarts: /[\\/]node_modules[\\/](echarts|zrender)[\\/]/,
  lib: /[\\/]node_modules[\\/]/,
};

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  server: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd's console half is ~650 kB before gzip, maplibre ~1.05 MB; both load after login (maplibre only
    // with the map page) and are cached.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: vendor.react, priority: 30 },
            { name: 'antd', test: vendor.antdLogin, priority: 25 },
            { name: 'antd-console', test: vendor.antd, priority: 20 },
            { name: 'maplibre', test: vendor.maplibre, priority: 15 },
            { name: 'echarts', test: vendor.echarts, priority: 15 },
            { name: 'vendor', test: vendor.lib, priority: 10 },
          ],
        },
      },
    },
  },
});
