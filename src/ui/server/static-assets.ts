import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** A built file of the dashboard, kept in memory (they are small). */
export interface StaticAsset {
  bytes: Buffer;
  contentType: string;
  /** Names with a content hash never change: cached for a year. */
  immutable: boolean;
}

/**
 * Where `npm run build` puts the dashboard: `dist/ui/public` of the package.
 * The same path from `src/ui/server` (tests) and `dist/ui/server` (the package).
 */
export const UI_PUBLIC_DIR = join(import.meta.dirname, '..', '..', '..', 'dist', 'ui', 'public');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Every file of the built dashboard by its path under `/ui/` (`index.html`,
 * `assets/app-3F2A….js`), or undefined when it is not built. Only these are
 * served: no path from a request ever reaches the file system.
 */
export function loadStaticAssets(folder = UI_PUBLIC_DIR): Map<string, StaticAsset> | undefined {
  if (!existsSync(join(folder, 'index.html'))) return undefined;
  const assets = new Map<string, StaticAsset>();
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const name = relative(folder, path).split(sep).join('/');
        assets.set(name, {
          bytes: readFileSync(path),
          contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
          immutable: name.startsWith('assets/') && /-[A-Z0-9]{8,}\.[a-z]+$/.test(name),
        });
      }
    }
  };
  walk(folder);
  return assets;
}

let built: Map<string, StaticAsset> | undefined;

/** The built dashboard's files, read once (see `loadStaticAssets`). */
export function builtAssets(): Map<string, StaticAsset> | undefined {
  built ??= loadStaticAssets();
  return built;
}

/** The path of the dashboard's stylesheet (`/ui/assets/….css`), for pages the server writes itself. */
export function dashboardStylesheet(): string | undefined {
  const name = [...(builtAssets()?.keys() ?? [])].find(
    (asset) => asset.startsWith('assets/') && asset.endsWith('.css'),
  );
  return name ? `/ui/${name}` : undefined;
}
