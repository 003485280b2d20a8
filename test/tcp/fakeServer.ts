/** Stand-ins for servers that are not optimizers: silent, or speaking another protocol. */
import { createServer, type Socket } from "node:net";

/** A TCP server on a free port of 127.0.0.1. */
export interface FakeServer {
  readonly port: number;
  /** Stops listening and drops the connections it holds; resolves once closed. */
  close(): Promise<void>;
}

async function fakeServer(onConnection: (socket: Socket) => void): Promise<FakeServer> {
  const held = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    held.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    close: () => {
      for (const s of held) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Accepts connections and never answers, as a server busy with a long solve. */
export function silentServer(): Promise<FakeServer> {
  return fakeServer(() => {});
}

/** Answers every connection as a web server refusing a request. */
export function httpServer(): Promise<FakeServer> {
  return fakeServer((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
}
