import type { Effect, HelpEntry } from '@chatops/core';

/** How a Hubot listener was registered. */
export type ListenerKind = 'respond' | 'hear' | 'listen' | 'catchAll' | 'enter' | 'leave' | 'topic';

/** Options a script passes to a listener (`{ id: 'deploy' }`); listener middleware sees them. */
export interface ListenerOptions {
  id?: string | null;
  [key: string]: unknown;
}

/** A legacy listener as this package keeps it. */
export interface HubotListener {
  kind: ListenerKind;
  /** `options.id`, or the listener's 1-based position in its script. */
  id: string;
  /** `hubot.<script>.<id>`: what rules grant and the audit log names. */
  permission: string;
  effect: Effect;
  options: ListenerOptions;
  /** The pattern as matched (a `respond` pattern is anchored after the robot's name). */
  regex?: RegExp;
  /** Lines of `help` documenting it; the router reads this same array. */
  help: HelpEntry[];
}

/** A loaded script entry: its name in permissions, its effect and its listeners. */
export interface ScriptInfo {
  name: string;
  effect: Effect;
  listeners: HubotListener[];
}

/** `hubot-rules` → `rules`, `@acme/hubot-deploy` → `deploy`, `./scripts/deploy.js` → `deploy`. */
export function scriptName(entry: { module?: string; path?: string; name?: string }): string {
  if (entry.name) return entry.name;
  const raw = entry.module
    ? (entry.module.split('/').pop() ?? entry.module).replace(/^hubot-/, '')
    : (entry.path ?? 'script')
        .replace(/\/+$/, '')
        .split(/[\\/]/)
        .pop()!
        .replace(/\.[^.]+$/, '');
  return raw.replace(/[^\w-]/g, '_') || 'script';
}

/** Registers `listener` on `script` and names its permission. */
export function newListener(
  script: ScriptInfo,
  kind: ListenerKind,
  options: ListenerOptions,
  regex?: RegExp,
): HubotListener {
  const id = options.id ? String(options.id) : String(script.listeners.length + 1);
  const listener: HubotListener = {
    kind,
    id,
    permission: `hubot.${script.name}.${id}`,
    effect: script.effect,
    options,
    regex,
    help: [],
  };
  script.listeners.push(listener);
  return listener;
}

/** Anchors a `respond` pattern after the robot's name, as Hubot's `respondPattern` does. */
export function respondPattern(regex: RegExp): RegExp {
  return new RegExp(`^(?:${regex.source})`, regex.flags);
}
