/**
 * The TCP optimizer server (OpEn's JSON protocol), its protocol layer as pure
 * functions, and the {@link OptimizerTcpManager} client.
 *
 * @module
 */
export {
  type CallOptions,
  type CallResult,
  DEFAULT_REQUEST_TIMEOUT_MS,
  OptimizerTcpManager,
  parseReply,
  type RemoteError,
  type RemoteSolverStatus,
  type Reply,
  type RequestFailure,
  sendRequest,
  TcpRequestError,
  type TimeoutOption,
} from "./client.js";
export { type ClusterServer, processCount, serveReplica, startCluster } from "./cluster.js";
export { type FrameState, RequestFramer } from "./framer.js";
export {
  createLogger,
  LOG_LEVEL_VARIABLE,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
} from "./logger.js";
export {
  type ParseResult,
  parseRequest,
  type Request,
  serializeError,
  serializePong,
  serializeStatus,
  serverMessages,
} from "./protocol.js";
export { type OptimizerServer, type ServerOptions, startServer } from "./server.js";
export { resolveSettings, SERVER_SETTINGS, type ServerSettings } from "./settings.js";
export type { SolverDimensions } from "./solverPool.js";
