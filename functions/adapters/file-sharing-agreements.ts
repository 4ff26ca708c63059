import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseSharingAgreements, type SharingAgreements } from '../core/parties/sharing.js';

/** Reads and validates the sharing agreements file (rules/sharing/agreements.yaml); throws with every path at fault. */
export const loadSharingAgreements = (filePath: string): SharingAgreements =>
  parseSharingAgreements(parse(readFileSync(filePath, 'utf8')), filePath);
