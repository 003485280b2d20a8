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
export { createLogger, LOG_LEVEL_VARIABLE } from "./logger.js";
export {
  DEFAULT_MAX_REQUEST_BYTES,
  type FrameState,
  type ParseResult,
  parseRequest,
  type Request,
  RequestFramer,
  serializeError,
  serializePong,
  serializeStatus,
} from "./protocol.js";
export { type OptimizerServer, type ServerOptions, startServer } from "./server.js";
export type { SolverDimensions } from "./solverPool.js";
