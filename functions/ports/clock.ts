/** Port: the time, injected so that screening and tests are reproducible. */
export interface Clock {
  now(): Date;
}
