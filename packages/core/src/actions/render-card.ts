import type { ActionConfirm, Card, CardAction, RenderedAction, RenderedCard } from '../chat/card.js';
import type { Router } from '../router/router.js';
import { parseDuration } from '../shared/duration.js';
import { ActionTokens } from './action-token.js';

/** What rendering needs from the robot. */
export interface CardRenderHost {
  router: Router;
  tokens: ActionTokens;
  config: { actions: { ttl: number } };
  now(): number;
}

/** Replaces each card action with a signed token bound to the conversation, with style and confirm filled. */
export function renderCard(card: Card, conversationId: string, host: CardRenderHost): RenderedCard {
  const { actions = [], ...rest } = card;
  return { ...rest, actions: actions.map((action) => renderAction(action, conversationId, host)) };
}

function renderAction(action: CardAction, conversationId: string, host: CardRenderHost): RenderedAction {
  const registered = host.router.action(action.action);
  if (!registered) throw new Error(`card action "${action.action}" is not registered (bot.action)`);
  const args = action.args ?? {};
  const effect = registered.effect(args as Record<string, never>);
  // An action's own ttl was checked when it was registered.
  const ttl =
    registered.spec.ttl === undefined ? host.config.actions.ttl : parseDuration(registered.spec.ttl)!;
  const token = host.tokens.sign({
    action: action.action,
    args,
    conversation: conversationId,
    expires: host.now() + ttl,
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
