import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildOfficeTree, type OfficeTree } from '../core/access/offices.js';
import type { OfficeDirectory } from '../ports/office-directory.js';

/** The office hierarchy from its YAML file (rules/reference/offices.yaml); bad data fails the cold start. */
export class FileOfficeDirectory implements OfficeDirectory {
  constructor(private readonly file: string) {}

  load(): OfficeTree {
    return buildOfficeTree(parse(readFileSync(this.file, 'utf8')), this.file);
  }
}
