import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The renderer: built by Vite into out/renderer, served by Electron (app://) and by browser mode. */
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [vue()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 3000,
  },
});
