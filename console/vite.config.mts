import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The gateway serves the built files at /console/ (src/console/console.module.ts); nothing is fetched at build time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
});
