import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerItem } from '../ports/partner-registry.js';
import { REPO_ROOT } from './repo-root.js';

/** A partner the embedded stack seeds, as the partners table holds it. */
export type DevPartner = PartnerItem;

export const loadDevPartners = (): DevPartner[] =>
  (
    JSON.parse(readFileSync(resolve(REPO_ROOT, 'functions/local/dev-partners.json'), 'utf8')) as {
      partners: DevPartner[];
    }
  ).partners;

/** Puts the dev partners (dev-partners.json) into the partners table; the partners put. */
export const seedDevPartners = async (db: DynamoDBDocumentClient, table: string): Promise<DevPartner[]> => {
  const partners = loadDevPartners();
  await Promise.all(partners.map((partner) => db.send(new PutCommand({ TableName: table, Item: partner }))));
  return partners;
};
