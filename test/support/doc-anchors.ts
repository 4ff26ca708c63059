import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPOSITORY_ROOT } from '../../infra/constructs/parcelguard-function.js';

/** GitHub's anchors of a Markdown file's headings (`### A stalled queue` → `a-stalled-queue`). */
export const docAnchorsOf = (file: string): string[] =>
  readFileSync(resolve(REPOSITORY_ROOT, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .map((line) =>
      line
        .replace(/^#+\s*/, '')
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );

/** The `docs/<file>.md#<anchor>` links in a text, as [file, anchor] pairs. */
export const docLinksIn = (text: string): [string, string][] =>
  [...text.matchAll(/(docs\/[a-z-]+\.md)#([a-z0-9-]+)/g)].map(([, file, anchor]) => [file!, anchor!]);
