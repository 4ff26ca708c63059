/**
 * The one rule for where referrals may be delivered: a partner's callback URL is https. Plain http only
 * where `allowHttp` says so (the embedded stack's loopback test receivers).
 */
export const isDeliverableCallback = (url: URL, allowHttp = false): boolean =>
  url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
