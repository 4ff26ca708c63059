/**
 * Every problem type the API answers with (RFC 9457): its code, status, title and when it happens. The
 * problem documents take their status and title from here, `GET /problems/{type}` describes each one
 * (so a `type` resolves against the API's address), and the README's table is checked against it.
 */
export interface ProblemType {
  code: string;
  status: number;
  title: string;
  /** When it is answered, as the README's table says it (Markdown). */
  when: string;
}

export const PROBLEM_TYPES: readonly ProblemType[] = [
  {
    code: 'MALFORMED_INPUT',
    status: 400,
    title: 'Malformed request',
    when: 'the body is not valid UTF-8, or not JSON (the detail gives the line and column where it stops being JSON, `NaN` or `Infinity` included, or says it is empty, or that it ends too soon: after how many characters, and the line and column where it stops)',
  },
  {
    code: 'UNAUTHORIZED',
    status: 401,
    title: 'Unauthorized',
    when: 'missing, bad or stale signature (the detail names the reason and what the header at fault must be: which signature headers are missing, seconds not milliseconds in `webhook-timestamp`, the 300 s window, the HMAC to send); a `webhook-id` that is not 1–256 printable ASCII characters, or no partner id in the request (a body that gives `partnerId` twice names none; the detail names either, a missing partner id first); unknown partner, answered exactly as a bad signature',
  },
  {
    code: 'FORBIDDEN',
    status: 403,
    title: 'Forbidden',
    when: "the staff member's role does not serve the route, or their grants do not cover the office queue or region the request names (another office's queue, another region's statistics)",
  },
  {
    code: 'NOT_FOUND',
    status: 404,
    title: 'Not found',
    when: "no route serves the path (from the `$default` route), or the manifest or parcel it names does not exist or has expired (a parcel outside the staff member's offices, or flagged over 400 days ago, reads as absent); a partner's manifest whose delivery got no `202`, while none of its parcels is screened (the detail says to post its same bytes again)",
  },
  {
    code: 'METHOD_NOT_ALLOWED',
    status: 405,
    title: 'Method not allowed',
    when: "the path is served under other methods, listed in the `allow` header and as an array in the body's `allow`",
  },
  {
    code: 'CONFLICT',
    status: 409,
    title: 'Conflict',
    when: "the manifest id was already accepted with different bytes (a repeat sends the exact bytes accepted; `manifestId`, `receivedAt` of the accepted one; an accepted manifest cannot be changed); an earlier delivery of the manifest id with different content got no `202` (yet: the detail allows for that delivery still running, and says to post its same bytes again to finish it if it stopped; a changed version replaces it only if that delivery stopped before handing any parcel to screening, from 30 s after it was received: a `503` first, then a `202` after its `retry-after`); parcel ids are held by another manifest (`reusedParcels` lists up to 20 as `{ parcelId, manifestId }`; the detail counts them all and says, per holder, what to do: ids an accepted manifest delivered need new ids; ids of one of the partner's manifests that got no `202` are not delivered: the detail gives the seconds after which this one may be posted again and, unless that manifest was refused, says to post its same bytes to complete it instead (only that, once its hand-over to screening started)); the `webhook-id` was used with another body in the last 10 minutes (send that body under a new `webhook-id`); on staff routes, a parcel claimed by someone else (`heldBy`, `leaseUntil`), an action that needs a live claim nobody holds (`claimed: false`; `leaseUntil` when yours ran out) or an action the parcel no longer takes",
  },
  {
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
    title: 'Payload too large',
    when: 'the body is over the limit (`limit`, `max`, `actual` say which)',
  },
  {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    title: 'Unsupported media type',
    when: 'content type is not `application/json`, its `charset` is not `utf-8` (or its alias `utf8`), or the body is sent with a `content-encoding` (gzip, …): send JSON uncompressed',
  },
  {
    code: 'VALIDATION_FAILED',
    status: 422,
    title: 'Validation failed',
    when: "the manifest breaks the contract, or routes a parcel to no inspection office; a staff request's body or query breaks its route's rules; a JSON body gives a name twice in one object (its path alone: parsers differ on which counts; a manifest's only once its signature is good): `errors[]` lists `{ path, message }` in the contract's order (parcels and goods lines by index; within an object, its fields as the contract lists them, unknown fields last, each at its own path; a repeated house document number is its parcel's `parcelId`), e.g. `parcels[0].goods[1].hsCode`, at most 100 of them (over 100, `errorCount` and the detail count them all)",
  },
  {
    code: 'RATE_LIMITED',
    status: 429,
    title: 'Too many requests',
    when: 'the partner is over its manifest posts or its status reads a minute (`limit`, `max` say which: `requests-per-minute`, `status-reads-per-minute`); retry after `retry-after`, also in the body as `retryAfterSeconds`',
  },
  {
    code: 'INTERNAL',
    status: 500,
    title: 'Internal error',
    when: 'anything unexpected: the detail says nothing more; quote the `instance` when reporting it (a partner posts the same manifest bytes again, as after a `503`)',
  },
  {
    code: 'DEPENDENCY_UNAVAILABLE',
    status: 503,
    title: 'Service unavailable',
    when: "a dependency is throttled, down or does not answer in time (each SDK attempt has 1.5 s), or another delivery of the same manifest is being handled at that moment (the detail then says so: it is not an outage); retry after `retry-after` (5 s; for a refused manifest's tombstone, up to the 30 s it takes to turn quiet), also in the body as `retryAfterSeconds`",
  },
];

/** The `type` of a problem document: a path the API's `$default` route describes. */
export const problemTypePath = (code: string): string =>
  `/problems/${code.toLowerCase().replaceAll('_', '-')}`;

const BY_CODE = new Map(PROBLEM_TYPES.map((type) => [type.code, type]));
const BY_PATH = new Map(PROBLEM_TYPES.map((type) => [problemTypePath(type.code), type]));

/** The problem type of an error code; undefined for a code no type describes (answered as INTERNAL). */
export const problemTypeOf = (code: string): ProblemType | undefined => BY_CODE.get(code);

/** The problem type a `/problems/…` path names, if any. */
export const problemTypeAt = (path: string): ProblemType | undefined => BY_PATH.get(path);
