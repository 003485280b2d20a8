/**
 * The playground's static server (node:http, no dependency): it serves the
 * page (playground/) and the browser bundle (dist/browser/) of this
 * repository, and nothing else.
 *
 *     npm run playground [-- --port N] [-- --host ADDRESS]
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};
/** The folders served, relative to the repository. */
const SERVED = ["/playground/", "/dist/browser/"];

/** A running playground server. */
export interface PlaygroundServer {
  /** The page's address, e.g. `http://127.0.0.1:8080/playground/`. */
  readonly url: string;
  /** The underlying server. */
  readonly server: Server;
  /** Stops listening and closes idle connections. */
  close(): Promise<void>;
}

/** The file of a request path, or `undefined` when it is not served. */
function fileOf(root: URL, pathname: string): URL | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.endsWith("/")) path += "index.html";
  if (path.includes("\0") || path.split("/").some((s) => s === ".." || s === ".")) return undefined;
  if (!SERVED.some((prefix) => path.startsWith(prefix))) return undefined;
  return new URL(`.${path}`, root);
}

/**
 * Serves the playground on `host`:`port` (port 0: a free port) and resolves
 * once it listens.
 *
 * @param root the repository's folder (default: the one this module was built in)
 */
export function startPlaygroundServer(
  port = 0,
  host = "127.0.0.1",
  root: URL = new URL("../../", import.meta.url),
): Promise<PlaygroundServer> {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (pathname === "/" || pathname === "/playground") {
      res.writeHead(302, { location: "/playground/" }).end();
      return;
    }
    const file = fileOf(root, pathname);
    let body: Buffer | undefined;
    if (file !== undefined) body = await readFile(file).catch(() => undefined);
    if (file === undefined || body === undefined) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file.pathname)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const { address, port: bound } = server.address() as AddressInfo;
      const name = address.includes(":") ? `[${address}]` : address;
      resolve({
        url: `http://${name}:${bound}/playground/`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  const port = Number(values.port);
  try {
    const { url } = await startPlaygroundServer(port, values.host);
    console.log(`open-engine playground: ${url} (Ctrl-C stops it)`);
  } catch (e) {
    console.error(
      `cannot serve the playground on ${values.host}:${values.port}: ${(e as Error).message}`,
    );
    process.exit(1);
  }
}
