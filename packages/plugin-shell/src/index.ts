/**
 * @chatops/plugin-shell: run whitelisted scripts on the bot's host from chat, safely.
 * @packageDocumentation
 */
import { shellPlugin } from './shell-plugin.js';

export { type ScriptConfig, type ShellConfig, shellConfigSchema } from './config.js';
export type { ScriptCard } from './script-card.js';
export { shellPlugin };
export default shellPlugin;
