import { defineConfig } from 'vite';

// Plain Vite with Preact's automatic JSX runtime: @preact/preset-vite would
// add Babel (and its prefresh/devtools plugins) for nothing a build needs.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    // The server sends helmet's CSP (script-src 'self'): no inline module preload polyfill.
    modulePreload: { polyfill: false },
  },
});
