import { AppError, invalidBodyParam, invalidParam, invalidUrlParam, noPermission } from './app-error.js';
import { parseJsonBody } from './http-kit.js';
import type { MattermostEmulator, RecordedRequest } from './mattermost-emulator.js';
import {
  channelJson,
  fileInfoJson,
  type PostRecord,
  postJson,
  teamJson,
  type UserRecord,
  userJson,
} from './model.js';

/** What a route handler gets. */
export interface RouteContext {
  emulator: MattermostEmulator;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The authenticated user (routes with `auth: true`). */
  user: UserRecord;
  raw: Buffer;
  contentType: string;
  record: RecordedRequest;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

const ID_SEGMENT = '([a-z0-9]{26}|me)';
const NAME_SEGMENT = '([^/]+)';

/** Builds a path pattern: `{id}` segments become captures, in order. */
function path(template: string): RegExp {
  return new RegExp(
    `^/api/v4${template.replace(/\{id\}/g, ID_SEGMENT).replace(/\{name\}/g, NAME_SEGMENT)}/?$`,
  );
}

function json<T>(ctx: RouteContext, what: string): T {
  const body = parseJsonBody(ctx.raw, what);
  ctx.record.body = body;
  return body as T;
}

function resolveUserId(ctx: RouteContext, value: string): string {
  return value === 'me' ? ctx.user.id : value;
}

function postList(posts: PostRecord[]) {
  return {
    order: posts.map((post) => post.id),
    posts: Object.fromEntries(posts.map((post) => [post.id, postJson(post)])),
    next_post_id: '',
    prev_post_id: '',
    has_next: false,
  };
}

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: path('/system/ping'),
    auth: false,
    handler: () => ({ status: 200, body: { status: 'OK', ActiveSearchBackend: 'database' } }),
  },
  {
    method: 'GET',
    pattern: path('/users/{id}'),
    auth: true,
    handler: (ctx) => {
      const userId = resolveUserId(ctx, ctx.params[0]!);
      const user = ctx.emulator.state.user(userId);
      const self = user.id === ctx.user.id;
      return { status: 200, body: userJson(user, { self, showEmail: ctx.emulator.showEmail }) };
    },
  },
  {
    method: 'GET',
    pattern: path('/users/email/{name}'),
    auth: true,
    handler: (ctx) => {
      const user = ctx.emulator.state.userByEmail(decodeURIComponent(ctx.params[0]!));
      const self = user.id === ctx.user.id;
      return { status: 200, body: userJson(user, { self, showEmail: ctx.emulator.showEmail }) };
    },
  },
  {
    method: 'GET',
    pattern: path('/users/username/{name}'),
    auth: true,
    handler: (ctx) => {
      const user = ctx.emulator.state.userByName(decodeURIComponent(ctx.params[0]!));
      const self = user.id === ctx.user.id;
      return { status: 200, body: userJson(user, { self, showEmail: ctx.emulator.showEmail }) };
    },
  },
  {
    method: 'GET',
    pattern: path('/users/{id}/teams'),
    auth: true,
    handler: (ctx) => {
      const userId = resolveUserId(ctx, ctx.params[0]!);
      if (userId !== ctx.user.id) throw noPermission();
      const teams = [...ctx.emulator.state.teams.values()].filter((team) => team.members.has(userId));
      return { status: 200, body: teams.map(teamJson) };
    },
  },
  {
    method: 'GET',
    pattern: path('/users/{id}/teams/{id}/channels'),
    auth: true,
    handler: (ctx) => {
      const userId = resolveUserId(ctx, ctx.params[0]!);
      if (userId !== ctx.user.id) throw noPermission();
      const channels = ctx.emulator.state.channelsOf(userId, ctx.params[1]!);
      return { status: 200, body: channels.map(channelJson) };
    },
  },
  {
    method: 'GET',
    pattern: path('/teams/name/{name}/channels/name/{name}'),
    auth: true,
    handler: (ctx) => {
      const state = ctx.emulator.state;
      const team = state.teamByName(decodeURIComponent(ctx.params[0]!));
      const channel = state.channelByName(team.id, decodeURIComponent(ctx.params[1]!));
      return { status: 200, body: channelJson(state.readableChannel(channel.id, ctx.user.id)) };
    },
  },
  {
    method: 'POST',
    pattern: path('/channels/direct'),
    auth: true,
    handler: (ctx) => {
      const ids = json<unknown>(ctx, 'user_ids');
      if (!Array.isArray(ids) || ids.length !== 2 || !ids.every((v) => typeof v === 'string')) {
        throw invalidBodyParam('user_ids');
      }
      const [a, b] = ids as [string, string];
      if (a !== ctx.user.id && b !== ctx.user.id) throw noPermission();
      return { status: 201, body: channelJson(ctx.emulator.openDirectChannel(a, b)) };
    },
  },
  {
    method: 'GET',
    pattern: path('/channels/{id}'),
    auth: true,
    handler: (ctx) => ({
      status: 200,
      body: channelJson(ctx.emulator.state.readableChannel(ctx.params[0]!, ctx.user.id)),
    }),
  },
  {
    method: 'GET',
    pattern: path('/channels/{id}/posts'),
    auth: true,
    handler: (ctx) => {
      const state = ctx.emulator.state;
      const channel = state.readableChannel(ctx.params[0]!, ctx.user.id);
      const since = ctx.query.get('since');
      if (since !== null) {
        const time = Number(since);
        if (!Number.isFinite(time)) throw invalidUrlParam('since');
        return { status: 200, body: postList(state.postsSince(channel.id, time)) };
      }
      const page = Number(ctx.query.get('page') ?? 0);
      const perPage = Number(ctx.query.get('per_page') ?? 60);
      const posts = state.postsOf(channel.id).slice(page * perPage, (page + 1) * perPage);
      return { status: 200, body: postList(posts) };
    },
  },
  {
    method: 'POST',
    pattern: path('/posts'),
    auth: true,
    handler: (ctx) => {
      const body = json<Record<string, unknown>>(ctx, 'post');
      if (typeof body !== 'object' || body === null) throw invalidBodyParam('post');
      const post = ctx.emulator.createPost(ctx.user.id, body as never);
      return { status: 201, body: postJson(post) };
    },
  },
  {
    method: 'POST',
    pattern: path('/posts/ephemeral'),
    auth: true,
    handler: (ctx) => {
      const body = json<{ user_id?: string; post?: Record<string, unknown> }>(ctx, 'post');
      if (typeof body?.user_id !== 'string' || typeof body.post !== 'object' || body.post === null) {
        throw invalidBodyParam('post');
      }
      return {
        status: 201,
        body: ctx.emulator.createEphemeral(ctx.user.id, body.user_id, body.post as never),
      };
    },
  },
  {
    method: 'GET',
    pattern: path('/posts/{id}'),
    auth: true,
    handler: (ctx) => {
      const post = ctx.emulator.state.post(ctx.params[0]!);
      ctx.emulator.state.readableChannel(post.channel_id, ctx.user.id);
      return { status: 200, body: postJson(post) };
    },
  },
  {
    method: 'GET',
    pattern: path('/posts/{id}/thread'),
    auth: true,
    handler: (ctx) => {
      const state = ctx.emulator.state;
      const post = state.post(ctx.params[0]!);
      state.readableChannel(post.channel_id, ctx.user.id);
      const rootId = post.root_id || post.id;
      const thread = state
        .postsOf(post.channel_id)
        .filter((candidate) => candidate.id === rootId || candidate.root_id === rootId);
      return { status: 200, body: postList(thread) };
    },
  },
  {
    method: 'PUT',
    pattern: path('/posts/{id}/patch'),
    auth: true,
    handler: (ctx) => {
      const patch = json<Record<string, unknown>>(ctx, 'post');
      if (typeof patch !== 'object' || patch === null) throw invalidBodyParam('post');
      return { status: 200, body: postJson(ctx.emulator.patchPost(ctx.user.id, ctx.params[0]!, patch)) };
    },
  },
  {
    method: 'PUT',
    pattern: path('/posts/{id}'),
    auth: true,
    handler: (ctx) => {
      const body = json<Record<string, unknown>>(ctx, 'post');
      if (typeof body !== 'object' || body === null) throw invalidBodyParam('post');
      return { status: 200, body: postJson(ctx.emulator.updatePost(ctx.user.id, ctx.params[0]!, body)) };
    },
  },
  {
    method: 'DELETE',
    pattern: path('/posts/{id}'),
    auth: true,
    handler: (ctx) => {
      ctx.emulator.deletePost(ctx.user.id, ctx.params[0]!);
      return { status: 200, body: { status: 'OK' } };
    },
  },
  {
    method: 'POST',
    pattern: path('/posts/{id}/actions/{name}'),
    auth: true,
    handler: async (ctx) => ({
      status: 200,
      body: await ctx.emulator.doPostAction(ctx.user.id, ctx.params[0]!, decodeURIComponent(ctx.params[1]!)),
    }),
  },
  {
    method: 'POST',
    pattern: path('/actions/dialogs/open'),
    auth: true,
    handler: (ctx) => {
      ctx.emulator.dialogs.open(json<Record<string, unknown>>(ctx, 'dialog'));
      return { status: 200, body: { status: 'OK' } };
    },
  },
  {
    method: 'POST',
    pattern: path('/actions/dialogs/submit'),
    auth: true,
    handler: async (ctx) => ({
      status: 200,
      body: await ctx.emulator.dialogs.submit(ctx.user.id, json<Record<string, unknown>>(ctx, 'dialog')),
    }),
  },
  {
    method: 'POST',
    pattern: path('/commands/execute'),
    auth: true,
    handler: async (ctx) => ({
      status: 200,
      body: await ctx.emulator.executeCommand(ctx.user.id, json(ctx, 'command_args')),
    }),
  },
  {
    method: 'POST',
    pattern: path('/files'),
    auth: true,
    handler: async (ctx) => {
      if (!ctx.contentType.startsWith('multipart/form-data')) throw invalidParam('multipart');
      const form = await new Response(ctx.raw, { headers: { 'content-type': ctx.contentType } }).formData();
      const channelId = form.get('channel_id');
      if (typeof channelId !== 'string' || !channelId) throw invalidParam('channel_id');
      const infos = [];
      for (const entry of form.getAll('files')) {
        if (typeof entry === 'string') throw invalidParam('files');
        const content = Buffer.from(await entry.arrayBuffer());
        const file = ctx.emulator.state.addFile(
          ctx.user.id,
          channelId,
          entry.name,
          entry.type || 'application/octet-stream',
          content,
        );
        infos.push(fileInfoJson(file));
      }
      if (infos.length === 0)
        throw new AppError(
          400,
          'api.file.upload_file.incorrect_number_of_files.app_error',
          'Unable to upload files. Incorrect number of files specified.',
        );
      ctx.record.body = { channel_id: channelId, files: infos.map((info) => info.name) };
      return { status: 201, body: { file_infos: infos, client_ids: [] } };
    },
  },
];

/** Finds the route for a request; `params` are the path captures in order. */
export function matchRoute(
  method: string,
  pathname: string,
): (Route & { params: Record<string, string> }) | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    match.slice(1).forEach((value, index) => {
      params[index] = value;
    });
    return { ...route, params };
  }
  return undefined;
}
