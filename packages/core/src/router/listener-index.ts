import { literalPrefix } from './literal-prefix.js';
import type { RegisteredListener } from './registered.js';

const FIRST_WORD = /^\S*/;

/**
 * Regex listeners, indexed where possible. A listener whose pattern is anchored at the start and begins
 * with literal text (`^deploy (.*)`) is filed under that text; a line only tries the listeners filed
 * under a prefix of its first word, plus the unindexed ones (a custom matcher, an unanchored pattern),
 * which every line tries. Candidates keep registration order.
 */
export class ListenerIndex {
  private readonly byPrefix = new Map<string, RegisteredListener[]>();
  /** Lengths of the prefixes in `byPrefix`, so a lookup tries only those. */
  private readonly prefixLengths = new Set<number>();
  private readonly scanned: RegisteredListener[] = [];
  private readonly order = new Map<RegisteredListener, number>();
  private readonly byId = new Map<string, RegisteredListener>();

  add(listener: RegisteredListener): void {
    this.order.set(listener, this.order.size);
    this.byId.set(listener.id, listener);
    const prefix = listener.pattern instanceof RegExp ? literalPrefix(listener.pattern) : undefined;
    if (prefix === undefined) {
      this.scanned.push(listener);
      return;
    }
    const list = this.byPrefix.get(prefix);
    if (list) list.push(listener);
    else this.byPrefix.set(prefix, [listener]);
    this.prefixLengths.add(prefix.length);
  }

  /** The listeners that could match `text`, in registration order. */
  candidates(text: string): RegisteredListener[] {
    const word = FIRST_WORD.exec(text)![0].toLowerCase();
    const found: RegisteredListener[][] = [];
    for (const length of this.prefixLengths) {
      if (length > word.length) continue;
      const list = this.byPrefix.get(word.slice(0, length));
      if (list) found.push(list);
    }
    if (found.length === 0) return this.scanned;
    const merged = [...this.scanned, ...found.flat()];
    return merged.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  /** Takes a listener out (of a plugin whose setup failed). */
  remove(id: string): void {
    const listener = this.byId.get(id);
    if (!listener) return;
    this.byId.delete(id);
    this.order.delete(listener);
    const scannedAt = this.scanned.indexOf(listener);
    if (scannedAt >= 0) this.scanned.splice(scannedAt, 1);
    for (const [prefix, list] of this.byPrefix) {
      const at = list.indexOf(listener);
      if (at < 0) continue;
      list.splice(at, 1);
      if (list.length === 0) this.byPrefix.delete(prefix);
    }
  }

  /** A listener by id (approved requests run the listener they were approved for). */
  get(id: string): RegisteredListener | undefined {
    return this.byId.get(id);
  }

  /** Every listener, in registration order. */
  all(): RegisteredListener[] {
    return [...this.order.keys()];
  }

  /** How many listeners are indexed and how many every line tries. */
  get stats(): { indexed: number; scanned: number } {
    return { indexed: this.order.size - this.scanned.length, scanned: this.scanned.length };
  }
}
