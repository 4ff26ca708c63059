/** A logistics partner as ingest needs it: where its data belongs and which secrets may sign for it. */
export interface Partner {
  partnerId: string;
  region: string;
  /** Every currently valid signing secret; two during a rotation's overlap. */
  secrets: string[];
  callbackUrl?: string;
}

/** Port: partners and their webhook secrets. */
export interface PartnerDirectory {
  find(partnerId: string): Promise<Partner | undefined>;
}
