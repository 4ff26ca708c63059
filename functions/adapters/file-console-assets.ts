import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ConsoleAsset, ConsoleAssets } from '../ports/console-assets.js';

/** The media type of each kind of file the console is made of; any other file in the folder is refused. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The console's files, read once at cold start from their folder (bundled beside the handler in
 * Lambda, `functions/console/assets` in the repository). A file of an unknown kind, or a folder
 * without the page, fails the cold start rather than a request.
 */
export const loadConsoleAssets = (folder: string): ConsoleAssets => {
  const files = new Map<string, ConsoleAsset>();
  for (const file of readdirSync(folder).sort()) {
    const contentType = CONTENT_TYPES[extname(file)];
    if (contentType === undefined) {
      throw new Error(`console asset ${join(folder, file)} is of no kind the console serves`);
    }
    files.set(file, { contentType, body: readFileSync(join(folder, file), 'utf8') });
  }
  const page = files.get('index.html');
  if (page === undefined) throw new Error(`console assets in ${folder} have no index.html`);
  files.delete('index.html');
  return { page, files };
};
