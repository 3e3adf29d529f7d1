import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build:console` (Vite) writes the console: console/dist at the project root, from src/ or dist/. */
export const CONSOLE_ROOT = join(__dirname, '..', '..', 'console', 'dist');

export function consoleBuilt(root: string = CONSOLE_ROOT): boolean {
  return existsSync(join(root, 'index.html'));
}
