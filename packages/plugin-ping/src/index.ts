/**
 * `@chatops/plugin-ping`: named environment health checks (`ping uat`, `ping all`), monitors that
 * alert a notification route, and Restart / Ping again buttons.
 *
 * @packageDocumentation
 */
import { pingPlugin } from './plugin.js';

export { type CheckOptions, checkTarget } from './check/check-target.js';
export type {
  CheckResult,
  CheckTarget,
  Expectation,
  FailureKind,
  Health,
  HttpTarget,
  TcpTarget,
  TlsOptions,
} from './check/types.js';
export {
  type MonitorConfig,
  type PingConfig,
  type PingConfigInput,
  pingConfigSchema,
  type RestartConfig,
  type TargetConfig,
} from './config.js';
export { MONITOR_JOB_NAME, pingPlugin } from './plugin.js';

export default pingPlugin;
