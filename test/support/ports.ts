import { createServer } from 'node:net';

/** A port on 127.0.0.1 held by a listener that serves nothing (a port in use), until `release`. */
export const takeLoopbackPort = async (): Promise<{ port: number; release: () => Promise<void> }> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/** A port on 127.0.0.1 that nothing listens on: one just taken and released. */
export const freeLoopbackPort = async (): Promise<number> => {
  const { port, release } = await takeLoopbackPort();
  await release();
  return port;
};
