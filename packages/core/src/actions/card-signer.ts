import type { ActionConfirm, Card, CardAction, RenderedAction, RenderedCard } from '../chat/card.js';
import type { Router } from '../router/router.js';
import { parseDuration } from '../shared/duration.js';
import { ActionTokens } from './action-token.js';

/**
 * Turns a card into what adapters post: each action becomes a signed, expiring token bound to the
 * conversation, with its style and confirmation filled in from the registered action's effect.
 */
export class CardSigner {
  constructor(
    private readonly router: Pick<Router, 'action'>,
    private readonly tokens: ActionTokens,
    /** How long a button works when its action sets no `ttl` (`actions.ttl`). */
    private readonly defaultTtlMs: number,
    private readonly now: () => number,
  ) {}

  /** The card with its actions signed for `conversationId`. */
  sign(card: Card, conversationId: string): RenderedCard {
    const { actions = [], ...rest } = card;
    return { ...rest, actions: actions.map((action) => this.signAction(action, conversationId)) };
  }

  private signAction(action: CardAction, conversationId: string): RenderedAction {
    const registered = this.router.action(action.action);
    if (!registered) throw new Error(`card action "${action.action}" is not registered (bot.action)`);
    const args = action.args ?? {};
    const effect = registered.effect(args as Record<string, never>);
    // An action's own ttl was checked when it was registered.
    const ttl = registered.spec.ttl === undefined ? this.defaultTtlMs : parseDuration(registered.spec.ttl)!;
    const token = this.tokens.sign({
      action: action.action,
      args,
      conversation: conversationId,
      expires: this.now() + ttl,
      nonce: ActionTokens.nonce(),
    });
    const style = action.style ?? (effect === 'write' ? 'danger' : 'default');
    const confirm = confirmDialog(action, effect === 'write');
    return {
      label: action.label,
      action: action.action,
      style,
      effect,
      token,
      ...(confirm ? { confirm } : {}),
    };
  }
}

function confirmDialog(action: CardAction, isWrite: boolean): ActionConfirm | undefined {
  const wanted = action.confirm ?? isWrite;
  if (wanted === false) return undefined;
  if (typeof wanted === 'object') return wanted;
  return {
    title: 'Are you sure?',
    text: typeof wanted === 'string' ? wanted : `${action.label}?`,
    ok: action.label,
    dismiss: 'Cancel',
  };
}
