/** Who is asking: a resolved chat user with their roles. */
export interface Principal {
  platform: string;
  /** Platform user id. */
  id: string;
  /** `platform:id`, the form used in config (`slack:U123`, `local:alice`). */
  key: string;
  name: string;
  email?: string;
  roles: string[];
  isBot?: boolean;
}
