import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConsoleAssets } from '../../functions/adapters/file-console-assets.js';

const folders: string[] = [];
const folderWith = (files: Record<string, string>): string => {
  const folder = mkdtempSync(join(tmpdir(), 'parcelguard-console-'));
  folders.push(folder);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(folder, name), body);
  return folder;
};

describe('loadConsoleAssets', () => {
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('keeps the page apart from the files it loads, each with its media type', () => {
    // Prepare
    const folder = folderWith({ 'index.html': '<!doctype html>', 'app.js': 'start();', 'app.css': 'a{}' });

    // Act
    const assets = loadConsoleAssets(folder);

    // Assess
    expect(assets.page).toEqual({ contentType: 'text/html; charset=utf-8', body: '<!doctype html>' });
    expect(Object.fromEntries(assets.files)).toEqual({
      'app.css': { contentType: 'text/css; charset=utf-8', body: 'a{}' },
      'app.js': { contentType: 'text/javascript; charset=utf-8', body: 'start();' },
    });
  });

  it('fails on a file of a kind the console does not serve', () => {
    // Prepare
    const folder = folderWith({ 'index.html': '<!doctype html>', 'notes.txt': 'draft' });

    // Act and assess
    expect(() => loadConsoleAssets(folder)).toThrow(/notes\.txt is of no kind the console serves/);
  });

  it('fails on a folder without the page', () => {
    // Prepare
    const folder = folderWith({ 'app.js': 'start();' });

    // Act and assess
    expect(() => loadConsoleAssets(folder)).toThrow(/have no index\.html/);
  });
});
