import type { PluginStore } from '@chatops/core';
import type { CheckResult } from './check/types.js';

const KEY_PREFIX = 'last:';

/** The latest check result of each target, kept in the robot's store for `ping` without arguments. */
export class LastKnownResults {
  constructor(private readonly store: PluginStore) {}

  async record(result: CheckResult): Promise<void> {
    await this.store.set(KEY_PREFIX + result.target, result);
  }

  async read(names: string[]): Promise<Map<string, CheckResult>> {
    const results = await Promise.all(names.map((name) => this.store.get<CheckResult>(KEY_PREFIX + name)));
    const byName = new Map<string, CheckResult>();
    results.forEach((result, index) => {
      const name = names[index];
      if (result && name !== undefined) byName.set(name, result);
    });
    return byName;
  }
}
