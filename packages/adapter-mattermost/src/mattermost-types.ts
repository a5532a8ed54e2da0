/** The fields of Mattermost's REST/WebSocket objects this adapter reads. */

export interface MattermostPost {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  file_ids?: string[];
}

export interface MattermostUser {
  id: string;
  username: string;
  email?: string;
  is_bot?: boolean;
}

export interface MattermostChannel {
  id: string;
  team_id: string;
  type: string;
  name: string;
  display_name: string;
}

export interface MattermostTeam {
  id: string;
  name: string;
}

/** A WebSocket event (`{event, data, broadcast, seq}`). */
export interface WebSocketEvent {
  event: string;
  data: Record<string, unknown>;
  broadcast: { channel_id?: string; user_id?: string; team_id?: string };
  seq: number;
}

/** A message attachment button as sent to the server (`@mattermost/types` has no `integration`). */
export interface AttachmentAction {
  id: string;
  type: 'button';
  name: string;
  style: string;
  integration: { url: string; context: Record<string, unknown> };
}

export interface AttachmentField {
  title: string;
  value: string;
  short: boolean;
}

/** A message attachment (`props.attachments[]`). */
export interface Attachment {
  fallback: string;
  color?: string;
  title?: string;
  text?: string;
  fields?: AttachmentField[];
  footer?: string;
  actions?: AttachmentAction[];
}
