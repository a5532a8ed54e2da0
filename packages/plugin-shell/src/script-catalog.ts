import { isAbsolute, resolve } from 'node:path';
import type { Effect } from '@chatops/core';
import type { ShellConfig } from './config.js';
import { type ParameterSpec, parameterUsage } from './parameters.js';

/** A declared script with its paths resolved: everything needed to run it. */
export interface Script {
  name: string;
  description: string;
  /** Absolute path of the executable. */
  command: string;
  args: readonly string[];
  parameters: readonly ParameterSpec[];
  timeoutMs: number;
  /** Absolute working directory. */
  cwd: string;
  env: Readonly<Record<string, string>>;
  passEnv: readonly string[];
  effect: Effect;
  maxOutputBytes: number;
  concurrency: number;
  maxQueue: number;
  expose: boolean;
  passAfterDoubleDash: boolean;
  /** `disk-usage <host> [lines]` */
  usage: string;
}

/** Resolves the declared scripts; relative paths are relative to `baseDir` (the config file's directory). */
export function resolveScripts(config: ShellConfig, baseDir: string): Map<string, Script> {
  const scripts = new Map<string, Script>();
  for (const [name, declared] of Object.entries(config.scripts)) {
    const parameters = declared.params;
    scripts.set(name, {
      name,
      description: declared.description,
      command: resolvePath(baseDir, declared.command),
      args: declared.args,
      parameters,
      timeoutMs: declared.timeout,
      cwd: declared.cwd === undefined ? baseDir : resolvePath(baseDir, declared.cwd),
      env: declared.env,
      passEnv: declared.passEnv,
      effect: declared.effect,
      maxOutputBytes: declared.maxOutput,
      concurrency: declared.concurrency,
      maxQueue: declared.maxQueue,
      expose: declared.expose,
      passAfterDoubleDash: declared.passAfterDoubleDash,
      usage: [name, parameterUsage(parameters)].filter(Boolean).join(' '),
    });
  }
  return scripts;
}

/** The argument vector for a run: fixed arguments, then `--` when asked for, then the user's. */
export function argumentVector(script: Script, userArguments: readonly string[]): string[] {
  return [...script.args, ...(script.passAfterDoubleDash ? ['--'] : []), ...userArguments];
}

function resolvePath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
