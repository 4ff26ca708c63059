// Every test process runs as of one fixed instant, from which time passes normally: the bundled lists
// expire on fixed dates, and a suite run in a later year must screen the samples as it does today.
// Plain JavaScript, and passed on through NODE_OPTIONS, so the tools tests start as child processes
// share the same clock (a rotated secret's overlap, a published list's date).
import { ServerResponse } from 'node:http';

const PINNED_AT = Date.parse('2026-11-29T08:00:00Z');
const RealDate = Date;

if (RealDate.pinnedOffset === undefined) {
  const offset = Number(process.env.PARCELGUARD_TEST_CLOCK_OFFSET_MS ?? PINNED_AT - RealDate.now());
  const now = () => RealDate.now() + offset;
  process.env.PARCELGUARD_TEST_CLOCK_OFFSET_MS = String(offset);
  const self = `--import=${import.meta.url}`;
  if (!(process.env.NODE_OPTIONS ?? '').includes(self)) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${self}`.trim();
  }
  // Node's HTTP server stamps its answers with the real time (its own Date, out of reach): the embedded
  // emulators would then tell the AWS SDK its clock is off, and the SDK corrects for that and retries
  // requests it would otherwise not.
  const writeHead = ServerResponse.prototype.writeHead;
  ServerResponse.prototype.writeHead = function (...args) {
    if (this.sendDate && !this.headersSent && !this.hasHeader('date'))
      this.setHeader('date', new RealDate(now()).toUTCString());
    return writeHead.apply(this, args);
  };
  const PinnedDate = new Proxy(RealDate, {
    construct: (target, args, newTarget) =>
      Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) =>
      property === 'now'
        ? now
        : property === 'pinnedOffset'
          ? offset
          : Reflect.get(target, property, receiver),
  });
  // So that `new Date().constructor === Date` still holds.
  Object.defineProperty(RealDate.prototype, 'constructor', {
    value: PinnedDate,
    writable: true,
    configurable: true,
  });
  globalThis.Date = PinnedDate;
}
