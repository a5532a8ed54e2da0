import type { AdapterHost } from '@chatops/core';

/** The robot's (pino) logger as handed to adapters. */
export type Logger = AdapterHost['log'];
