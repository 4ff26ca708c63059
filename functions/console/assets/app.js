// The officers' review console: plain modern JavaScript for current browsers, no build step, no framework.
// It calls the same API as curl does (docs/officers.md), with the staff token as `Authorization: Bearer`.
// The token lives in this tab's sessionStorage only. API data is written with textContent, never as HTML.
// Where the console is configured with an authorization server (Cognito managed login in AWS), staff sign
// in there with the authorization code grant and PKCE, and the page renews the ID token with the refresh
// token (kept beside it) before it expires; otherwise (the embedded stack) they paste a token.

const TOKEN_KEY = 'parcelguard.staffToken';
/** The refresh token of a sign-in through the authorization server; a pasted token has none. */
const REFRESH_KEY = 'parcelguard.staffRefreshToken';
/** Renew the ID token when less than this is left of it (or less than half its lifetime, if shorter). */
const RENEW_MARGIN_SECONDS = 5 * 60;
/** How often the page looks whether the ID token is due for renewal, between API calls. */
const RENEW_CHECK_MS = 30 * 1000;
/** The state and PKCE code verifier of a sign-in under way, until managed login sends the browser back. */
const SIGN_IN_KEY = 'parcelguard.signIn';
/** The API serves the console at /console: the API's root is the folder the page is in. */
const API_BASE = new URL('.', window.location.href);
/** The console's own address: the redirect (and sign-out) URI registered for its app client. */
const CONSOLE_URL = new URL('console', API_BASE).href;
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']);

const state = {
  /** `{ url, clientId }` of the authorization server (console/config.json), or null for a pasted token. */
  signIn: null,
  token: null,
  claims: null,
  /** When (this browser's clock, ms) the ID token is due for renewal; see `renewalTime`. */
  renewAt: Infinity,
  /** Changes when someone signs in or out, not when the token is renewed: answers of another session are dropped. */
  session: 0,
  office: '',
  status: 'open',
  /** The listing's page size (`limit`), '' for the API's own. */
  limit: '',
  /** Whether the listing is of the signed-in officer's own claims (`claimedBy=me`). */
  mine: false,
  items: [],
  cursor: undefined,
  /** The parcel found by its house document number (`{ partnerId, parcelId }`), shown alone in place of a listing. */
  found: undefined,
  selected: undefined,
  /** The listed item whose consignee's links are shown. */
  linksFor: undefined,
  busy: false,
  /** Where focus was when the running exchange began (its buttons then went off). */
  focusBeforeBusy: null,
  /** Sends focus where it goes once the running exchange's buttons are on again (a closed panel's row); whether it did. */
  focusAfterBusy: undefined,
  /** The API's clock less this browser's (ms), as its last answer told (see noteApiClock). */
  apiClockOffset: 0,
};

const byId = (id) => document.getElementById(id);

/** A DOM element; children are nodes or text (strings are always text, never markup). */
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
};

/** Local time, with its zone named: the statistics and the parties' history count UTC days. */
const TIME_FORMAT = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const formatTime = (iso) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString([], TIME_FORMAT);
};

