import { randomBytes } from 'node:crypto';
import { AppError } from './app-error.js';

/** A custom slash command registered on a team. */
export interface CommandRecord {
  id: string;
  teamId: string;
  /** Without the slash: `opsbot`. */
  trigger: string;
  url: string;
  token: string;
  method: 'P' | 'G';
}

/** `model.CommandResponse`. */
export interface CommandResponse {
  response_type?: string;
  text?: string;
  username?: string;
  channel_id?: string;
  icon_url?: string;
  type?: string;
  props?: Record<string, unknown>;
  goto_location?: string;
  skip_slack_parsing?: boolean;
  attachments?: unknown[];
  extra_responses?: CommandResponse[];
}

/** `model.PostActionIntegrationResponse`. */
export interface ActionResponse {
  update?: { message?: string; props?: Record<string, unknown> | null } | null;
  ephemeral_text?: string;
  skip_slack_parsing?: boolean;
  goto_location?: string;
}

/** One outgoing request the emulator made to an integration, for assertions. */
export interface IntegrationCall {
  kind: 'command' | 'action' | 'dialog';
  url: string;
  headers: Record<string, string>;
  /** The form fields (commands) or JSON body (actions) sent. */
  body: Record<string, unknown>;
  status: number;
  responseText: string;
}

export function newTriggerId(): string {
  return Buffer.from(`${randomBytes(13).toString('hex')}:${Date.now()}`).toString('base64');
}

/** `DoCommandRequest`: a form POST with the command token; any non-200 is a failure for the user. */
export async function postCommand(
  command: CommandRecord,
  fields: Record<string, string>,
  timeoutMs: number,
  calls: IntegrationCall[],
): Promise<CommandResponse> {
  const form = new URLSearchParams({ token: command.token, ...fields });
  const headers = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
    Authorization: `Token ${command.token}`,
    'User-Agent': 'Go-http-client/1.1',
  };
  const { status, text, contentType } = await post(command.url, headers, form.toString(), timeoutMs);
  calls.push({
    kind: 'command',
    url: command.url,
    headers,
    body: Object.fromEntries(form),
    status,
    responseText: text,
  });
  if (status !== 200) {
    throw new AppError(
      500,
      'api.command.execute_command.failed_resp.app_error',
      `Command with a trigger of '/${command.trigger}' returned response ${status}.`,
    );
  }
  if (!contentType.startsWith('application/json')) return { text };
  try {
    return text.trim() ? (JSON.parse(text) as CommandResponse) : {};
  } catch {
    return { text };
  }
}

/** `DoPostActionWithCookie`: a JSON POST to `integration.url`; non-200 or bad JSON fails the click. */
export async function postAction(
  url: string,
  body: Record<string, unknown>,
  timeoutMs: number,
  calls: IntegrationCall[],
): Promise<ActionResponse> {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const failed = () =>
    new AppError(400, 'api.post.do_action.action_integration.app_error', 'Action integration error.');
  let result: Awaited<ReturnType<typeof post>>;
  try {
    result = await post(url, headers, JSON.stringify(body), timeoutMs);
  } catch {
    throw failed();
  }
  calls.push({ kind: 'action', url, headers, body, status: result.status, responseText: result.text });
  if (result.status !== 200) throw failed();
  if (!result.text.trim()) return {};
  try {
    return JSON.parse(result.text) as ActionResponse;
  } catch {
    throw failed();
  }
}

/** `SubmitInteractiveDialog`: a JSON POST to the dialog's `url`; non-200 or bad JSON fails the submit. */
export async function postDialogSubmission(
  url: string,
  body: Record<string, unknown>,
  timeoutMs: number,
  calls: IntegrationCall[],
): Promise<{ error?: string; errors?: Record<string, string> }> {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const result = await post(url, headers, JSON.stringify(body), timeoutMs);
  calls.push({ kind: 'dialog', url, headers, body, status: result.status, responseText: result.text });
  if (result.status !== 200) {
    throw new AppError(
      500,
      'app.submit_interactive_dialog.json_error',
      'Encountered an error submitting the dialog.',
    );
  }
  if (!result.text.trim()) return {};
  try {
    return JSON.parse(result.text) as { error?: string; errors?: Record<string, string> };
  } catch {
    throw new AppError(
      500,
      'app.submit_interactive_dialog.json_error',
      'Encountered an error submitting the dialog.',
    );
  }
}

async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: response.status,
      text: await response.text(),
      contentType: response.headers.get('content-type') ?? '',
    };
  } catch (error) {
    throw new AppError(
      500,
      'api.command.execute_command.failed.app_error',
      `Command request failed: ${(error as Error).message}`,
    );
  }
}
