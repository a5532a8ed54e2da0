import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpExchangeRequest } from './check/http-exchange.js';
import type { CheckTarget, TlsOptions } from './check/types.js';
import type { PingConfig, RestartConfig, TargetConfig } from './config.js';

/** A configured target: how to check it and, optionally, how to restart it. */
export interface Target {
  name: string;
  aliases: string[];
  check: CheckTarget;
  restart?: ResolvedRestart;
}

/** A restart with its TLS CA file already read. */
export type ResolvedRestart =
  | { kind: 'command'; command: string; waitForMs: number }
  | ({ kind: 'http'; waitForMs: number } & Omit<HttpExchangeRequest, 'maxBodyBytes' | 'signal'>);

/**
 * The targets named in the config, found by name or alias, case-insensitively. Only these can be
 * checked from chat: nothing a user types ever becomes a URL.
 */
export class TargetCatalog {
  private readonly byWord = new Map<string, Target>();
  readonly all: Target[];

  constructor(config: PingConfig, configDir: string) {
    this.all = Object.entries(config.targets).map(([name, target]) => resolveTarget(name, target, configDir));
    for (const target of this.all) {
      for (const word of [target.name, ...target.aliases]) this.byWord.set(word.toLowerCase(), target);
    }
  }

  find(nameOrAlias: string): Target | undefined {
    return this.byWord.get(nameOrAlias.toLowerCase());
  }
}

function resolveTarget(name: string, config: TargetConfig, configDir: string): Target {
  const url = new URL(config.url);
  const base = { name, timeoutMs: config.timeout, degradedAfterMs: config.degradedAfter };
  const check: CheckTarget =
    url.protocol === 'tcp:'
      ? { ...base, kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) }
      : {
          ...base,
          kind: 'http',
          url,
          method: config.method,
          headers: config.headers,
          expect: config.expect,
          tls: resolveTls(config.tls, configDir, `targets.${name}.tls.ca`),
        };
  const target: Target = { name, aliases: config.aliases, check };
  if (config.restart) target.restart = resolveRestart(name, config.restart, configDir);
  return target;
}

function resolveRestart(name: string, restart: RestartConfig, configDir: string): ResolvedRestart {
  if ('command' in restart) return { kind: 'command', command: restart.command, waitForMs: restart.waitFor };
  const { http } = restart;
  return {
    kind: 'http',
    url: new URL(http.url),
    method: http.method,
    headers: http.headers,
    body: http.body,
    timeoutMs: http.timeout,
    tls: resolveTls(http.tls, configDir, `targets.${name}.restart.http.tls.ca`),
    waitForMs: restart.waitFor,
  };
}

function resolveTls(
  tls: { verify: boolean; ca?: string | undefined },
  configDir: string,
  key: string,
): TlsOptions {
  if (!tls.ca) return { verify: tls.verify };
  if (tls.ca.includes('-----BEGIN')) return { verify: tls.verify, ca: tls.ca };
  const path = resolve(configDir, tls.ca);
  try {
    return { verify: tls.verify, ca: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new Error(`${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