const plural = (count, word, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;

// ---- token ---------------------------------------------------------------------------------------

/** The claims of a JWT, for display only: the API verifies the token, the console never relies on this. */
const decodeClaims = (token) => {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('a token has three parts separated by dots');
  const base64 = parts[1].replaceAll('-', '+').replaceAll('_', '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes));
  if (claims === null || typeof claims !== 'object') throw new Error('the token carries no claims');
  return claims;
};

/** A list claim as an array, a `[a b]` rendering or a comma-separated string (as the API reads it). */
const listClaim = (value) => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  const items = text.startsWith('[') ? text.slice(1, -1).split(/[\s,]+/) : text.split(',');
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
};

const rolesOf = (claims) => listClaim(claims?.['cognito:groups']);
const officesOf = (claims) => listClaim(claims?.['custom:offices']);
const usernameOf = (claims) => String(claims?.['cognito:username'] ?? claims?.username ?? claims?.sub ?? '');
const isOfficer = () => rolesOf(state.claims).includes('officer');
/** GET /v1/parties/{key}/links is for officers and analysts (ROUTES in infra/definitions.ts). */
const mayReadLinks = () => rolesOf(state.claims).some((role) => role === 'officer' || role === 'analyst');

/**
 * When the ID token is due for renewal: less than RENEW_MARGIN_SECONDS (or half its lifetime, if shorter)
 * before it expires. A token just received is timed from its arrival and its lifetime (`exp - iat`), so
 * that a browser clock off from the server's neither renews at every call nor lets it expire; a token
 * found in storage can only be timed by `exp` against this clock (a 401 still renews it).
 */
const renewalTime = (claims, fresh) => {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') return Infinity;
  const lifetime = typeof iat === 'number' ? exp - iat : Infinity;
  const margin = Math.min(RENEW_MARGIN_SECONDS, lifetime / 2);
  return fresh && Number.isFinite(lifetime) ? Date.now() + (lifetime - margin) * 1000 : (exp - margin) * 1000;
};

/** Keeps the ID token (a new sign-in's, a renewed one, or one found in storage) for this tab. */
const takeToken = (token, claims, fresh) => {
  state.token = token;
  state.claims = claims;
  state.renewAt = renewalTime(claims, fresh);
  sessionStorage.setItem(TOKEN_KEY, token);
  renderSignedIn();
};

/** Whether two tokens' claims are one user with the same roles and offices (`sub` identifies the user). */
const sameGrants = (before, after) =>
  before !== null &&
  String(before.sub ?? '') === String(after.sub ?? '') &&
  usernameOf(before) === usernameOf(after) &&
  rolesOf(before).join() === rolesOf(after).join() &&
  officesOf(before).join() === officesOf(after).join();

/** Takes a pasted, stored or just received (`fresh`) token into use, as a new session. */
const useToken = (raw, fresh = false) => {
  const token = raw.trim().replace(/^bearer\s+/i, '');
  let claims;
  try {
    claims = decodeClaims(token);
  } catch (error) {
    showProblem(error, 'Reading the token');
    markToken(true);
    return;
  }
  clearProblem();
  markToken(false);
  const switched = state.token !== null && !sameGrants(state.claims, claims);
  state.session += 1;
  takeToken(token, claims, fresh);
  // Another officer's token (or other roles or offices): the previous queue is not theirs to see or act
  // on. A fresh token of the same officer, pasted after the last one expired, keeps the queue and an
  // outcome half written.
  if (switched) clearQueue();
  byId('token').value = '';
  byId('token').placeholder = 'A token is in use for this tab. Paste another to switch.';
  announce(`Signed in as ${usernameOf(claims)}.`);
  void suggestOffices();
};

/** Marks the token box as refused (described by the problem shown, and focused) or takes the mark off. */
const markToken = (refused) => {
  const box = byId('token');
  if (refused) {
    box.setAttribute('aria-invalid', 'true');
    box.setAttribute('aria-describedby', 'problem token-hint');
    box.focus();
  } else {
    box.removeAttribute('aria-invalid');
    box.setAttribute('aria-describedby', 'token-hint');
  }
};

const forgetToken = () => {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
  state.session += 1;
  state.token = null;
  state.claims = null;
  state.renewAt = Infinity;
  byId('token').placeholder = '';
  renderSignedIn();
  clearQueue();
  announce('The token is forgotten.');
  // Where the next sign-in starts: the Sign in button with managed sign-in, else the token box.
  (state.signIn === null ? byId('token') : byId('sign-in-button')).focus();
};

/** Takes the listed queue, its panels and the office choices off the page, for the next token to list its own. */
const clearQueue = () => {
  state.office = '';
  state.items = [];
  state.cursor = undefined;
  state.found = undefined;
  byId('find-partner').value = '';
  byId('find-parcel').value = '';
  closeOutcome();
  closeLinks();
  byId('office').value = '';
  byId('office-choices').replaceChildren();
  renderQueue();
};

/**
 * The inspection offices the token's grants cover (GET /v1/offices), as the office box's choices: a grant
 * at a city or a region is not an office with a queue, so the grants themselves are no choice to offer.
 */
const suggestOffices = async () => {
  const session = state.session;
  let answer;
  try {
    answer = await api('GET', 'v1/offices');
  } catch (error) {
    if (state.session === session) showProblem(error, 'Reading your offices');
    return;
  }
  if (state.session !== session) return;
  const offices = Array.isArray(answer?.offices) ? answer.offices : [];
  byId('office-choices').replaceChildren(
    ...offices.map((office) => el('option', { value: office.id, label: office.name })),
  );
  const box = byId('office');
  // A first choice for an empty box, never over what someone is typing (the answer can come mid-keystroke).
  if (box.value === '' && document.activeElement !== box && offices.length > 0) box.value = offices[0].id;
};

// ---- sign-in through the authorization server (authorization code grant with PKCE) -----------------

const base64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

const randomText = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

/** Goes to the authorization server's sign-in with a fresh state and code verifier kept in this tab. */
const beginSignIn = async () => {
  const { url, clientId } = state.signIn;
  const verifier = randomText(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const expected = randomText(16);
  sessionStorage.setItem(SIGN_IN_KEY, JSON.stringify({ state: expected, verifier }));
  const authorize = new URL('/oauth2/authorize', url);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CONSOLE_URL,
    scope: 'openid',
    state: expected,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(authorize.href);
};

/** What the authorization server sent back in the address (`?code=&state=` or `?error=`), taken out of it. */
const takeSignInAnswer = () => {
  const answer = new URLSearchParams(window.location.search);
  if (!answer.has('code') && !answer.has('error')) return null;
  window.history.replaceState(null, '', CONSOLE_URL);
  return answer;
};

/** POSTs a form to the authorization server's token endpoint: its answer, and its JSON body or null. */
const callTokenEndpoint = async (form) => {
  const response = await fetch(new URL('/oauth2/token', state.signIn.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    cache: 'no-store',
    credentials: 'omit',
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { response, body };
};

/** Checks the state, exchanges the code with the verifier and uses the ID token the server answers. */
const finishSignIn = async (answer) => {
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(SIGN_IN_KEY) ?? 'null');
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(SIGN_IN_KEY);
  // State first, for errors too (the server sends it back with either): an answer this tab did not ask
  // for is anyone's link, and its text is not shown.
  if (typeof pending?.state !== 'string' || pending.state !== answer.get('state')) {
    throw new Error('the answer matches no sign-in started in this tab: sign in again');
  }
  if (answer.has('error')) {
    const description = answer.get('error_description');
    throw new Error(
      `the sign-in service answered ${answer.get('error')}${description ? `: ${description}` : ''}`,
    );
  }
  const { response, body } = await callTokenEndpoint({
    grant_type: 'authorization_code',
    client_id: state.signIn.clientId,
    code: answer.get('code') ?? '',
    redirect_uri: CONSOLE_URL,
    code_verifier: pending.verifier,
  });
  if (!response.ok || typeof body?.id_token !== 'string') {
    throw new Error(
      `the sign-in service refused the code: ${body?.error_description ?? body?.error ?? response.status}`,
    );
  }
  // Kept before the ID token is used, so that the calls its use starts may renew it.
  if (typeof body.refresh_token === 'string') sessionStorage.setItem(REFRESH_KEY, body.refresh_token);
  useToken(body.id_token, true);
};

// ---- renewing the ID token with the refresh token ----------------------------------------------------

/** The authorization server refused the refresh token (expired or revoked): the sign-in is over. */
class SignInEnded extends Error {}

/** Only a sign-in through the authorization server renews; a pasted token is used until it expires. */
const mayRenew = () => state.signIn !== null && sessionStorage.getItem(REFRESH_KEY) !== null;

const renewalDue = () => state.token !== null && Date.now() >= state.renewAt;

let renewal = null;

/**
 * Exchanges the refresh token for a fresh ID token at the token endpoint (one exchange at a time, shared
 * by whoever asks meanwhile). A refusal ends the sign-in: both tokens are forgotten, and SignInEnded
 * thrown. A failure to reach the server throws as it is and keeps the tokens for another try.
 */
const renewToken = () => {
  renewal ??= (async () => {
    const session = state.session;
    const { response, body } = await callTokenEndpoint({
      grant_type: 'refresh_token',
      client_id: state.signIn.clientId,
      refresh_token: sessionStorage.getItem(REFRESH_KEY) ?? '',
    });
    if (state.session !== session) throw new SignInEnded('you signed out meanwhile');
    let claims = null;
    try {
      claims = response.ok && typeof body?.id_token === 'string' ? decodeClaims(body.id_token) : null;
    } catch {
      claims = null;
    }
    if (claims === null) {
      if (response.status >= 500) throw new Error(`the sign-in service answered ${response.status}`);
      forgetToken();
      throw new SignInEnded(`your sign-in has ended (${body?.error ?? response.status}): sign in again`);
    }
    takeToken(body.id_token, claims, true);
  })().finally(() => {
    renewal = null;
  });
  return renewal;
};

/** Renews the ID token when it is due; only a refusal stops the caller, who can still try the token it has. */
const renewIfDue = async () => {
  if (!mayRenew() || !renewalDue()) return;
  try {
    await renewToken();
  } catch (error) {
    if (error instanceof SignInEnded) throw error;
  }
};

/** The timer's look at the token, so that a tab left open between calls is not left with an expired one. */
const checkRenewal = () => {
  renewIfDue().catch((error) => showProblem(error, 'Renewing your sign-in'));
};

/** Ends the refresh token at the authorization server (RFC 7009); signing out goes on whatever it answers. */
const revokeRefreshToken = async (refreshToken) => {
  try {
    await fetch(new URL('/oauth2/revoke', state.signIn.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: state.signIn.clientId }),
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    // Unreachable or slow: the token still ends with its twelve hours, and this tab has forgotten it.
  }
};

/**
 * Forgets both tokens, revokes the refresh token, then ends the session at the authorization server,
 * which sends the browser back.
 */
const signOut = async () => {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  forgetToken();
  if (state.signIn === null) return;
  if (refreshToken !== null) await revokeRefreshToken(refreshToken);
  const logout = new URL('/logout', state.signIn.url);
  logout.search = new URLSearchParams({
    client_id: state.signIn.clientId,
    logout_uri: CONSOLE_URL,
  }).toString();
  window.location.assign(logout.href);
};

/**
 * Settles once console/config.json is read: an API call waits for it to know whether it may renew the
 * token (a tab reloaded with an expired ID token renews it before its first call).
 */
let configured = Promise.resolve();

/** Reads console/config.json: with an authorization server, the sign-in button replaces the token box. */
const readConfig = async () => {
  const response = await fetch(new URL('console/config.json', API_BASE), {
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`the console's settings could not be read (${response.status})`);
  const config = await response.json();
  if (!config?.signIn) return;
  state.signIn = config.signIn;
  byId('token-form').hidden = true;
  byId('managed-sign-in').hidden = false;
  renderSignedIn();
};

const renderSignedIn = () => {
  const who = byId('signed-in-as');
  const signedIn = state.token !== null;
  who.hidden = !signedIn;
  byId('forget-token').hidden = !signedIn;
  byId('sign-in-button').hidden = signedIn;
  byId('sign-out').hidden = !signedIn;
  byId('queue').hidden = !signedIn;
  if (!signedIn) {
    who.textContent = '';
    return;
  }
  const offices = officesOf(state.claims);
  const expires = typeof state.claims.exp === 'number' ? formatTime(state.claims.exp * 1000) : 'unknown';
  who.textContent = `${usernameOf(state.claims)} · ${rolesOf(state.claims).join(', ') || 'no role'} · offices ${
    offices.join(', ') || 'none'
  } · token until ${expires}`;
};

// ---- API -----------------------------------------------------------------------------------------

/** The answer came after someone signed in or out: it is of another session, and dropped. */
class StaleAnswer extends Error {}

class ApiProblem extends Error {
  constructor(status, body) {
    super(`the API answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

const callApi = (method, path, body) =>
  fetch(new URL(path, API_BASE), {
    method,
    headers: {
      accept: 'application/json, application/problem+json',
      authorization: `Bearer ${state.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    cache: 'no-store',
    credentials: 'omit',
  });

/**
 * One API call with the ID token, renewed first when it is due; after a 401 (the token expired or was
 * refused meanwhile) the token is renewed once and the call made once more.
 */
const api = async (method, path, body) => {
  const session = state.session;
  await configured;
  await renewIfDue();
  let response = await callApi(method, path, body);
  if (response.status === 401 && mayRenew()) {
    let renewed = false;
    try {
      await renewToken();
      renewed = true;
    } catch (error) {
      if (error instanceof SignInEnded) throw error;
    }
    if (renewed) response = await callApi(method, path, body);
  }
  noteApiClock(response);
  const text = await response.text();
  if (state.session !== session) throw new StaleAnswer('the answer is of another session');
  let payload = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = { detail: text.slice(0, 500) };
  }
  if (!response.ok) throw new ApiProblem(response.status, payload);
  return payload;
};

/**
 * Keeps how far the API's clock is from this browser's, by the Date of its answer: a lease ends by the
 * API's clock, and a browser's may be off by more than a lease lasts. The Date is cut to the second, so
 * the middle of that second is taken.
 */
const noteApiClock = (response) => {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isNaN(date)) state.apiClockOffset = date + 500 - Date.now();
};

/** The API's time now, as near as its last answer tells. */
const apiNow = () => Date.now() + state.apiClockOffset;

const parcelPath = (item) =>
  `v1/inspections/${encodeURIComponent(item.partnerId)}/${encodeURIComponent(item.parcelId)}`;

// ---- messages ------------------------------------------------------------------------------------

const announce = (text) => {
  byId('notice').textContent = text;
};

const clearProblem = () => {
  const box = byId('problem');
  box.hidden = true;
  box.replaceChildren();
  // The token box was described by the problem gone now: a later one would not be about it.
  if (byId('token').hasAttribute('aria-invalid')) markToken(false);
};

/** An extension member's name for people: `leaseUntil` → `lease until`. */
const describeName = (name) => name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** Whether an extension member is an instant (`leaseUntil`, `recordedAt`): the API gives them in UTC. */
const isInstant = (name, value) =>
  typeof value === 'string' && /until|at$/i.test(name) && !Number.isNaN(Date.parse(value));

const describeValue = (name, value) => {
  if (isInstant(name, value)) return `${formatTime(value)} (${value})`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (value) => String(value).padStart(2, '0');

/**
 * An instant as the API's refusals write it (`03:15 UTC, 1 Dec 2026`, seconds shown when not zero):
 * readableUtc in functions/core/review/readable-time.ts, mirrored, so that the detail can show it in
 * local time.
 */
const utcText = (iso) => {
  const date = new Date(iso);
  const seconds = date.getUTCSeconds();
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}${seconds === 0 ? '' : `:${twoDigits(seconds)}`}`;
  return `${time} UTC, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
};

/**
 * A problem's detail with each instant it names as an extension member (`… until 03:15 UTC, 1 Dec 2026`,
 * or as an ISO instant) in this browser's local time, as the rest of the page shows times; the members
 * below keep the instant.
 */
const localDetail = (detail, problem) =>
  Object.entries(problem)
    .filter(([name, value]) => !PROBLEM_MEMBERS.has(name) && isInstant(name, value))
    .reduce(
      (text, [, value]) =>
        text.replaceAll(utcText(value), formatTime(value)).replaceAll(value, formatTime(value)),
      String(detail),
    );

/** An API refusal (problem+json: detail, errors[], extension members) or a failure to reach the API. */
const showProblem = (error, doing) => {
  announce('');
  const box = byId('problem');
  const parts = [];
  if (error instanceof ApiProblem) {
    const problem = error.body && typeof error.body === 'object' ? error.body : {};
    const title = problem.title ?? (error.status === 401 ? 'Unauthorized' : 'Request refused');
    parts.push(el('h2', {}, `${doing} failed: ${title} (${error.status})`));
    const detail =
      problem.detail ??
      (error.status === 401
        ? `The API refused the token: it is missing, expired or not valid here. ${
            state.signIn === null ? 'Paste a fresh token.' : 'Sign in again.'
          }`
        : (problem.message ?? 'The API gave no detail.'));
    parts.push(el('p', { class: 'detail' }, localDetail(detail, problem)));
    if (Array.isArray(problem.errors) && problem.errors.length > 0) {
      parts.push(
        el(
          'ul',
          { class: 'errors' },
          problem.errors.map((issue) =>
            el('li', {}, el('code', {}, issue.path ?? '(root)'), `: ${issue.message}`),
          ),
        ),
      );
    }
    const extensions = Object.entries(problem).filter(
      ([name, value]) => !PROBLEM_MEMBERS.has(name) && name !== 'message' && value !== undefined,
    );
    if (extensions.length > 0) {
      parts.push(
        el(
          'dl',
          {},
          extensions.flatMap(([name, value]) => [
            el('dt', {}, describeName(name)),
            el('dd', {}, describeValue(name, value)),
          ]),
        ),
      );
    }
    if (problem.instance || problem.code) {
      parts.push(
        el('p', { class: 'instance' }, [problem.code, problem.instance].filter(Boolean).join(' · ')),
      );
    }
  } else {
    parts.push(el('h2', {}, `${doing} failed`));
    parts.push(el('p', { class: 'detail' }, error instanceof Error ? error.message : String(error)));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
};

const setBusy = (busy) => {
  state.busy = busy;
  byId('queue').setAttribute('aria-busy', String(busy));
  // What is being sent cannot change under it: a 422 then marks the value it was about.
  byId('outcome-form').inert = busy;
  for (const button of document.querySelectorAll('#queue button, #outcome-panel button')) {
    button.disabled = busy || button.dataset.unavailable === 'true';
  }
};

/** Runs one API exchange: clears the last problem, shows a new one, keeps buttons off while it runs. */
const exchange = async (doing, work) => {
  if (state.busy) return;
  const session = state.session;
  clearProblem();
  // Buttons are off while it runs, so the one pressed loses focus. Unless the exchange put focus
  // elsewhere (a form opened), it goes to the row a closed panel belonged to, or back to that button,
  // or to its row when the answer redrew the rows.
  const before = document.activeElement;
  const place = focusInQueue();
  state.focusBeforeBusy = before;
  state.focusAfterBusy = undefined;
  setBusy(true);
  try {
    await work();
  } catch (error) {
    // Another session's failure is not shown, but an ended sign-in (which ends the session) is.
    if (state.session === session || error instanceof SignInEnded) showProblem(error, doing);
  } finally {
    setBusy(false);
    const after = state.focusAfterBusy;
    state.focusAfterBusy = undefined;
    state.focusBeforeBusy = null;
    // Lost, or still on a field of a panel that closed (the browser moves it off only later).
    if (focusLost() || !canFocus(document.activeElement)) {
      // Where a closed panel or an ended claim sends it, else where it was, else its row or the queue.
      const sent = after?.() ?? false;
      if (!sent && canFocus(before)) before.focus();
      else if (!sent && !restoreFocus(place)) byId('queue-heading').focus();
    }
  }
};

// ---- the queue -----------------------------------------------------------------------------------

const listQueue = (append) =>
  exchange('Listing the queue', async () => {
    // The page shown keeps its own office, status, page size, filter and cursor until another listing succeeds.
    const office = append ? state.office : byId('office').value.trim();
    const status = append ? state.status : byId('status').value;
    const limit = append ? state.limit : byId('limit').value;
    const mine = append ? state.mine : byId('mine').checked && status !== 'closed';
    const query = new URLSearchParams({ office, status });
    if (limit !== '') query.set('limit', limit);
    if (mine) query.set('claimedBy', 'me');
    if (append && state.cursor) query.set('cursor', state.cursor);
    const page = await api('GET', `v1/inspections?${query}`);
    state.office = office;
    state.status = status;
    state.limit = limit;
    state.mine = mine;
    state.found = undefined;
    state.items = append ? [...state.items, ...page.items] : page.items;
    state.cursor = page.cursor;
    // The next page's first row, where reading goes on (the button may go with the last page).
    if (append && page.items.length > 0)
      returnFocusToRow({ parcelKey: page.items[0].parcelKey, label: undefined });
    if (!append) {
      closeOutcome();
      closeLinks();
    }
    renderQueue();
    announce(listedNotice());
  });

/**
 * Opens one flagged parcel of the caller's offices by partner and house document number (GET
 * /v1/inspections/{partnerId}/{parcelId}), shown alone in the table with the actions of a listed one: at
 * the dock an officer has the parcel in hand, not its place in the queue. Another office's parcel, or
 * one not flagged, is the API's 404; the page shown stays until a parcel is found.
 */
const findParcel = () =>
  exchange('Finding the parcel', async () => {
    const partnerId = byId('find-partner').value.trim();
    const parcelId = byId('find-parcel').value.trim();
    const item = await api('GET', parcelPath({ partnerId, parcelId }));
    state.office = item.inspectionOffice;
    state.status = item.status;
    state.mine = false;
    state.found = { partnerId: item.partnerId, parcelId: item.parcelId };
    state.items = [item];
    state.cursor = undefined;
    closeOutcome();
    closeLinks();
    renderQueue();
    announce(
      `Found ${item.parcelId} of ${item.partnerId}: ${item.status}, in the queue of ${item.inspectionOffice}.`,
    );
  });

/** A short page with a cursor is not the end: a `claimed` page is searched only so far per request. */
const listedNotice = () => {
  const listed = `${plural(state.items.length, 'parcel')} in the ${state.status} queue of ${state.office}${state.mine ? ', claimed by you' : ''}`;
  return state.cursor === undefined ? `${listed}.` : `${listed} so far; Next page searches the rest.`;
};

const historyLine = (history) => {
  if (!history) return undefined;
  if (!history.known) return 'consignee: first parcel';
  const parts = [`${plural(history.parcels90d ?? 0, 'parcel')} in 90 days`];
  if (history.flags) parts.push(plural(history.flags, 'flag'));
  if (history.inspections) parts.push(plural(history.inspections, 'inspection'));
  if (history.seizures) parts.push(plural(history.seizures, 'seizure'));
  return `consignee: ${parts.join(', ')}`;
};

/** Whether a lease is live: the API ends it at `until` by its own clock, whether or not anyone lists. */
const leaseLive = (lease) => lease !== undefined && Date.parse(lease.until) > apiNow();

const heldByMe = (item) => leaseLive(item.lease) && item.lease.heldBy === usernameOf(state.claims);

/** A finding in one line: its outcome, and a seizure's substance, quantity and concealment. */
/**
 * A finding in one line as parts: its outcome, and a seizure's substance, quantity and concealment, each
 * of those passed through `isolate`, so that right-to-left staff text (a substance written in Hebrew)
 * does not pull the quantity away from its unit.
 */
const findingParts = (finding, isolate) => {
  const seizure = finding?.seizure;
  if (!seizure) return [String(finding?.outcome ?? 'unknown')];
  const { substance, quantity, concealment } = seizure;
  return [
    `${finding.outcome}: `,
    isolate(substance),
    ', ',
    isolate(`${quantity.amount} ${quantity.unit}`),
    ', ',
    isolate(concealment),
  ];
};

/** A finding on the page: each staff-written part in a `<bdi>`. */
const describeFinding = (finding) => findingParts(finding, (text) => el('bdi', {}, text));

/** A finding as plain text (a dialog's): each staff-written part between U+2068 and U+2069, the isolates. */
const findingText = (finding) => findingParts(finding, (text) => `\u2068${text}\u2069`).join('');

/**
 * Staff text (an officer's notes, a correction's reason) after its label, as written: isolated (`<bdi>`)
 * from the label for a right-to-left text, its line breaks kept (see `.staff-text`).
 */
const staffText = (className, label, text) =>
  el('div', { class: className }, `${label}: `, el('bdi', { class: 'staff-text' }, text));

/**
 * Each admin correction of the outcome, oldest first (`correctionHistory`): the finding it replaced (with
 * that finding's notes, and who recorded it) and the one it recorded, why, by whom and when.
 */
const correctionList = (item) => {
  const history = Array.isArray(item.correctionHistory) ? item.correctionHistory : [];
  if (history.length === 0) return [];
  const labelId = `corrections-${item.parcelKey}`;
  return [
    el('div', { class: 'corrections-label', id: labelId }, 'Corrections, oldest first:'),
    el(
      'ol',
      { class: 'corrections', 'aria-labelledby': labelId },
      history.map((correction) =>
        el(
          'li',
          {},
          el(
            'div',
            { class: 'correction-change' },
            'Replaced ',
            el('bdi', {}, describeFinding(correction.from)),
            // Who recorded what it replaced; corrections stored before that was kept leave it to the audit log.
            correction.fromRecordedBy
              ? ` (recorded by ${correction.fromRecordedBy}, ${formatTime(correction.fromRecordedAt)})`
              : '',
            ' with ',
            el('bdi', {}, describeFinding(correction.to)),
          ),
          correction.from?.notes
            ? staffText('correction-notes', 'Notes replaced', correction.from.notes)
            : undefined,
          staffText('correction-reason', 'Reason', correction.reason),
          el(
            'div',
            { class: 'correction-by' },
            `by ${correction.correctedBy}, ${formatTime(correction.correctedAt)}`,
          ),
        ),
      ),
    ),
  ];
};

const caseLine = (item) => {
  if (item.outcome) {
    const { recordedBy, recordedAt, notes } = item.outcome;
    // After an admin's correction the outcome shown is the corrected one, recorded by that admin.
    const corrections = item.corrections ?? 0;
    const corrected =
      corrections > 0 ? ` (corrected ${corrections === 1 ? 'once' : `${corrections} times`})` : '';
    return [
      el('strong', {}, describeFinding(item.outcome)),
      // A 409 names when an outcome was recorded, not by whom.
      el(
        'div',
        { class: 'small' },
        `${recordedBy ? `by ${recordedBy}, ${formatTime(recordedAt)}` : formatTime(recordedAt)}${corrected}`,
      ),
      notes ? staffText('outcome-notes', 'Notes', notes) : undefined,
      ...correctionList(item),
    ];
  }
  if (item.lease) {
    const { heldBy, until } = item.lease;
    return leaseLive(item.lease)
      ? [
          el('strong', {}, `claimed by ${heldBy}`),
          el('div', { class: 'small' }, `until ${formatTime(until)}`),
        ]
      : [
          el('strong', {}, 'lease ended'),
          el('div', { class: 'small' }, `claimed by ${heldBy} until ${formatTime(until)}`),
        ];
  }
  return [el('strong', {}, item.status)];
};

/** A fact value a rule read: text as written, a missing fact as `missing`, anything else as JSON. */
const describeFactValue = (value) => {
  if (value === null || value === undefined) return 'missing';
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/**
 * The fact values that made a rule fire (`values`: each by its concrete path, e.g. `parcel.goods[0].hsCode`),
 * as a description list under its reason; partners' text among them is isolated (`<bdi>`).
 */
const factValues = (values) => {
  const entries = values !== null && typeof values === 'object' ? Object.entries(values) : [];
  if (entries.length === 0) return undefined;
  return el(
    'dl',
    { class: 'values' },
    entries.flatMap(([path, value]) => [
      el('dt', {}, el('code', {}, path)),
      el('dd', {}, el('bdi', {}, describeFactValue(value))),
    ]),
  );
};

const actionButton = (label, item, onclick, unavailable) =>
  el(
    'button',
    {
      type: 'button',
      class: label === 'Claim' ? undefined : 'secondary',
      'aria-label': `${label} ${item.parcelId}`,
      'data-unavailable': String(unavailable),
      disabled: unavailable || state.busy,
      onclick,
    },
    label,
  );

const renderRow = (item) => {
  const closed = item.status === 'closed' || item.outcome !== undefined;
  const mine = heldByMe(item);
  const actions =
    closed || !isOfficer()
      ? [el('span', { class: 'small' }, closed ? 'done' : 'read-only')]
      : [
          actionButton('Claim', item, () => claim(item, 'claim'), false),
          actionButton('Release', item, () => claim(item, 'release'), !mine),
          actionButton('Record outcome', item, () => openOutcome(item), !mine),
        ];
  if (mayReadLinks() && item.partyKeys?.consignee) {
    actions.push(actionButton('Consignee links', item, () => showLinks(item), false));
  }
  const rules = item.decision.firedRules.map((rule) =>
    el(
      'li',
      {},
      el('span', { class: 'rule-id' }, rule.ruleId),
      ` ${rule.lane ? `→ ${rule.lane}` : `+${rule.score}`}: `,
      // A reason quotes partners' text (a goods description), isolated as their other text is.
      el('bdi', { class: 'reason' }, rule.reason),
      factValues(rule.values),
    ),
  );
  // Held at random: say so first, or an officer looks for a reason the rules never gave.
  if (item.decision.controlSample) {
    rules.unshift(
      el('li', { class: 'control-sample' }, 'Control sample: held at random, the rules released it'),
    );
  }
  return el(
    'tr',
    {
      'data-parcel-id': item.parcelId,
      'data-parcel-key': item.parcelKey,
      class: state.selected?.parcelKey === item.parcelKey ? 'selected' : undefined,
    },
    el(
      'th',
      // Named by the parcel id alone: a screen reader repeats a row's header at every cell. Focusable
      // from script, for focus to stay in a row that has no control left (an outcome just recorded).
      { scope: 'row', tabindex: '-1', 'aria-labelledby': `parcel-${item.parcelKey}` },
      el('span', { class: 'parcel-id', id: `parcel-${item.parcelKey}` }, item.parcelId),
      el('div', { class: 'small' }, `${item.partnerId} · manifest ${item.manifestId}`),
      el('div', { class: 'small' }, historyLine(item.consigneeHistory)),
    ),
    el('td', { class: 'score' }, item.decision.score),
    el('td', {}, el('span', { class: `lane lane-${item.decision.lane}` }, item.decision.lane)),
    el('td', { class: 'route' }, routeStops(item.route)),
    el('td', {}, el('bdi', { class: 'goods' }, item.goodsSummary)),
    el('td', {}, el('ul', { class: 'rules' }, rules)),
    el('td', { class: 'case' }, caseLine(item)),
    el('td', { class: 'actions' }, actions),
  );
};

/**
 * A route's stops each isolated (`<bdi>`): as one text, a run of right-to-left names (Hebrew, Arabic)
 * with the arrows between them is laid out right to left, and its stops show in reverse order.
 */
const routeStops = (route) =>
  String(route)
    .split(' → ')
    .flatMap((stop, index) => [...(index === 0 ? [] : [' → ']), el('bdi', {}, stop)]);

/** Where focus is in the queue, as a redraw can find it again: the row's parcel and the control's label. */
const focusInQueue = () => {
  const focused = document.activeElement;
  const row = focused && byId('queue-rows').contains(focused) ? focused.closest('tr[data-parcel-key]') : null;
  return row ? { parcelKey: row.dataset.parcelKey, label: focused.getAttribute('aria-label') } : undefined;
};

/**
 * A redraw (a lease ending, an answer) replaces the rows: focus goes back to the same control of the same
 * row, or to that row's first control still enabled (its header when none is), so that a keyboard or
 * screen-reader user keeps their place instead of landing at the top of the page. Whether it did.
 */
const restoreFocus = (place) => {
  if (!place) return false;
  const row = byId('queue-rows').querySelector(`tr[data-parcel-key="${CSS.escape(place.parcelKey)}"]`);
  if (!row) return false;
  const controls = [...row.querySelectorAll('button')];
  const same = controls.find((control) => control.getAttribute('aria-label') === place.label);
  (same && !same.disabled
    ? same
    : (controls.find((control) => !control.disabled) ?? row.querySelector('th'))
  ).focus();
  return true;
};

/** Whether focus has fallen to the page itself (its control turned off, hidden or replaced). */
const focusLost = () => document.activeElement === null || document.activeElement === document.body;

/** Whether focus can go back to an element: still on the page, shown and on. */
const canFocus = (element) =>
  element instanceof HTMLElement &&
  element !== document.body &&
  element.isConnected &&
  !element.disabled &&
  (typeof element.checkVisibility === 'function' ? element.checkVisibility() : element.offsetParent !== null);

/** Whether focus is in an element, or was when the running exchange began (its buttons went off since). */
const holdsFocus = (element) =>
  element.contains(document.activeElement) || (state.busy && element.contains(state.focusBeforeBusy));

/**
 * Sends focus somewhere (`send` focuses and says whether it did): now, or, while an exchange runs (its
 * buttons off, the outcome form inert), once it ends.
 */
const focusWhenFree = (send) => {
  if (state.busy) state.focusAfterBusy = send;
  else send();
};

/** Sends focus to a row (a panel it opened has closed), now, or once the running exchange ends. */
const returnFocusToRow = (place) => focusWhenFree(() => restoreFocus(place));

/** Focuses an element; true, for focusWhenFree. */
const focusOn = (id) => {
  byId(id).focus();
  return true;
};

const renderQueue = () => {
  const listed = state.office !== '' && state.token !== null;
  byId('queue-table').hidden = !listed || state.items.length === 0;
  byId('queue-empty').hidden = !listed || state.items.length > 0;
  byId('queue-empty').textContent =
    state.cursor === undefined
      ? 'No parcels in this queue.'
      : 'No parcels found yet; Next page searches the rest of this queue.';
  byId('more').hidden = !listed || state.cursor === undefined;
  byId('queue-caption').textContent = state.found
    ? `${state.found.parcelId} of ${state.found.partnerId}, found by its house document number (${state.office})`
    : `${state.office}: ${state.status} parcels${state.mine ? ' claimed by you' : ''}, highest priority first`;
  const place = focusInQueue();
  byId('queue-rows').replaceChildren(...state.items.map(renderRow));
  restoreFocus(place);
  syncOutcomeLease();
  watchLeaseEnds();
};

/** setTimeout's longest delay (about 24.8 days); a lease ending later is timed again then. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;
let leaseEndTimer;

/** Renders the queue again when the next listed lease ends, so that its holder's actions go off then. */
const watchLeaseEnds = () => {
  window.clearTimeout(leaseEndTimer);
  const now = apiNow();
  const ends = state.items.map((item) => Date.parse(item.lease?.until)).filter((end) => end > now);
  if (ends.length === 0) return;
  leaseEndTimer = window.setTimeout(renderQueue, Math.min(Math.min(...ends) - now, LONGEST_TIMEOUT_MS));
};

/** Takes a case view the API answered (claim, release, outcome) into the listed item. */
const mergeCase = (item, view) => {
  const updated = { ...item, status: view.status };
  delete updated.lease;
  delete updated.outcome;
  if (view.lease) updated.lease = view.lease;
  if (view.outcome) updated.outcome = view.outcome;
  state.items = state.items.map((candidate) =>
    candidate.parcelKey === item.parcelKey ? updated : candidate,
  );
  return updated;
};

/** The problem document of a 409, or an empty one. */
const conflictOf = (error) => (error instanceof ApiProblem && error.status === 409 ? error.body : null) ?? {};

/** The lease a 409 names (`heldBy`, `leaseUntil`: someone else's, live when the API answered), if any. */
const leaseOfConflict = (error) => {
  const { heldBy, leaseUntil } = conflictOf(error);
  return typeof heldBy === 'string' && typeof leaseUntil === 'string'
    ? { heldBy, until: leaseUntil }
    : undefined;
};

/** The outcome a 409 names (`outcome`, `recordedAt`: recorded before this request), if any. */
const outcomeOfConflict = (error) => {
  const { outcome, recordedAt } = conflictOf(error);
  return typeof outcome === 'string' && typeof recordedAt === 'string' ? { outcome, recordedAt } : undefined;
};

/** Whether a 409 says nobody holds a live claim on the parcel (`claimed: false`: released, or ran out). */
const unclaimedOfConflict = (error) => conflictOf(error).claimed === false;

/**
 * The API has no read of one case: a claim, release or outcome refused for another officer's lease, for
 * an outcome recorded since the listing, or because nobody holds a live claim (released elsewhere, or
 * run out), is the API's word on the parcel, so the row (and an open outcome form) shows that lease, that
 * outcome or no claim instead of what the listing showed.
 */
const showCaseOfConflict = (item, error) => {
  const lease = leaseOfConflict(error);
  const outcome = lease === undefined ? outcomeOfConflict(error) : undefined;
  if (lease !== undefined) mergeCase(item, { status: 'claimed', lease });
  else if (outcome !== undefined) {
    mergeCase(item, { status: 'closed', outcome });
    if (state.selected?.parcelKey === item.parcelKey) closeOutcome();
  } else if (unclaimedOfConflict(error)) mergeCase(item, { status: 'open' });
  else return;
  renderQueue();
};

/** Posts an action on the parcel (claim, release, outcome); a refusal naming a lease or an outcome shows it in the row. */
const postCaseAction = async (item, action, body) => {
  try {
    return await api('POST', `${parcelPath(item)}/${action}`, body);
  } catch (error) {
    showCaseOfConflict(item, error);
    throw error;
  }
};

const claim = (item, action) =>
  exchange(`${action === 'claim' ? 'Claiming' : 'Releasing'} ${item.parcelId}`, async () => {
    const view = await postCaseAction(item, action);
    const updated = mergeCase(item, view);
    if (action === 'release' && state.selected?.parcelKey === item.parcelKey) closeOutcome();
    renderQueue();
    announce(
      action === 'claim'
        ? `${item.parcelId} is claimed by ${updated.lease?.heldBy} until ${formatTime(updated.lease?.until)}.`
        : `${item.parcelId} is released.`,
    );
  });

// ---- the outcome ---------------------------------------------------------------------------------

const syncSeizureFields = () => {
  const outcome = new FormData(byId('outcome-form')).get('outcome');
  byId('seizure-fields').disabled = outcome !== 'seized';
  // Pieces are counted: the arrows step by one (amountProblem refuses a fraction).
  byId('amount').step = byId('unit').value === 'pieces' ? '1' : 'any';
};

/**
 * The API's rule for a seizure's amount, mirrored to refuse it here before sending: SeizureSchema in
 * functions/core/review/outcome.ts (positive, at most 1e9, a whole number of pieces), with notTooFine
 * and SMALLEST_MEASURE of events/manifest-v1.ts. Change it there first, then here.
 */
const SMALLEST_AMOUNT = 0.000001;
const LARGEST_AMOUNT = 1e9;

/** Why the API would refuse the amount typed, or undefined when it would take it. */
const amountProblem = (input, unit) => {
  // A number box reads '' for text that is no number, as for an empty box.
  if (input.validity.badInput) return 'The quantity must be a number, e.g. 4.2.';
  const text = input.value.trim();
  if (text === '') return 'Enter the quantity seized.';
  const amount = Number(text);
  if (!(amount > 0)) return 'The quantity must be more than 0.';
  if (amount < SMALLEST_AMOUNT) return `The quantity must be at least ${SMALLEST_AMOUNT}.`;
  if (amount > LARGEST_AMOUNT) return `The quantity must be at most ${LARGEST_AMOUNT}.`;
  if (unit === 'pieces' && !Number.isInteger(amount)) {
    return 'Pieces are counted: the quantity must be a whole number.';
  }
  return undefined;
};

/**
 * The API's rules for staff text, mirrored: staffLine and safeLines in functions/core/review/outcome.ts,
 * that is SAFE_TEXT and SAFE_LINES (no control or bidirectional formatting character, no lone surrogate;
 * notes may hold tabs and line breaks), showsText (a line is not blank once invisible characters and
 * Braille blanks are dropped) of events/manifest-v1.ts, and zod's max, which counts code points of the
 * trimmed text (the fields' maxlength counts UTF-16 units before trimming, so it is left at twice that).
 * Change them there first, then here.
 */
const REFUSED_BEYOND_C0 =
  '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff';
const UNSAFE_LINE = new RegExp(`[\\u0000-\\u001f${REFUSED_BEYOND_C0}]`, 'u');
const UNSAFE_LINES = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f${REFUSED_BEYOND_C0}]`, 'u');
const SHOWS_NOTHING = /[\p{Default_Ignorable_Code_Point}\ufff9-\ufffb\u2800]/gu;
const LINE_RULE = [
  UNSAFE_LINE,
  'A tab, another control character or a bidirectional formatting mark cannot be recorded: type the text again.',
];
const LINES_RULE = [
  UNSAFE_LINES,
  'A control character (other than a tab or a line break) or a bidirectional formatting mark cannot be recorded: type the text again.',
];

/** Why the API would refuse staff text as sent (trimmed), or undefined when it would take it. */
const textProblem = (text, max, [unsafe, unsafeMessage]) => {
  if (unsafe.test(text)) return unsafeMessage;
  const length = [...text].length;
  return length > max ? `At most ${max} characters: this has ${length}.` : undefined;
};

/** Why the API would refuse a seizure's line of text (required), or undefined when it would take it. */
const lineProblem = (id, missing, max) => {
  const text = byId(id).value.trim();
  if (text === '') return missing;
  return (
    textProblem(text, max, LINE_RULE) ??
    (text.replace(SHOWS_NOTHING, '').trim() === ''
      ? 'This shows nothing (only invisible characters): type the text itself.'
      : undefined)
  );
};

/** The form's fields in its order, each with whether it is a seizure's and why the API would refuse what is typed. */
const FIELD_CHECKS = [
  // No outcome is chosen for the officer: one recorded by a stray Enter would be final.
  ['outcome-choice', false, (data) => (data.get('outcome') === null ? 'Choose an outcome.' : undefined)],
  ['substance', true, () => lineProblem('substance', 'Enter the substance seized.', 200)],
  ['amount', true, (data) => amountProblem(byId('amount'), data.get('unit'))],
  [
    'concealment',
    true,
    () => lineProblem('concealment', 'Enter how it was concealed, e.g. hollowed furniture panel.', 500),
  ],
  // Optional: left empty, none is sent.
  ['notes', false, () => textProblem(byId('notes').value.trim(), 2000, LINES_RULE)],
];

/** The control a field's problem sends focus to: the outcome's first choice for the choice of outcome. */
const fieldControl = (id) =>
  id === 'outcome-choice' ? byId('outcome-choice').querySelector('input[name="outcome"]') : byId(id);

/** Shows (or, for undefined, takes away) a field's problem beside it, as its description. */
const showFieldProblem = (id, problem) => {
  byId(`${id}-problem`).textContent = problem ?? '';
  byId(`${id}-problem`).hidden = problem === undefined;
  if (problem === undefined) byId(id).removeAttribute('aria-invalid');
  else byId(id).setAttribute('aria-invalid', 'true');
};

/** The problem of each field for the finding in the form, `[id, problem]`: a seizure's only for a seizure. */
const checkFields = (form) => {
  const data = new FormData(form);
  const seized = data.get('outcome') === 'seized';
  return FIELD_CHECKS.map(([id, seizure, check]) => [id, seized || !seizure ? check(data) : undefined]);
};

/** The form's field for each path of a 422 that a field of the form can answer. */
const FIELD_OF_PATH = {
  outcome: 'outcome-choice',
  'seizure.substance': 'substance',
  'seizure.quantity.amount': 'amount',
  'seizure.concealment': 'concealment',
  notes: 'notes',
};

/**
 * A 422 the page's own checks did not foresee: each error a field of the form can answer is shown
 * beside that field too, and the first such field takes focus.
 */
const showFieldProblemsOf = (error) => {
  const errors = error instanceof ApiProblem && error.status === 422 ? (error.body?.errors ?? []) : [];
  const fields = errors.flatMap((issue) => {
    const id = FIELD_OF_PATH[issue.path];
    return id === undefined ? [] : [[id, issue.message]];
  });
  for (const [id, message] of fields) showFieldProblem(id, message);
  if (fields.length === 0) return;
  // The form is inert while the exchange runs: the field takes focus once it is over.
  focusWhenFree(() => {
    fieldControl(fields[0][0]).focus();
    return true;
  });
};

/**
 * Once a field's problem is shown, it follows what the officer types in that field (`only`), or in any
 * (a choice changed), and goes when the field is right.
 */
const recheckFields = (only) => {
  for (const [id, problem] of checkFields(byId('outcome-form'))) {
    if (only !== undefined && id !== only) continue;
    if (!byId(`${id}-problem`).hidden) showFieldProblem(id, problem);
  }
};

/** The listed item the outcome panel is open for (the listing replaces items as cases change). */
const selectedItem = () => state.items.find((item) => item.parcelKey === state.selected?.parcelKey);

/** Only the holder of a live lease may record the outcome: once it ends, the panel says so and will not send. */
const syncOutcomeLease = () => {
  const item = selectedItem();
  const ended = item !== undefined && !heldByMe(item);
  const submit = byId('outcome-submit');
  // Just ended, with focus on the button it turns off (or lost): the panel's heading takes focus, and
  // the message below, an alert, says why. During an exchange every button is off, so focus counts from
  // where it was when the exchange began.
  const focusOff = state.busy
    ? state.focusBeforeBusy === submit
    : document.activeElement === submit || focusLost();
  const justEnded = ended && submit.dataset.unavailable !== 'true';
  submit.dataset.unavailable = String(ended);
  submit.disabled = ended || state.busy;
  const said = ended ? `Your claim on ${item.parcelId} has ended: claim it again to record its outcome.` : '';
  // An alert: written again, even with the same words, a screen reader reads it again.
  if (byId('outcome-lease').textContent !== said) byId('outcome-lease').textContent = said;
  byId('outcome-lease').hidden = !ended;
  if (justEnded && focusOff) {
    // During an exchange (a 409 for another officer's claim), once its buttons are on again.
    focusWhenFree(() => focusOn('outcome-heading'));
  }
};

const openOutcome = (item) => {
  state.selected = item;
  const form = byId('outcome-form');
  form.reset();
  syncSeizureFields();
  for (const [id] of FIELD_CHECKS) showFieldProblem(id, undefined);
  byId('outcome-heading').textContent = `Record the outcome of ${item.parcelId}`;
  byId('outcome-panel').hidden = false;
  renderQueue();
  byId('outcome-heading').focus();
};

/** Closes the outcome panel; focus in it (or lost to the page) goes back to its row's Record outcome. */
const closeOutcome = () => {
  const panel = byId('outcome-panel');
  const item = state.selected;
  const hadFocus = holdsFocus(panel);
  state.selected = undefined;
  panel.hidden = true;
  if (item && hadFocus)
    returnFocusToRow({ parcelKey: item.parcelKey, label: `Record outcome ${item.parcelId}` });
};

const findingOf = (form) => {
  const data = new FormData(form);
  const finding = { outcome: data.get('outcome') };
  if (finding.outcome === 'seized') {
    const amount = String(data.get('amount') ?? '').trim();
    finding.seizure = {
      substance: String(data.get('substance') ?? ''),
      quantity: { amount: Number(amount), unit: data.get('unit') },
      concealment: String(data.get('concealment') ?? ''),
    };
  }
  const notes = String(data.get('notes') ?? '').trim();
  if (notes !== '') finding.notes = notes;
  return finding;
};

/** What the officer confirms before an outcome is recorded: the finding and the parcel, and that it is final. */
const confirmationOf = (item, finding) =>
  `Record the outcome "${findingText(finding)}" for parcel ${item.parcelId} (${item.partnerId})?\n\n` +
  "Once recorded it is final: only an admin's correction changes it.";

const recordOutcome = (form) => {
  const item = state.selected;
  if (!item) return;
  const problems = checkFields(form);
  for (const [id, problem] of problems) showFieldProblem(id, problem);
  const [firstId, firstProblem] = problems.find(([, problem]) => problem !== undefined) ?? [];
  if (firstId !== undefined) {
    clearProblem();
    // Focus moving to the field reads its problem; a field focused already (Enter pressed in it) would
    // not be read again, so the problem is said aloud.
    if (document.activeElement === fieldControl(firstId)) announce(firstProblem);
    else fieldControl(firstId).focus();
    return;
  }
  const finding = findingOf(form);
  // An outcome is final (only an admin's correction changes it): the officer confirms what is recorded, and where.
  if (!window.confirm(confirmationOf(item, finding))) {
    announce(`Nothing recorded for ${item.parcelId}.`);
    return;
  }
  return exchange(`Recording the outcome of ${item.parcelId}`, async () => {
    const view = await postCaseAction(item, 'outcome', finding).catch((error) => {
      showFieldProblemsOf(error);
      throw error;
    });
    mergeCase(item, view);
    closeOutcome();
    renderQueue();
    announce(`Outcome recorded for ${item.parcelId}: ${view.outcome?.outcome ?? finding.outcome}.`);
  });
};

// ---- the consignee's neighbourhood ------------------------------------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';
const GRAPH = { width: 640, height: 460, cx: 320, cy: 215, rings: [0, 100, 175], stretch: 1.6 };
const KIND_NAMES = {
  consignee: 'consignee',
  shipper: 'shipper',
  phone: 'phone',
  address: 'address',
  idDocument: 'ID document',
};

const svg = (tag, attributes = {}, ...children) => {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
};

const describeNode = (node) =>
  `${KIND_NAMES[node.kind] ?? node.kind} ${node.key}: ${plural(node.parcels90d, 'parcel')} in 90 days, ` +
  `${node.flags} flagged, ${plural(node.inspections, 'inspection')}, ${plural(node.seizures, 'seizure')}`;

/** Root in the middle, one hop on the inner ring, two hops on the outer one (offset between). */
const layoutGraph = (nodes) => {
  const positions = new Map();
  // With nothing two hops away, the first ring takes the room of the second.
  const rings = nodes.some((node) => node.hop === 2) ? GRAPH.rings : [0, GRAPH.rings[2]];
  for (const hop of [0, 1, 2]) {
    const ring = nodes.filter((node) => node.hop === hop);
    ring.forEach((node, index) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * (index + (hop === 2 ? 0.5 : 0))) / ring.length;
      const radius = rings[hop];
      positions.set(node.key, {
        x: GRAPH.cx + radius * GRAPH.stretch * Math.cos(angle),
        y: GRAPH.cy + radius * Math.sin(angle),
      });
    });
  }
  return positions;
};

const drawGraph = (graph) => {
  const positions = layoutGraph(graph.nodes);
  const labelled = graph.nodes.length <= 24;
  const edges = graph.edges
    .filter((edge) => positions.has(edge.from) && positions.has(edge.to))
    .map((edge) => {
      const from = positions.get(edge.from);
      const to = positions.get(edge.to);
      return svg('line', { class: 'graph-edge', x1: from.x, y1: from.y, x2: to.x, y2: to.y });
    });
  const nodes = graph.nodes.map((node) => {
    const { x, y } = positions.get(node.key);
    const radius = Math.min(22, 8 + 4 * Math.sqrt(node.parcels90d));
    const classes = [
      'graph-node',
      node.seizures > 0 ? 'seized' : node.flags > 0 ? 'flagged' : '',
      node.hop === 0 ? 'root' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const counts = [
      `${node.parcels90d}p`,
      node.flags > 0 ? `${node.flags}f` : '',
      node.seizures > 0 ? `${node.seizures}s` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return svg(
      'g',
      { class: classes, 'data-key': node.key },
      svg('title', {}, describeNode(node)),
      node.hop === 0 ? svg('circle', { class: 'outer', cx: x, cy: y, r: radius + 5 }) : undefined,
      svg('circle', { cx: x, cy: y, r: radius }),
      labelled
        ? svg('text', { class: 'kind', x, y: y + radius + 13 }, KIND_NAMES[node.kind] ?? node.kind)
        : undefined,
      labelled ? svg('text', { x, y: y + radius + 26 }, counts) : undefined,
    );
  });
  return svg(
    'svg',
    {
      viewBox: `0 0 ${GRAPH.width} ${GRAPH.height}`,
      role: 'img',
      'aria-label': `Graph of ${plural(graph.nodes.length, 'party', 'parties')} and ${plural(graph.edges.length, 'link')}; the table below lists them.`,
    },
    svg('g', {}, edges),
    svg('g', {}, nodes),
  );
};

const renderLinks = (item, graph) => {
  state.linksFor = item;
  byId('links-heading').textContent = `Consignee's neighbourhood: ${item.parcelId}`;
  byId('links-summary').textContent =
    `${plural(graph.nodes.length, 'party', 'parties')} within two hops of the consignee, region ${graph.region}, ` +
    `as of ${formatTime(graph.asOf)}.${graph.truncated ? ' The answer was cut at its size bound.' : ''} ` +
    'Counts are p parcels in 90 days, f flagged, s seizures.';
  byId('links-graph').replaceChildren(drawGraph(graph));
  byId('links-rows').replaceChildren(
    ...graph.nodes.map((node) =>
      el(
        'tr',
        { 'data-key': node.key },
        el('th', { scope: 'row' }, el('code', {}, node.key)),
        el('td', {}, KIND_NAMES[node.kind] ?? node.kind),
        el('td', {}, node.hop),
        el('td', {}, node.parcels90d),
        el('td', {}, node.flags),
        el('td', {}, node.inspections),
        el('td', {}, node.seizures),
      ),
    ),
  );
  byId('links-panel').hidden = false;
  byId('links-heading').focus();
};

/** Closes the links panel; focus in it (or lost to the page) goes back to its row's Consignee links. */
const closeLinks = () => {
  const panel = byId('links-panel');
  const item = state.linksFor;
  const hadFocus = holdsFocus(panel);
  state.linksFor = undefined;
  panel.hidden = true;
  byId('links-graph').replaceChildren();
  byId('links-rows').replaceChildren();
  if (item && hadFocus)
    returnFocusToRow({ parcelKey: item.parcelKey, label: `Consignee links ${item.parcelId}` });
};

const showLinks = (item) =>
  exchange(`Reading the links of ${item.parcelId}'s consignee`, async () => {
    const graph = await api(
      'GET',
      `v1/parties/${encodeURIComponent(item.partyKeys.consignee)}/links?region=${encodeURIComponent(item.region)}`,
    );
    renderLinks(item, graph);
    announce(
      `${plural(graph.nodes.length, 'party', 'parties')} linked to the consignee of ${item.parcelId}.`,
    );
  });

// ---- wiring --------------------------------------------------------------------------------------

const start = () => {
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    useToken(byId('token').value);
  });
  byId('forget-token').addEventListener('click', forgetToken);
  byId('sign-in-button').addEventListener('click', () =>
    beginSignIn().catch((error) => showProblem(error, 'Signing in')),
  );
  byId('sign-out').addEventListener('click', () => {
    void signOut();
  });
  byId('queue-form').addEventListener('submit', (event) => {
    event.preventDefault();
    listQueue(false);
  });
  byId('more').addEventListener('click', () => listQueue(true));
  // A closed parcel is claimed by nobody: "Only my claims" lists open ones.
  byId('status').addEventListener('change', () => {
    const closed = byId('status').value === 'closed';
    byId('mine').disabled = closed;
    if (closed) byId('mine').checked = false;
  });
  byId('find-form').addEventListener('submit', (event) => {
    event.preventDefault();
    findParcel();
  });
  byId('outcome-form').addEventListener('change', () => {
    syncSeizureFields();
    recheckFields();
  });
  byId('outcome-form').addEventListener('input', (event) => recheckFields(event.target.id));
  byId('outcome-form').addEventListener('submit', (event) => {
    event.preventDefault();
    recordOutcome(event.currentTarget);
  });
  byId('links-close').addEventListener('click', closeLinks);
  const cancelOutcome = () => {
    closeOutcome();
    renderQueue();
  };
  byId('outcome-cancel').addEventListener('click', cancelOutcome);
  // Escape in the form is Cancel, unless an outcome is being sent.
  byId('outcome-panel').addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || state.busy) return;
    event.preventDefault();
    cancelOutcome();
  });

  // Out of the address at once: the code is good once, and must not stay in history or a bookmark.
  const answer = takeSignInAnswer();
  // Read first: the calls a stored token starts wait for it.
  const reading = readConfig();
  configured = reading.catch(() => undefined);
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored) useToken(stored);
  else renderSignedIn();
  reading
    .then(() => (answer !== null && state.signIn !== null ? finishSignIn(answer) : undefined))
    .catch((error) => showProblem(error, 'Signing in'));
  window.setInterval(checkRenewal, RENEW_CHECK_MS);
};

start();
