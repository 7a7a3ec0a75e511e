import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The page: built from client/ into dist/client, which the server serves. */
export default defineConfig({
  // Absolute, so the build works from any folder (`npm start` runs it from the server).
  root: fileURLToPath(new URL('./client', import.meta.url)),
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    // No inline polyfill script: the Content Security Policy allows none.
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } },
  },
});
