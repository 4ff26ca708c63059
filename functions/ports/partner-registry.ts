import type { PartnerSecret } from './partner-secrets.js';

/**
 * A partner as the partners table holds it: the item DynamoDbPartnerDirectory reads (and
 * functions/local/dev-partners.json seeds), whose secrets DynamoDbPartnerSecrets rotates.
 */
export interface PartnerItem {
  partnerId: string;
  region: string;
  secrets: PartnerSecret[];
  callbackUrl?: string;
}

/** Port: adding a partner to the partners table, never over one that is there, and changing its callback URL. */
export interface PartnerRegistry {
  /** Stores the item unless the partner exists; false (and nothing changed) when it does. */
  add(item: PartnerItem): Promise<boolean>;
  /**
   * Sets (or, with undefined, removes) an existing partner's callback URL: the URL it replaced (undefined
   * when it had none), or undefined when there is no such partner.
   */
  setCallbackUrl(
    partnerId: string,
    callbackUrl: string | undefined,
  ): Promise<{ previous: string | undefined } | undefined>;
}
