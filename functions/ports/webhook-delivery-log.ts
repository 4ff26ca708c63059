/** What a webhook id was seen with before, if anything. */
export type DeliverySighting = 'first' | 'same-body' | 'other-body';

/** Port: webhook ids per partner, remembered for at least the signature tolerance window. */
export interface WebhookDeliveryLog {
  remember(delivery: {
    partnerId: string;
    webhookId: string;
    bodyHash: string;
    now: Date;
    keepUntil: Date;
  }): Promise<DeliverySighting>;
}
