/** One signing secret of a partner; past `notAfter` (ISO 8601) it no longer verifies. */
export interface PartnerSecret {
  secret: string;
  notAfter?: string;
}

/** A partner's secrets as stored, with the version a replacement must still find. */
export interface PartnerSecrets {
  partnerId: string;
  secrets: PartnerSecret[];
  version: number;
}

/** Port: reading and replacing a partner's signing secrets, as an operator does. */
export interface PartnerSecretStore {
  read(partnerId: string): Promise<PartnerSecrets | undefined>;
  /** Replaces the secrets unless someone else did since `expectedVersion` (then ConflictError). */
  replace(partnerId: string, secrets: PartnerSecret[], expectedVersion: number): Promise<void>;
}
